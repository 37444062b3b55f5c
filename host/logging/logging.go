// Package logging sets up nidan's zerolog loggers. Logs never go to stdout:
// in host mode stdout is the native-messaging channel, and in the CLI it is
// the command's answer (a code, a list). No log line carries a seed or a
// code; callers log names, types and outcomes only.
package logging

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"nidan.dev/nidan/otp/regfile"
)

// Dir is the log folder inside the nidan home.
const Dir = "logs"

// maxFileSize caps a log file; past it the file is rotated to NAME.1, so
// the logs never take more than twice this.
const maxFileSize = 1 << 20

// File opens home/logs/name for appending, rotating it when it has grown
// past the cap. It returns io.Discard when the file cannot be opened: a
// logging failure must never stop a code from being served.
//
// The host opens its log on every start, so the common case costs two
// system calls: the open, and a stat of the open file for the cap. The
// folder is made only when the open finds it missing.
func File(home, name string) io.WriteCloser {
	dir := filepath.Join(home, Dir)
	path := filepath.Join(dir, name)
	f, err := openAppend(path)
	if errors.Is(err, fs.ErrNotExist) && os.MkdirAll(dir, 0o700) == nil {
		f, err = openAppend(path)
	}
	if err != nil {
		return nopCloser{io.Discard}
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > maxFileSize {
		f.Close()
		os.Rename(path, path+".1")
		if f, err = openAppend(path); err != nil {
			return nopCloser{io.Discard}
		}
	}
	return f
}

func openAppend(path string) (*os.File, error) {
	return regfile.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
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
