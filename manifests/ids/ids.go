// Package ids holds the extension ids nidan serves, from ids.json: the
// development ids first, then the stores' ids once they are known. The host's
// caller check and the manifests nidan writes both read this list, so a store
// id added there reaches both at once. The package is small on purpose: the
// host links it.
//
// ids.json stays the one source (the extension's release scripts read it
// too); the Go side reads table.go, generated from it, rather than decoding
// it: the host starts once per code request, and decoding the JSON in this
// package's init cost ~0.8 ms of each start.
package ids

//go:generate go run -tags idsgen gen.go

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Entry is one id and where it comes from. An empty ID is a placeholder for
// a store listing that has no id yet; it is skipped.
type Entry struct {
	ID     string `json:"id"`
	Source string `json:"source"`
}

// List is the decoded ids.json; table.go holds it as list.
type List struct {
	About    string  `json:"about"`
	Chromium []Entry `json:"chromium"`
	Firefox  []Entry `json:"firefox"`
}

// Parse decodes and checks an id list: known fields only, a development id
// first in each family, ids of the right shape, none twice. gen.go and the
// tests use it; at run time the package reads the generated list.
func Parse(data []byte) (List, error) {
	var l List
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return List{}, fmt.Errorf("invalid id list: %w (hint: keep the fields about, chromium, firefox, each entry {\"id\", \"source\"})", err)
	}
	if err := check("chromium", l.Chromium, isChromiumID, "32 letters a–p"); err != nil {
		return List{}, err
	}
	if err := check("firefox", l.Firefox, IsAddonID, "name@domain or {GUID}"); err != nil {
		return List{}, err
	}
	return l, nil
}

func check(family string, entries []Entry, valid func(string) bool, shape string) error {
	if len(entries) == 0 || entries[0].ID == "" {
		return fmt.Errorf("id list: %s has no development id (hint: the first entry is the id development builds use)", family)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.ID == "" {
			continue
		}
		if !valid(e.ID) {
			return fmt.Errorf("id list: %s id %q is not %s (hint: copy the id from the store's dashboard)", family, e.ID, shape)
		}
		if seen[e.ID] {
			return fmt.Errorf("id list: %s id %q twice", family, e.ID)
		}
		seen[e.ID] = true
	}
	return nil
}

func known(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if e.ID != "" {
			out = append(out, e.ID)
		}
	}
	return out
}

// Chromium returns the Chromium-family extension ids, development first.
func Chromium() []string { return known(list.Chromium) }

// Firefox returns the Firefox add-on ids, development first.
func Firefox() []string { return known(list.Firefox) }

// Origin is how Chromium names an extension as a caller: in a manifest's
// allowed_origins and as the host's first argument.
func Origin(id string) string { return "chrome-extension://" + id + "/" }

// ChromiumOrigins returns Origin of every Chromium id, development first.
func ChromiumOrigins() []string {
	var out []string
	for _, id := range Chromium() {
		out = append(out, Origin(id))
	}
	return out
}

// Callers returns every caller the host serves, for messages: the Chromium
// origins, then the Firefox ids.
func Callers() []string { return append(ChromiumOrigins(), Firefox()...) }

// isChromiumID reports whether s looks like a Chromium extension id: 32
// letters a–p (a SHA-256 prefix in hex with 0–f mapped to a–p).
func isChromiumID(s string) bool {
	return len(s) == 32 && strings.Trim(s, "abcdefghijklmnop") == ""
}

// IsAddonID reports whether s has the shape of a Firefox add-on id: e-mail
// like (name@domain) or a {GUID}. The host also uses it to recognise a
// Firefox start by its second argument.
func IsAddonID(s string) bool {
	if guid, ok := strings.CutPrefix(s, "{"); ok {
		guid, ok = strings.CutSuffix(guid, "}")
		return ok && guid != "" && strings.Trim(guid, "0123456789abcdefABCDEF-") == ""
	}
	name, domain, ok := strings.Cut(s, "@")
	return ok && domain != "" && !strings.ContainsAny(name+domain, "@{} \t\r\n")
}
