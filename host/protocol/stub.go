// Package protocol is the native-messaging host (placeholder until the
// host lands).
package protocol

import "io"

// Invoked reports whether the arguments are a browser starting the host.
func Invoked(args []string) bool { return false }

// Main serves native-messaging requests and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int { return 1 }
