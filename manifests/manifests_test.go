package manifests

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTemplates(t *testing.T) {
	for _, tc := range []struct {
		family Family
		file   string
		want   Manifest
	}{
		{Chromium, "chromium.json", Manifest{
			Name: HostName, Description: "nidan: TOTP codes for Amazon two-step verification",
			Path: "@NIDAN_BINARY_PATH@", Type: "stdio",
			AllowedOrigins: []string{"chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"},
		}},
		{Firefox, "firefox.json", Manifest{
			Name: HostName, Description: "nidan: TOTP codes for Amazon two-step verification",
			Path: "@NIDAN_BINARY_PATH@", Type: "stdio",
			AllowedExtensions: []string{"nidan@nidan.dev"},
		}},
	} {
		t.Run(tc.family.String(), func(t *testing.T) {
			onDisk, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(onDisk, Template(tc.family)) {
				t.Fatalf("embedded template differs from %s", tc.file)
			}
			if n := bytes.Count(onDisk, []byte(placeholder)); n != 1 {
				t.Fatalf("%s holds the placeholder %d times, want 1", tc.file, n)
			}
			var strict map[string]any
			if err := json.Unmarshal(onDisk, &strict); err != nil {
				t.Fatalf("%s is not JSON: %v", tc.file, err)
			}
			got, err := Parse(onDisk)
			if err != nil {
				t.Fatal(err)
			}
			if !equalManifest(got, tc.want) {
				t.Fatalf("%s = %+v, want %+v", tc.file, got, tc.want)
			}
		})
	}
}

func equalManifest(a, b Manifest) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestRender(t *testing.T) {
	for _, binary := range []string{
		"/home/u/.local/bin/nidan",
		`C:\Users\Jane Doe\AppData\Local\nidan\nidan.exe`,
		"/Users/太郎/Apps & Tools/nidan",
		`/odd "quoted" path/nidan`,
	} {
		for _, family := range []Family{Chromium, Firefox} {
			out, m := roundTrip(t, family, binary)
			if err := m.CheckCallers(family); err != nil {
				t.Errorf("Render(%v, %q): %v", family, binary, err)
			}
			if bytes.Contains(out, []byte("@NIDAN_BINARY_PATH@")) {
				t.Errorf("Render(%v, %q) left the placeholder", family, binary)
			}
		}
	}
	if _, err := Render(Chromium, ""); err == nil {
		t.Error("Render with an empty path: no error")
	}
	out, _ := Render(Chromium, "/a&b/nidan")
	if !bytes.Contains(out, []byte(`"/a&b/nidan"`)) {
		t.Errorf("path escaped needlessly:\n%s", out)
	}
}

// roundTrip renders a manifest and parses it back: valid JSON, same path.
func roundTrip(t *testing.T, family Family, binary string) ([]byte, Manifest) {
	t.Helper()
	out, err := Render(family, binary)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(out)
	if err != nil {
		t.Fatalf("Render(%v, %q) gives invalid JSON: %v\n%s", family, binary, err, out)
	}
	if m.Path != binary {
		t.Fatalf("Render(%v, %q): path %q", family, binary, m.Path)
	}
	return out, m
}

func TestCheckCallers(t *testing.T) {
	good := func(f Family) Manifest {
		out, _ := Render(f, "/bin/nidan")
		m, _ := Parse(out)
		return m
	}
	for _, tc := range []struct {
		name   string
		family Family
		edit   func(*Manifest)
	}{
		{"other chromium id", Chromium, func(m *Manifest) { m.AllowedOrigins = []string{"chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"} }},
		{"origin without slash", Chromium, func(m *Manifest) { m.AllowedOrigins = []string{"chrome-extension://" + ChromiumExtensionID} }},
		{"firefox manifest for chromium", Chromium, func(m *Manifest) { *m = good(Firefox) }},
		{"other add-on", Firefox, func(m *Manifest) { m.AllowedExtensions = []string{"other@example.com"} }},
		{"chromium manifest for firefox", Firefox, func(m *Manifest) { *m = good(Chromium) }},
		{"other host name", Chromium, func(m *Manifest) { m.Name = "com.example.host" }},
		{"not stdio", Firefox, func(m *Manifest) { m.Type = "pipe" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := good(tc.family)
			tc.edit(&m)
			if err := m.CheckCallers(tc.family); !errors.Is(err, ErrWrongCaller) {
				t.Fatalf("CheckCallers = %v, want ErrWrongCaller", err)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"name":1}`, `{"allowed_origins":"x"}`, `{} {}`, `{"name":"dev.nidan.host"`} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

// TestIDsMatchExtension ties the ids here to the extension's manifest: the
// Chromium id is derived from its `key` (first 128 bits of the SHA-256 of the
// DER public key, hex digits mapped to a–p), the Firefox one is its gecko id.
func TestIDsMatchExtension(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "extension", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ext struct {
		Key      string `json:"key"`
		Settings struct {
			Gecko struct {
				ID string `json:"id"`
			} `json:"gecko"`
		} `json:"browser_specific_settings"`
	}
	if err := json.Unmarshal(data, &ext); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(ext.Key)
	if err != nil {
		t.Fatalf("extension key: %v", err)
	}
	sum := sha256.Sum256(der)
	id := strings.Map(func(r rune) rune {
		if r >= 'a' { // hex a–f → k–p
			return r + 10
		}
		return r - '0' + 'a' // hex 0–9 → a–j
	}, hex.EncodeToString(sum[:16]))
	if id != ChromiumExtensionID {
		t.Errorf("extension key gives id %s, manifests pin %s", id, ChromiumExtensionID)
	}
	if ext.Settings.Gecko.ID != FirefoxAddonID {
		t.Errorf("extension gecko id %q, manifests pin %q", ext.Settings.Gecko.ID, FirefoxAddonID)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("/home/u/.local/bin/nidan")
	f.Add(`C:\Program Files\nidan\nidan.exe`)
	f.Add("\"@NIDAN_BINARY_PATH@\"")
	f.Fuzz(func(t *testing.T, binary string) {
		if binary == "" || !utf8.ValidString(binary) {
			return
		}
		for _, family := range []Family{Chromium, Firefox} {
			roundTrip(t, family, binary)
		}
	})
}
