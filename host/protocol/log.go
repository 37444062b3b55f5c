package protocol

import (
	"io"

	"nidan.dev/nidan/host/logging"
)

// reopenEvery is how much a session writes to the request log before it
// reopens it.
const reopenEvery = 256 << 10

// sessionLog is the request log of one host process. It opens the file at
// its first write, which serve makes only after the answer has been
// flushed: the browser has its code before the host touches the log, and a
// one-request host opens it while the browser is reading the answer and
// closing the pipe.
//
// logging.File enforces the log's size cap when it opens the file; a
// connectNative session can live for days, so it reopens the file every
// reopenEvery bytes to let the cap apply to it too.
type sessionLog struct {
	home    string
	f       io.WriteCloser // nil until the first write
	written int
}

func (l *sessionLog) Write(p []byte) (int, error) {
	if l.f != nil && l.written >= reopenEvery {
		l.f.Close()
		l.f = nil
	}
	if l.f == nil {
		l.f = logging.File(l.home, logName)
		l.written = 0
	}
	n, err := l.f.Write(p)
	l.written += n
	return n, err
}

func (l *sessionLog) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}
