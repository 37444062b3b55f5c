package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nidan.dev/nidan/otp/vault"
)

// pc is one PC of a test: its own home, the vault in a shared folder.
type pc struct {
	*session
}

func newPC(t *testing.T, root, name string) pc {
	return pc{&session{t: t, home: filepath.Join(root, name)}}
}

// on runs nidan as this PC: its home, its environment.
func (p pc) on(stdin string, args ...string) (int, string) {
	p.t.Setenv("NIDAN_HOME", p.home)
	return p.run(stdin, args...)
}

func (p pc) must(stdin string, args ...string) string {
	p.t.Helper()
	code, out := p.on(stdin, args...)
	if code != 0 {
		p.t.Fatalf("nidan %s: exit %d", strings.Join(args, " "), code)
	}
	return out
}

func TestInitVaultDir(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "Sync")
	os.MkdirAll(filepath.Join(shared, ".stfolder"), 0o700)
	pc1 := newPC(t, root, "pc1")
	pc1.must("", "init", "--vault-dir", shared)
	pc1.must(testURI, "add", "shop")
	if _, err := os.Stat(filepath.Join(shared, vault.VaultFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(shared, vault.IdentityFile)); err == nil {
		t.Fatal("the identity is in the synced folder")
	}
	if out := pc1.must("", "list"); !strings.Contains(out, "shop") {
		t.Errorf("list: %q", out)
	}
	c := &ctx{store: vault.Locate(pc1.home)}
	rows := c.syncChecks()
	if r := rows[0].Run(); !strings.Contains(r.Detail, "carried by Syncthing") {
		t.Errorf("where: %q", r.Detail)
	}
	if r := rows[1].Run(); !r.OK {
		t.Errorf("identity row: %+v", r)
	}
	// A home inside the synced folder is the mistake the doctor names.
	c = &ctx{store: vault.Store{Dir: filepath.Join(shared, "home")}}
	if r := c.syncChecks()[1].Run(); r.OK || !strings.Contains(r.Detail, "Syncthing") {
		t.Errorf("identity in Sync: %+v", r)
	}
}
