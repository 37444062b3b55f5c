//go:build !windows

package private

import (
	"io/fs"
	"os"
)

func restrictDir(dir string) error { return os.Chmod(dir, 0o700) }

func checkFile(f *os.File, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o077 != 0 {
		return &Error{Path: f.Name(), Mode: fi.Mode()}
	}
	return nil
}
