package manifests

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"unicode/utf8"

	"nidan.dev/nidan/manifests/ids"
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
			AllowedOrigins: []string{"@NIDAN_ALLOWED@"},
		}},
		{Firefox, "firefox.json", Manifest{
			Name: HostName, Description: "nidan: TOTP codes for Amazon two-step verification",
			Path: "@NIDAN_BINARY_PATH@", Type: "stdio",
			AllowedExtensions: []string{"@NIDAN_ALLOWED@"},
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
			for _, p := range []string{placeholder, allowedPlaceholder} {
				if n := bytes.Count(onDisk, []byte(p)); n != 1 {
					t.Fatalf("%s holds %s %d times, want 1", tc.file, p, n)
				}
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

// TestAllowedFromIDList keeps the manifests and ids.json in agreement: a
// rendered manifest allows exactly the listed ids, development first, and
// the development ids are the ones the rest of the code calls by name.
func TestAllowedFromIDList(t *testing.T) {
	for _, tc := range []struct {
		family Family
		want   []string
	}{
		{Chromium, ids.ChromiumOrigins()},
		{Firefox, ids.Firefox()},
	} {
		_, m := roundTrip(t, tc.family, "/usr/bin/nidan-host")
		got := m.AllowedOrigins
		if tc.family == Firefox {
			got = m.AllowedExtensions
		}
		if !slices.Equal(got, tc.want) || !slices.Equal(Allowed(tc.family), tc.want) {
			t.Errorf("%v manifest allows %q, ids.json lists %q", tc.family, got, tc.want)
		}
	}
	if ChromiumOrigin != "chrome-extension://"+ChromiumExtensionID+"/" || ChromiumExtensionID != ids.Chromium()[0] || FirefoxAddonID != ids.Firefox()[0] {
		t.Errorf("development ids %s %s %s differ from ids.json", ChromiumExtensionID, ChromiumOrigin, FirefoxAddonID)
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
