//go:build !unix

package install

import "io/fs"

// fileOwner: Windows files have no user id; a --system install there copies
// nidan under %ProgramFiles% instead of checking where it lies.
func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
