//go:build !unix

package regfile

import (
	"io/fs"
	"os"
)

// Elsewhere (Windows) os.OpenFile does not involve a poller for a file
// opened without overlapped I/O.
func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag, perm)
}
