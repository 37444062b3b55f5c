package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := Write(path, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %o", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := Write(filepath.Join(dir, "missing", "f"), nil, 0o600); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, TempPrefix+"vault.age-123"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, "vault.age"), nil, 0o600)
	RemoveStale(dir)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "vault.age" {
		t.Errorf("after RemoveStale: %v", entries)
	}
}

// TestWriteWhileOpen replaces a file that a reader holds open, as the host
// holds the vault while the CLI writes it. Windows refuses such a rename
// (the reader did not share delete access) until the reader closes: Write
// must wait for that, not fail. Elsewhere the rename simply succeeds.
func TestWriteWhileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.age")
	if err := Write(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		time.Sleep(200 * time.Millisecond)
		f.Close()
		close(closed)
	}()
	if err := Write(path, []byte("new"), 0o600); err != nil {
		t.Fatalf("replacing a file held open: %v", err)
	}
	<-closed
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("read %q after the write", got)
	}
}
