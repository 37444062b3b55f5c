// Package logging sets up nidan's zerolog loggers. Logs never go to stdout:
// in host mode stdout is the native-messaging channel, and in the CLI it is
// the command's answer (a code, a list). No log line carries a seed or a
// code; callers log names, types and outcomes only.
package logging

import (
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
)

// Dir is the log folder inside the nidan home.
const Dir = "logs"

// maxFileSize caps a log file; past it the file is rotated to NAME.1, so
// the logs never take more than twice this.
const maxFileSize = 1 << 20

// File opens home/logs/name for appending, rotating it when it has grown
// past the cap. It returns io.Discard when the file cannot be opened: a
// logging failure must never stop a code from being served.
func File(home, name string) io.WriteCloser {
	dir := filepath.Join(home, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nopCloser{io.Discard}
	}
	path := filepath.Join(dir, name)
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxFileSize {
		os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nopCloser{io.Discard}
	}
	return f
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// New returns a JSON-lines logger writing to w at the given level, with
// timestamps in UTC: formatting a local time loads the zone database
// (/etc/localtime), ~50 µs of the host's cold start, and UTC reads the same
// in the CLI's log and the host's.
func New(w io.Writer, level zerolog.Level) zerolog.Logger {
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

func init() {
	zerolog.TimestampFunc = func() time.Time { return time.Now().UTC() }
}
