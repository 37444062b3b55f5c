// Package regfile opens regular files the way the native host's cold start
// wants them opened: without Go's network poller.
//
// os.OpenFile offers every file it opens to the runtime's poller. For a
// regular file epoll refuses it, but only after the runtime has created the
// epoll instance and its wake-up eventfd, and toggled the descriptor to
// non-blocking and back: about twenty system calls for the three files a
// code request opens (identity, vault, log), none of which a regular file
// can use. A browser starts a fresh host for every code, so they are paid
// every time.
package regfile

import (
	"io/fs"
	"os"
)

// Open opens path for reading, as os.Open does.
func Open(path string) (*os.File, error) {
	return OpenFile(path, os.O_RDONLY, 0)
}

// OpenFile opens path with the given flags and permissions, as os.OpenFile
// does, for a file that is never polled: reads and writes block, which for
// a regular file they do anyway.
func OpenFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return openFile(path, flag, perm)
}
