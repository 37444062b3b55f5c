//go:build !windows

package sharing

// Transient reports false: outside Windows, rename replaces a file that
// others hold open, and opening never meets another process's handle.
func Transient(error) bool { return false }
