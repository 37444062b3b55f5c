// Package manifests holds the native-messaging host manifests that browsers
// read to find and start nidan. The JSON files beside this one are embedded:
// what `nidan install` writes is these templates with the binary's path filled
// in, so the files in the repository and the installed ones cannot drift.
package manifests

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// HostName is the native host's name; the extension connects to it by name.
const HostName = "dev.nidan.host"

// ChromiumExtensionID is the Chromium-family extension id, pinned by the `key`
// in extension/manifest.json.
const ChromiumExtensionID = "dcdddbcbipkamcfhjaingbomnchlkenp"

// ChromiumOrigin is how Chromium-family manifests name the allowed caller.
const ChromiumOrigin = "chrome-extension://" + ChromiumExtensionID + "/"

// FirefoxAddonID is the add-on id of extension/manifest.json's
// browser_specific_settings.gecko.id.
const FirefoxAddonID = "nidan@nidan.dev"

// placeholder is the JSON string, quotes included, that Render replaces with
// the binary's path. It stays valid JSON so the templates parse as they are.
const placeholder = `"@NIDAN_BINARY_PATH@"`

//go:embed chromium.json
var chromiumTemplate []byte

//go:embed firefox.json
var firefoxTemplate []byte

// Family is the kind of browser a manifest is for: the two families spell the
// allowed callers differently.
type Family int

const (
	Chromium Family = iota // Chrome, Chromium, Edge, Brave, Vivaldi, Opera: allowed_origins
	Firefox                // Firefox, LibreWolf, Waterfox: allowed_extensions
)

func (f Family) String() string {
	switch f {
	case Chromium:
		return "chromium"
	case Firefox:
		return "firefox"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// Template returns the embedded template of the family, path placeholder
// included.
func Template(f Family) []byte {
	if f == Firefox {
		return slices.Clone(firefoxTemplate)
	}
	return slices.Clone(chromiumTemplate)
}

// Render returns the manifest of the family with binary as its path, byte for
// byte the template otherwise.
func Render(f Family, binary string) ([]byte, error) {
	if binary == "" {
		return nil, errors.New("empty binary path")
	}
	var quoted bytes.Buffer
	enc := json.NewEncoder(&quoted)
	// Keep paths readable: "&" in a folder name stays "&", not "\u0026".
	enc.SetEscapeHTML(false)
	if err := enc.Encode(binary); err != nil {
		return nil, fmt.Errorf("encode binary path: %w", err)
	}
	return bytes.Replace(Template(f), []byte(placeholder), bytes.TrimSuffix(quoted.Bytes(), []byte("\n")), 1), nil
}

// Manifest is the decoded form of a native host manifest, as browsers read it.
type Manifest struct {
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins,omitempty"`
	AllowedExtensions []string `json:"allowed_extensions,omitempty"`
}

// Parse decodes a manifest. It fails on anything that is not one JSON object
// with the fields' types right; it does not judge the values (see Check).
func Parse(data []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("invalid manifest JSON: %w", err)
	}
	if dec.More() {
		return Manifest{}, errors.New("invalid manifest JSON: data after the object")
	}
	return m, nil
}

// ErrWrongCaller means a manifest does not let nidan's extension in.
var ErrWrongCaller = errors.New("manifest does not allow nidan's extension")

// CheckCallers reports whether the manifest names nidan's host and allows
// nidan's extension of the family, the way the browser will judge it.
func (m Manifest) CheckCallers(f Family) error {
	if m.Name != HostName {
		return fmt.Errorf("%w: name is %q, not %q", ErrWrongCaller, m.Name, HostName)
	}
	if m.Type != "stdio" {
		return fmt.Errorf("%w: type is %q, not \"stdio\"", ErrWrongCaller, m.Type)
	}
	if f == Firefox {
		if !slices.Contains(m.AllowedExtensions, FirefoxAddonID) {
			return fmt.Errorf("%w: allowed_extensions %q lacks %q", ErrWrongCaller, m.AllowedExtensions, FirefoxAddonID)
		}
		return nil
	}
	if !slices.Contains(m.AllowedOrigins, ChromiumOrigin) {
		return fmt.Errorf("%w: allowed_origins %q lacks %q", ErrWrongCaller, m.AllowedOrigins, ChromiumOrigin)
	}
	return nil
}
