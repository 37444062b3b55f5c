package protocol

import (
	"io"

	"nidan.dev/nidan/host/logging"
)

// reopenEvery is how much a session writes to the request log before it
// reopens it.
const reopenEvery = 256 << 10

// sessionLog is the request log of one host process. logging.File enforces
// the log's size cap when it opens the file; a connectNative session can
// live for days, so it reopens the file every reopenEvery bytes to let the
// cap apply to it too.
type sessionLog struct {
	home    string
	f       io.WriteCloser
	written int
}

func (l *sessionLog) Write(p []byte) (int, error) {
	if l.written >= reopenEvery {
		l.f.Close()
		l.f = logging.File(l.home, logName)
		l.written = 0
	}
	n, err := l.f.Write(p)
	l.written += n
	return n, err
}

func (l *sessionLog) Close() error { return l.f.Close() }
