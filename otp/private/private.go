// Package private makes and checks the files that must be the user's
// alone: the identity and the vault. On Unix that is their mode (0600, in a
// 0700 home). On Windows mode bits mean nothing: there it is the DACL, which
// init makes protected (no entries inherited from a shared parent such as
// C:\nidan-shared) and which the host and doctor read before trusting a
// file.
package private

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"nidan.dev/nidan/otp/regfile"
)

// Error reports a private file that others may read. Like ssh with a
// private key, nidan refuses to use it.
type Error struct {
	Path string
	Mode fs.FileMode // Unix: the file's mode
	// Readers are whom else a Windows DACL lets read the file, by name
	// where the name resolves.
	Readers []string
	fix     string
}

func (e *Error) Error() string {
	if len(e.Readers) > 0 {
		return fmt.Sprintf("%s is readable by other users (its ACL lets %s read it); refusing to use it", e.Path, strings.Join(e.Readers, ", "))
	}
	return fmt.Sprintf("%s is readable by other users (mode %04o); refusing to use it", e.Path, e.Mode.Perm())
}

// Fix is the command that makes the file private.
func (e *Error) Fix() string {
	if e.fix != "" {
		return e.fix
	}
	return fmt.Sprintf("chmod 600 %q", e.Path)
}

// MakeDir makes dir (and its parents) and makes it private: mode 0700, or
// on Windows a protected DACL that the files inside inherit.
func MakeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("making %s: %w", dir, err)
	}
	if err := restrictDir(dir); err != nil {
		return fmt.Errorf("making %s private: %w", dir, err)
	}
	return nil
}

// Check returns an *Error when others may read the file at path, and nil
// when it is private or missing.
func Check(path string) error {
	f, err := regfile.Open(path)
	if err != nil {
		return nil // missing or unreadable: the code that reads it will say so
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return CheckFile(f, fi)
}

// CheckFile is Check of an open file and its FileInfo: the file that was
// opened, not the path looked up again.
func CheckFile(f *os.File, fi fs.FileInfo) error { return checkFile(f, fi) }
