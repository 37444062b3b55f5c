package regfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"

	"nidan.dev/nidan/otp/sharing"
)

// openFile on Windows (where os.OpenFile involves no poller for a file
// opened without overlapped I/O) opens files for reading with delete
// sharing, which os.OpenFile does not grant: a writer may then replace the
// file by rename while it is open, as on Unix. A file being replaced
// cannot be opened for an instant; that is retried for up to
// sharing.ReadWait. Other modes (the log's appends) go to os.OpenFile.
func openFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	if flag != os.O_RDONLY {
		return os.OpenFile(path, flag, perm)
	}
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var h windows.Handle
	err = sharing.Retry(sharing.ReadWait, func() (err error) {
		h, err = windows.CreateFile(p, windows.GENERIC_READ,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
			nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
