package vault

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"filippo.io/age"
)

// counting counts the stanzas an identity is tried on.
type counting struct {
	age.Identity
	tries int
}

func (c *counting) Unwrap(s []*age.Stanza) ([]byte, error) {
	c.tries += len(s)
	return c.Identity.Unwrap(s)
}

// A PC of a vault shared by three learns where its stanza is and then tries
// only that one.
func TestStanzaHint(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "Sync")
	pc1 := Store{Dir: filepath.Join(root, "pc1"), VaultDir: shared}
	if _, err := pc1.Init(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	homes := map[string]string{}
	for _, name := range []string{"pc2", "pc3"} {
		s := Store{Dir: filepath.Join(root, name), VaultDir: shared}
		pub, _, err := s.InitOrJoin()
		if err != nil {
			t.Fatal(err)
		}
		if err := pc1.AddDevice(name, pub); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, pub)
		homes[pub] = s.Dir
	}
	ids, _ := pc1.identities()
	self := ids[0].(*age.X25519Identity).Recipient().String()
	keys = append(keys, self)
	homes[self] = pc1.Dir
	slices.Sort(keys)
	last := keys[len(keys)-1]

	s := Locate(homes[last])
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	s = Locate(homes[last])
	if s.stanza != 2 {
		t.Fatalf("the hint is %d, want 2", s.stanza)
	}
	lastIDs, _ := s.identities()
	c := &counting{Identity: lastIDs[0]}
	data, _ := os.ReadFile(s.Path(VaultFile))
	h := &hinted{ids: []age.Identity{c}, first: s.stanza, found: -1}
	if _, err := age.Decrypt(bytes.NewReader(data), h); err != nil {
		t.Fatal(err)
	}
	if c.tries != 1 || h.found != 2 {
		t.Errorf("with the hint: %d tries, found %d", c.tries, h.found)
	}
	c.tries = 0
	h = &hinted{ids: []age.Identity{c}, first: 0, found: -1}
	if _, err := age.Decrypt(bytes.NewReader(data), h); err != nil || c.tries != 3 {
		t.Errorf("without: %d tries, %v", c.tries, err)
	}
}
