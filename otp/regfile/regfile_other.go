//go:build !unix && !windows

package regfile

import (
	"io/fs"
	"os"
)

// Elsewhere (neither Unix nor Windows) os.OpenFile is all there is.
func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag, perm)
}
