package ids

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// raw is ids.json as shipped; the package itself reads table.go.
//
//go:embed ids.json
var raw []byte

// TestGeneratedTable fails when table.go no longer says what ids.json says:
// run `go generate ./manifests/ids`.
func TestGeneratedTable(t *testing.T) {
	l, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l, list) {
		t.Errorf("table.go differs from ids.json: run `go generate ./manifests/ids`\n table.go: %+v\n ids.json: %+v", list, l)
	}
}

func TestEmbedded(t *testing.T) {
	l, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := Chromium(); len(got) == 0 || got[0] != l.Chromium[0].ID {
		t.Errorf("Chromium() = %q, want the development id first", got)
	}
	if got := Firefox(); len(got) == 0 || got[0] != l.Firefox[0].ID {
		t.Errorf("Firefox() = %q, want the development id first", got)
	}
	for _, id := range append(Chromium(), Firefox()...) {
		if id == "" {
			t.Error("an empty placeholder id is listed as known")
		}
	}
	want := len(Chromium()) + len(Firefox())
	if got := Callers(); len(got) != want || got[0] != Origin(Chromium()[0]) {
		t.Errorf("Callers() = %q", got)
	}
}

func TestParseRejects(t *testing.T) {
	const dev = `{"id": "dcdddbcbipkamcfhjaingbomnchlkenp", "source": "dev"}`
	const ff = `{"id": "nidan@nidan.dev", "source": "dev"}`
	for _, tc := range []struct{ name, in string }{
		{"not JSON", `{`},
		{"unknown field", `{"chromium": [` + dev + `], "firefox": [` + ff + `], "edge": []}`},
		{"no chromium", `{"firefox": [` + ff + `]}`},
		{"placeholder first", `{"chromium": [{"id": ""}, ` + dev + `], "firefox": [` + ff + `]}`},
		{"chromium id with q", `{"chromium": [{"id": "qcdddbcbipkamcfhjaingbomnchlkenp"}], "firefox": [` + ff + `]}`},
		{"chromium id short", `{"chromium": [{"id": "abc"}], "firefox": [` + ff + `]}`},
		{"chromium origin, not id", `{"chromium": [{"id": "chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"}], "firefox": [` + ff + `]}`},
		{"twice", `{"chromium": [` + dev + `, ` + dev + `], "firefox": [` + ff + `]}`},
		{"firefox not an id", `{"chromium": [` + dev + `], "firefox": [{"id": "nidan"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.in)); err == nil {
				t.Errorf("Parse(%s): no error", tc.in)
			}
		})
	}
	if _, err := Parse([]byte(`{"chromium": [` + dev + `, {"id": "", "source": "store"}], "firefox": [` + ff + `, {"id": "{12ab-34cd}"}]}`)); err != nil {
		t.Errorf("a valid list with a placeholder and a GUID: %v", err)
	}
}

// TestDevelopmentIDsMatchExtension ties the development ids to the
// extension's manifest: the Chromium id is derived from its `key` (first 128
// bits of the SHA-256 of the DER public key, hex digits mapped to a–p), the
// Firefox one is its gecko id.
func TestDevelopmentIDsMatchExtension(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "extension", "manifest.json"))
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
	if id != Chromium()[0] {
		t.Errorf("extension key gives id %s, ids.json's development id is %s", id, Chromium()[0])
	}
	if !slices.Contains(Firefox(), ext.Settings.Gecko.ID) || Firefox()[0] != ext.Settings.Gecko.ID {
		t.Errorf("extension gecko id %q, ids.json's development id is %q", ext.Settings.Gecko.ID, Firefox()[0])
	}
}
