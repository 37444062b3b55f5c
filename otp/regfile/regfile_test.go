package regfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"nidan.dev/nidan/otp/internal/wine"
)

func TestOpenReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Name() != path {
		t.Errorf("Name() = %q, want %q", f.Name(), path)
	}
	b, err := io.ReadAll(f)
	if err != nil || string(b) != "hello" {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	buf := make([]byte, 3)
	if n, err := f.ReadAt(buf, 2); n != 3 || string(buf) != "llo" {
		t.Fatalf("ReadAt = %d %q, %v", n, buf, err)
	}
}

func TestOpenFileAppendCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	for _, line := range []string{"a\n", "b\n"} {
		f, err := OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "a\nb\n" {
		t.Fatalf("file = %q, %v; want both lines appended", b, err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
		}
	}
}

func TestOpenMissingIsNotExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing")
	_, err := Open(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != path || pe.Op != "open" {
		t.Fatalf("err = %#v, want a *fs.PathError naming %s", err, path)
	}
}

// TestOpenSharesDelete replaces a file that Open holds: on Windows only
// delete sharing permits it, and regfile grants it so that the host's reads
// never make a writer wait.
func TestOpenSharesDelete(t *testing.T) {
	if wine.Running() {
		t.Skip("Wine 8 does not honour FILE_SHARE_DELETE: a rename over an open file fails there whatever the opener shared")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.age")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	next := filepath.Join(dir, "next")
	if err := os.WriteFile(next, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, path); err != nil {
		t.Fatalf("replacing a file open for reading: %v", err)
	}
	if b, err := io.ReadAll(f); err != nil || string(b) != "old" {
		t.Errorf("the open file reads %q, %v; want the old content", b, err)
	}
}
