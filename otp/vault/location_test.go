package vault

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestVaultDir(t *testing.T) {
	root := t.TempDir()
	s := Store{Dir: filepath.Join(root, "home"), VaultDir: filepath.Join(root, "Sync", "nidan")}
	if _, joined, err := s.InitOrJoin(); err != nil || joined {
		t.Fatalf("init: joined %v, %v", joined, err)
	}
	add(t, s, account(t, "shop", "a@example.jp"))
	for name, dir := range map[string]string{
		VaultFile: s.VaultDir, BackupFile: s.VaultDir, IdentityFile: s.Dir, LockFile: s.Dir,
	} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not in %s: %v", name, dir, err)
		}
	}
	for _, name := range []string{IdentityFile, LockFile} {
		if _, err := os.Stat(filepath.Join(s.VaultDir, name)); err == nil {
			t.Errorf("%s is in the synced folder", name)
		}
	}
	found := Locate(s.Dir)
	if found.VaultDir != s.VaultDir {
		t.Fatalf("Locate: vault dir %q, want %q", found.VaultDir, s.VaultDir)
	}
	r, err := found.Open()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Setenv(VaultDirEnv, filepath.Join(root, "elsewhere"))
	if got := Locate(s.Dir).VaultDir; got != filepath.Join(root, "elsewhere") {
		t.Errorf("with %s set: %q", VaultDirEnv, got)
	}
}

func TestLocateWithoutRecord(t *testing.T) {
	home := t.TempDir()
	if s := Locate(home); s.VaultDir != "" || s.Path(VaultFile) != filepath.Join(home, VaultFile) {
		t.Errorf("Locate of a plain home: %+v", s)
	}
}

// A second PC joining a vault it cannot open must leave it byte for byte.
func TestJoinLeavesVaultUntouched(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "shared")
	pc1 := Store{Dir: filepath.Join(root, "pc1"), VaultDir: shared}
	if _, err := pc1.Init(); err != nil {
		t.Fatal(err)
	}
	add(t, pc1, account(t, "shop", "a@example.jp"))
	before, _ := os.ReadFile(pc1.Path(VaultFile))
	pc2 := Store{Dir: filepath.Join(root, "pc2"), VaultDir: shared}
	pub, joined, err := pc2.InitOrJoin()
	if err != nil || !joined || pub == "" {
		t.Fatalf("join: %q %v %v", pub, joined, err)
	}
	after, _ := os.ReadFile(pc1.Path(VaultFile))
	if !bytes.Equal(before, after) {
		t.Error("joining changed the vault")
	}
	if _, _, err := pc2.InitOrJoin(); err == nil {
		t.Error("a second init on PC2 succeeded")
	}
}

func TestSyncTool(t *testing.T) {
	root := t.TempDir()
	mk := func(parts ...string) string {
		p := filepath.Join(append([]string{root}, parts...)...)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	st := mk("Sync")
	mk("Sync", ".stfolder")
	for _, tc := range []struct{ path, want string }{
		{mk("Sync", "nidan"), "Syncthing"},
		{st, "Syncthing"},
		{mk("Dropbox", "nidan"), "Dropbox"},
		{mk("Dropbox (Acme)", "x"), "Dropbox"},
		{mk("OneDrive - Acme", "nidan"), "OneDrive"},
		{mk("OneDrive"), "OneDrive"},
		{mk("Google Drive", "My Drive", "n"), "Google Drive"},
		{mk("config", "nidan"), ""},
	} {
		if got := SyncTool(tc.path); got != tc.want {
			t.Errorf("SyncTool(%s) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// A sync tool replaces the vault by renaming its own temporary file over it
// (Syncthing's .syncthing.vault.age.tmp): an open reader keeps reading the
// vault it opened, and the next open sees the new one.
func TestReaderSurvivesReplacement(t *testing.T) {
	root := t.TempDir()
	s := Store{Dir: filepath.Join(root, "home"), VaultDir: filepath.Join(root, "shared")}
	if _, err := s.Init(); err != nil {
		t.Fatal(err)
	}
	add(t, s, account(t, "first", "a@example.jp"))
	old, _ := os.ReadFile(s.Path(VaultFile))
	add(t, s, account(t, "second", "b@example.jp"))
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tmp := filepath.Join(s.VaultDir, ".syncthing.vault.age.tmp")
	if err := os.WriteFile(tmp, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, s.Path(VaultFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Get("second"); err != nil {
		t.Errorf("the open reader lost its vault: %v", err)
	}
	r2, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if r2.Len() != 1 {
		t.Errorf("a new reader sees %d accounts, want the replaced vault's 1", r2.Len())
	}
}
