// Package atomicfile replaces files so that a reader, or a crash, never
// meets half of one: the vault, its backup, the identity, and the browsers'
// native-host manifests are all written through it.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"nidan.dev/nidan/otp/sharing"
)

// TempPrefix starts the name of every temporary file Write makes.
const TempPrefix = ".tmp-"

// Write replaces path with data: a temporary file in the same folder, given
// perm, fsynced, renamed over path, then an fsync of the folder so that the
// rename itself is durable. A crash at any instant leaves either the old file
// or the new one. On Windows, a rename that meets another process's open
// handle on path is retried for up to sharing.WriteWait: readers hold the
// file for milliseconds.
func Write(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, TempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	err = tmp.Chmod(perm)
	if runtime.GOOS == "windows" {
		err = nil // mode bits mean little there; the folder's ACL protects the file
	}
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = sharing.Retry(sharing.WriteWait, func() error { return os.Rename(tmp.Name(), path) })
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // folders cannot be opened for sync there; NTFS journals the rename
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// RemoveStale deletes the temporary files that a writer killed mid-write
// left in dir. Call it only while no Write into dir can be running (under
// the lock that serialises the writers).
func RemoveStale(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
