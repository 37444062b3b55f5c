//go:build unix

package regfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, flag|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if errors.Is(err, syscall.EINTR) {
			continue // as os.OpenFile does: a signal (Go's preemption) can interrupt it
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		// os.NewFile polls only a descriptor that is already non-blocking.
		return os.NewFile(uintptr(fd), path), nil
	}
}
