package private

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"nidan.dev/nidan/otp/internal/wine"
)

// TestMakeDirThenCheck: a file made in a home from MakeDir passes Check.
// On Unix a loose mode fails it, with chmod as the fix.
func TestMakeDirThenCheck(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if err := MakeDir(home); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "identity")
	if err := os.WriteFile(path, []byte("key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Fatalf("a file in the new home: %v", err)
	}
	if err := Check(filepath.Join(home, "missing")); err != nil {
		t.Errorf("a missing file: %v", err)
	}
	if runtime.GOOS == "windows" {
		if wine.Running() {
			t.Skip("Wine keeps no ACLs: the DACL check is tested on its entries (TestOtherReaders)")
		}
		return
	}
	if fi, _ := os.Stat(home); fi.Mode().Perm() != 0o700 {
		t.Errorf("home mode %o", fi.Mode().Perm())
	}
	os.Chmod(path, 0o644)
	err := Check(path)
	var pe *Error
	if !errors.As(err, &pe) || pe.Path != path || !strings.Contains(pe.Fix(), "chmod 600") {
		t.Fatalf("a 0644 file: %v", err)
	}
}
