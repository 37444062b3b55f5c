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

func TestJoinAddRemoveDevice(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "Sync")
	pc1, pc2 := newPC(t, root, "pc1"), newPC(t, root, "pc2")
	pc1.must("", "init", "--vault-dir", shared)
	pc1.must(testURI, "add", "shop", "--marketplace", "jp")
	before, _ := os.ReadFile(filepath.Join(shared, vault.VaultFile))

	key := strings.TrimSpace(pc2.must("", "init", "--vault-dir", shared))
	if !strings.HasPrefix(key, "age1") {
		t.Fatalf("join printed %q", key)
	}
	if after, _ := os.ReadFile(filepath.Join(shared, vault.VaultFile)); string(after) != string(before) {
		t.Fatal("joining changed the vault")
	}
	mark := pc2.stderr.Len()
	if code, _ := pc2.on("", "list"); code == 0 {
		t.Fatal("list opened a vault this PC was not added to")
	}
	if msg := pc2.stderr.String()[mark:]; !strings.Contains(msg, "nidan devices add "+key+" --name") ||
		strings.Contains(msg, "no identity matched") {
		t.Errorf("list before being added: %q", msg)
	}

	pc1.must("", "devices", "add", key, "--name", "laptop")
	if out := pc2.must("", "list"); !strings.Contains(out, "shop") {
		t.Errorf("PC2's list after devices add: %q", out)
	}
	pc2.must("otpauth://totp/Amazon:b%40example.jp?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Amazon", "add", "second")
	if out := pc1.must("", "devices", "list"); !strings.Contains(out, "laptop") || strings.Count(out, "age1") != 2 {
		t.Errorf("devices list: %q", out)
	}
	out := pc1.must("", "devices", "remove", "laptop")
	if !strings.Contains(out, "shop\thttps://www.amazon.co.jp/a/settings/approval") || !strings.Contains(out, "second\t") {
		t.Errorf("remove lists %q", out)
	}
	if !strings.Contains(pc1.stderr.String(), "it could read every seed") {
		t.Error("remove does not say what it cannot undo")
	}
	if code, _ := pc2.on("", "list"); code == 0 {
		t.Error("the removed PC still opens the vault")
	}
	for _, f := range []string{vault.VaultFile, vault.BackupFile} {
		if data, _ := os.ReadFile(filepath.Join(shared, f)); strings.Contains(string(data), key[4:20]) {
			t.Errorf("%s still names the removed key", f)
		}
	}
	mark = pc1.stderr.Len()
	if code, _ := pc1.on("", "devices", "remove", "laptop"); code != 1 || !strings.Contains(pc1.stderr.String()[mark:], "devices list") {
		t.Error("removing an unknown device")
	}
}

// A PC that had nidan before it had a second PC moves its vault.
func TestInitMovesVault(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "Sync")
	pc1 := newPC(t, root, "pc1")
	pc1.must("", "init")
	pc1.must(testURI, "add", "shop")
	pc1.must("", "init", "--vault-dir", shared)
	if _, err := os.Stat(filepath.Join(pc1.home, vault.VaultFile)); err == nil {
		t.Error("the vault is still in the home")
	}
	if out := pc1.must("", "list"); !strings.Contains(out, "shop") {
		t.Errorf("list after the move: %q", out)
	}
	os.WriteFile(filepath.Join(shared, "vault-LAPTOP.age"), []byte("x"), 0o600)
	c := &ctx{store: vault.Locate(pc1.home)}
	if r := c.syncChecks()[3].Run(); r.OK || !strings.Contains(r.Detail, "vault-LAPTOP.age") {
		t.Errorf("conflict row: %+v", r)
	}
}
