package sharing

import (
	"errors"

	"golang.org/x/sys/windows"
)

// Transient reports whether err is one that another process's open handle
// causes and its close ends: a sharing or lock violation, or the access
// denial that replacing (or opening) a file held open or pending deletion
// meets.
func Transient(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}
