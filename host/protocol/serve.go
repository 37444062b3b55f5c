// Package protocol is nidan's native-messaging host: what runs when a browser
// starts `nidan` for the extension. host/PROTOCOL.md is the protocol.
//
// In host mode the three standard streams have one job each:
//
//   - stdout carries response frames and nothing else. Every byte written to
//     it goes through serve's one writer, as a whole frame from frame.Append.
//     A stray byte there (a log line, a fmt.Print, a usage message) would
//     shift the browser's framing and kill the connection; no code in this
//     package writes to stdout otherwise, logs included. Go writes panics to
//     stderr, so even a crash keeps stdout clean.
//   - stdin carries request frames, served in order until EOF.
//   - stderr ends up in the browser's log: it stays quiet unless something
//     is wrong (a broken stream, a forbidden caller, an internal error).
//
// Each request adds one JSON line to logs/host.log in the nidan home: type,
// origin, account name, outcome and duration. Never a code, never a seed.
package protocol

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"nidan.dev/nidan/host/frame"
	"nidan.dev/nidan/host/logging"
	"nidan.dev/nidan/otp/vault"
)

// Version is nidan's version: every response carries it and `nidan version`
// prints it. Release builds set it with
// -ldflags "-X nidan.dev/nidan/host/protocol.Version=1.2.3".
var Version = "0.1.0-dev"

// logName is the request log in the nidan home's logs folder.
const logName = "host.log"

// Main serves native-messaging requests from stdin to stdout until EOF and
// returns the exit status: 0 at a clean end of stream, 1 when the stream
// broke (too large, truncated) or could not be written.
//
// Windows: C hosts call _setmode(_fileno(stdin/stdout), _O_BINARY) so that
// the C runtime does not turn \n into \r\n inside frames. Go's os.Stdin and
// os.Stdout are raw handles with no text mode, so there is nothing to set.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	warn := logging.New(stderr, zerolog.WarnLevel)
	home, err := vault.Home()
	s := newServer(args, home, err, time.Now, warn)
	var reqLog io.Writer = io.Discard
	if err != nil {
		warn.Warn().Err(err).Msg("no nidan home; requests are not logged")
	} else {
		l := &sessionLog{home: home}
		defer l.Close()
		reqLog = l
	}
	return s.serve(stdin, stdout, reqLog)
}

// newServer makes the server for one host process. now is the clock codes
// are made at: time.Now in Main, a fixed instant in the tests.
func newServer(args []string, home string, homeErr error, now func() time.Time, warn zerolog.Logger) *server {
	store := vault.Store{Dir: home}
	if homeErr == nil {
		store = vault.Locate(home)
	}
	return &server{
		caller:  callerOf(args),
		version: Version,
		now:     now,
		vault:   &source{store: store, homeErr: homeErr},
		warn:    warn,
	}
}

// server answers the requests of one host process.
type server struct {
	caller  caller
	version string
	now     func() time.Time // the clock codes are made at; tests fix it
	vault   *source
	log     zerolog.Logger // the request log
	warn    zerolog.Logger // stderr
	warned  bool           // the forbidden caller was reported on stderr
}

func (s *server) serve(stdin io.Reader, stdout, reqLog io.Writer) int {
	defer s.vault.close()
	in := bufio.NewReaderSize(stdin, 8<<10)
	// Answers and log lines are buffered while further requests are already
	// queued, and flushed before the host would wait for input: a
	// connectNative session that sends many requests at once gets them
	// answered in few writes, and nothing ever waits in a buffer.
	out := bufio.NewWriterSize(stdout, 8<<10)
	logBuf := bufio.NewWriterSize(reqLog, 4<<10)
	s.log = logging.New(logBuf, zerolog.InfoLevel)
	flush := func() error { // the answer first: the browser waits for it
		err := out.Flush()
		logBuf.Flush()
		return err
	}
	var buf []byte
	for {
		body, err := frame.Read(in)
		start := time.Now()
		status := -1
		switch {
		case err == nil:
			buf = s.handle(buf[:0], body, start)
		case err == io.EOF:
			if flush() != nil {
				return 1
			}
			return 0
		case errors.Is(err, frame.ErrEmpty):
			buf = s.fail(buf[:0], badRequest(err.Error()), start)
		case errors.Is(err, frame.ErrTooLarge):
			buf = s.fail(buf[:0], &Error{Code: codeTooLarge, Message: err.Error() + "; the host stops reading"}, start)
			status = 1
		case errors.Is(err, frame.ErrTruncatedLength), errors.Is(err, frame.ErrTruncatedBody):
			buf = s.fail(buf[:0], badRequest(err.Error()+"; the host stops reading"), start)
			status = 1
		default:
			s.warn.Warn().Err(err).Msg("reading stdin failed")
			flush()
			return 1
		}
		if status >= 0 {
			s.warn.Warn().Err(err).Msg("the request stream is broken; exiting")
		}
		if _, err := out.Write(buf); err != nil {
			return 1 // the browser is gone
		}
		if status >= 0 {
			if flush() != nil {
				return 1
			}
			return status
		}
		if !frame.Ready(in) {
			s.vault.release() // a writer may replace it while the host waits
			if flush() != nil {
				return 1
			}
		}
	}
}

