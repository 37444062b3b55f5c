// Package manifests holds the native-messaging host manifests that browsers
// read to find and start nidan. The JSON files beside this one are embedded:
// what `nidan install` (and the .deb/.rpm build) writes is these templates
// with the binary's path and the allowed extensions (from package ids) filled
// in, so the files in the repository and the installed ones cannot drift.
package manifests

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"nidan.dev/nidan/manifests/ids"
)

// HostName is the native host's name; the extension connects to it by name.
const HostName = "dev.nidan.host"

// The development ids (ids.json's first entries): the Chromium-family
// extension id pinned by the `key` in extension/manifest.json, and the add-on
// id of its browser_specific_settings.gecko.id.
var (
	ChromiumExtensionID = ids.Chromium()[0]
	ChromiumOrigin      = ids.Origin(ChromiumExtensionID)
	FirefoxAddonID      = ids.Firefox()[0]
)

// The JSON strings, quotes included, that Render replaces with the binary's
// path and with the allowed callers. They stay valid JSON so the templates
// parse as they are.
const (
	placeholder        = `"@NIDAN_BINARY_PATH@"`
	allowedPlaceholder = `"@NIDAN_ALLOWED@"`
)

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

// Allowed returns the callers a manifest of the family lets in, from ids.json:
// origins for Chromium, add-on ids for Firefox, development first.
func Allowed(f Family) []string {
	if f == Firefox {
		return ids.Firefox()
	}
	return ids.ChromiumOrigins()
}

// Render returns the manifest of the family with binary as its path and
// Allowed(f) as its callers, byte for byte the template otherwise.
func Render(f Family, binary string) ([]byte, error) {
	if binary == "" {
		return nil, errors.New("empty binary path")
	}
	path, err := quote(binary)
	if err != nil {
		return nil, fmt.Errorf("encode binary path: %w", err)
	}
	var allowed []string
	for _, a := range Allowed(f) {
		q, err := quote(a)
		if err != nil {
			return nil, fmt.Errorf("encode allowed caller: %w", err)
		}
		allowed = append(allowed, q)
	}
	out := bytes.Replace(Template(f), []byte(placeholder), []byte(path), 1)
	return bytes.Replace(out, []byte(allowedPlaceholder), []byte(strings.Join(allowed, ", ")), 1), nil
}

// quote returns s as a JSON string.
func quote(s string) (string, error) {
	var quoted bytes.Buffer
	enc := json.NewEncoder(&quoted)
	// Keep paths readable: "&" in a folder name stays "&", not "\u0026".
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return "", err
	}
	return strings.TrimSuffix(quoted.String(), "\n"), nil
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
// nidan's extension of the family, the way the browser will judge it: every
// id in ids.json, so that whichever build the user has (development or a
// store's) can connect. A manifest written before a store id was added fails
// here; `nidan install` rewrites it.
func (m Manifest) CheckCallers(f Family) error {
	if m.Name != HostName {
		return fmt.Errorf("%w: name is %q, not %q", ErrWrongCaller, m.Name, HostName)
	}
	if m.Type != "stdio" {
		return fmt.Errorf("%w: type is %q, not \"stdio\"", ErrWrongCaller, m.Type)
	}
	field, have := "allowed_origins", m.AllowedOrigins
	if f == Firefox {
		field, have = "allowed_extensions", m.AllowedExtensions
	}
	for _, want := range Allowed(f) {
		if !slices.Contains(have, want) {
			return fmt.Errorf("%w: %s %q lacks %q", ErrWrongCaller, field, have, want)
		}
	}
	return nil
}
