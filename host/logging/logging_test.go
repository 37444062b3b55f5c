package logging

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestFileMakesTheFolder(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home") // not made yet
	f := File(home, "host.log")
	if _, err := io.WriteString(f, "line\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := os.ReadFile(filepath.Join(home, Dir, "host.log"))
	if err != nil || string(b) != "line\n" {
		t.Fatalf("log = %q, %v", b, err)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{filepath.Join(home, Dir): 0o700, filepath.Join(home, Dir, "host.log"): 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode().Perm(), err, want)
			}
		}
	}
}

func TestFileAppends(t *testing.T) {
	home := t.TempDir()
	for _, line := range []string{"a\n", "b\n"} {
		f := File(home, "host.log")
		io.WriteString(f, line)
		f.Close()
	}
	if b, _ := os.ReadFile(filepath.Join(home, Dir, "host.log")); string(b) != "a\nb\n" {
		t.Fatalf("log = %q, want both lines", b)
	}
}

func TestFileRotatesPastTheCap(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, Dir, "host.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	old := bytes.Repeat([]byte("x"), maxFileSize+1)
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	f := File(home, "host.log")
	io.WriteString(f, "new\n")
	f.Close()
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Errorf("log = %d bytes, want only the new line", len(b))
	}
	if b, _ := os.ReadFile(path + ".1"); !bytes.Equal(b, old) {
		t.Errorf("rotated log = %d bytes, want the old %d", len(b), len(old))
	}
}

func TestFileUnopenableDiscards(t *testing.T) {
	home := t.TempDir()
	// A file where the logs folder should be: nothing can be opened, and
	// writing must still succeed (a log never stops a code).
	if err := os.WriteFile(filepath.Join(home, Dir), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f := File(home, "host.log")
	if n, err := io.WriteString(f, "line\n"); n != 5 || err != nil {
		t.Fatalf("write = %d, %v; want it discarded without error", n, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