// handle answers one request frame and appends the answer frame to buf.
func (s *server) handle(buf, body []byte, start time.Time) (framed []byte) {
	req, err := decodeRequest(body)
	var out outcome
	var res result
	var e *Error
	defer func() {
		// A defect must cost one answer, not the connection, and never
		// leave the browser without an answer.
		if p := recover(); p != nil {
			s.warn.Error().Str("type", req.typ).Msg(fmt.Sprint("panic: ", p))
			e = &Error{Code: codeInternal, Message: "internal error; the host log in the nidan home says more"}
			framed = s.frame(buf, req, result{}, e)
			s.logRequest(req.typ, out, e, start)
		}
	}()
	switch {
	case !s.caller.allowed:
		e = &Error{Code: codeForbiddenCaller, Message: fmt.Sprintf("caller %s is not nidan's extension; nidan serves %s only", quote(s.caller.name), servedList())}
		if !s.warned {
			s.warn.Warn().Str("caller", cut(s.caller.name)).Msg("refusing a caller that is not nidan's extension")
			s.warned = true
		}
	case err != nil:
		e = err.(*Error)
	default:
		res, err = s.dispatch(req, &out)
		if err != nil {
			if e = asError(err); e.Code == codeInternal {
				s.logCause(req.typ, err)
				s.warn.Error().Str("type", cut(req.typ)).Err(err).Msg("internal error")
			}
		}
	}
	if e != nil && e.Candidates != nil {
		res = result{list: "candidates", items: make([][]byte, len(e.Candidates))}
		for i, c := range e.Candidates {
			res.items[i] = appendString(nil, c)
		}
	}
	if e != nil && e.DeviceKey != "" {
		res = result{fields: appendString(appendKey(nil, "device_key"), e.DeviceKey)}
	}
	s.logRequest(req.typ, out, e, start)
	return s.frame(buf, req, res, e)
}

// fail answers a frame that could not be read as a request.
func (s *server) fail(buf []byte, e *Error, start time.Time) []byte {
	s.logRequest("", outcome{}, e, start)
	return s.frame(buf, request{}, result{}, e)
}

// frame encodes an answer as a frame; one too large for Chrome, which the
// truncation of lists should make impossible, becomes an internal error.
func (s *server) frame(buf []byte, req request, res result, e *Error) []byte {
	msg := encode(nil, req.id, s.version, res, e)
	framed, err := frame.Append(buf, msg)
	if err != nil {
		s.warn.Error().Err(err).Str("type", req.typ).Msg("response over the frame limit")
		framed, _ = frame.Append(buf, encode(nil, req.id, s.version, result{},
			&Error{Code: codeInternal, Message: "the answer would exceed 1 MiB"}))
	}
	return framed
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return vaultError(err)
}

// logRequest writes the request's line. outcome is "ok" or the error code.
func (s *server) logRequest(typ string, out outcome, e *Error, start time.Time) {
	ev := s.log.Info()
	result := "ok"
	if e != nil {
		result = e.Code
	}
	if typ != "" {
		ev = ev.Str("type", cut(typ))
	}
	if out.origin != "" {
		ev = ev.Str("origin", cut(out.origin))
	}
	if out.account != "" {
		ev = ev.Str("account", cut(out.account))
	}
	if !s.caller.allowed {
		ev = ev.Str("caller", cut(s.caller.name))
	}
	ev.Str("outcome", result).Dur("duration", time.Since(start)).Send()
}

// logCause records why a request failed where the answer only says
// "internal" or "unreadable". Vault errors name files and accounts, never
// secrets.
func (s *server) logCause(typ string, err error) {
	s.log.Warn().Str("type", typ).Err(err).Send()
}

// cut shortens request text for a log line.
func cut(s string) string {
	if len(s) > maxQuoted {
		return s[:maxQuoted] + "…"
	}
	return s
}
