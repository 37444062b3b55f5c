package protocol

import (
	"errors"
	"fmt"
	"strconv"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

// maxQuoted caps request text quoted back in a message or a log line.
const maxQuoted = 256

// outcome is what the request log records besides type and duration.
type outcome struct {
	origin  string
	account string
}

// codeFields are what a code answer adds to an account.
type codeFields struct {
	code      string
	period    int
	remaining int
}

// dispatch answers one decoded request from an allowed caller.
func (s *server) dispatch(req request, out *outcome) (result, error) {
	switch req.typ {
	case "hello":
		return s.hello(), nil
	case "list":
		return s.list()
	case "code":
		return s.code(req, out)
	case "codes":
		return s.codes()
	case "enroll":
		return s.enroll(req, out)
	case "phone_backup":
		return s.phoneBackup(req, out)
	default:
		return result{}, &Error{Code: codeUnknownType, Message: fmt.Sprintf("unknown request type %s (this host speaks protocol %d: hello, list, code, codes, enroll, phone_backup)", quote(req.typ), Protocol)}
	}
}

// hello always succeeds: it is how the extension learns the host's state.
func (s *server) hello() result {
	r, err := s.vault.reader()
	state, count := "ready", 0
	switch {
	case err == nil:
		count = r.Len()
	case errors.Is(err, vault.ErrMissing):
		state = "missing"
	default:
		s.logCause("hello", err)
		state = "unreadable"
	}
	fields := appendString(appendKey(nil, "vault"), state)
	return result{fields: strconv.AppendInt(appendKey(fields, "accounts"), int64(count), 10)}
}

func (s *server) list() (result, error) {
	all, err := s.vault.accounts()
	if err != nil {
		return result{}, err
	}
	items := make([][]byte, len(all))
	for i, a := range all {
		items[i] = append(appendAccount(nil, a, s.vault.hostsOf(a)), '}')
	}
	return result{list: "accounts", items: items}, nil
}

func (s *server) code(req request, out *outcome) (result, error) {
	if !req.hasOrigin {
		return result{}, badRequest(`"origin" is missing: a code request names the origin of the sign-in page`)
	}
	out.origin, out.account = req.origin, req.account
	host, err := originHost(req.origin)
	if err != nil {
		return result{}, err
	}
	a, err := s.vault.choose(host, req.account, req.email)
	if err != nil {
		return result{}, choiceError(host, err, s.backups())
	}
	out.account = a.Name
	c, err := s.codeOf(a)
	if err != nil {
		return result{}, err
	}
	fields := append(appendAccount(appendKey(nil, "account"), a, s.vault.hostsOf(a)), '}')
	return result{fields: appendCode(fields, c)}, nil
}

func (s *server) codes() (result, error) {
	all, err := s.vault.accounts()
	if err != nil {
		return result{}, err
	}
	items := make([][]byte, len(all))
	for i, a := range all {
		item := appendAccount(nil, a, s.vault.hostsOf(a))
		// An account bound to no host is listed, for the popup to show
		// apart, but gets no code: nidan gives codes for Amazon only.
		if a.Bound() {
			c, err := s.codeOf(a)
			if err != nil {
				return result{}, err
			}
			item = appendCode(item, c)
		}
		items[i] = append(item, '}')
	}
	return result{list: "accounts", items: items}, nil
}

// backups counts the accounts bound to no host; only a failed choice asks,
// so the common path never reads every record.
func (s *server) backups() int {
	all, err := s.vault.accounts()
	if err != nil {
		return 0
	}
	n := 0
	for _, a := range all {
		if !a.Bound() {
			n++
		}
	}
	return n
}

func (s *server) codeOf(a otp.Account) (codeFields, error) {
	now := s.now()
	code, err := a.Code(now)
	if err != nil {
		return codeFields{}, err // names the account, never the seed
	}
	return codeFields{code: code, period: a.Period, remaining: a.Remaining(now)}, nil
}

// originHost applies the strict origin check of market.OriginHost, with a
// message that stays short whatever the caller sent.
func originHost(origin string) (string, error) {
	host, err := market.OriginHost(origin)
	if err != nil {
		return "", &Error{Code: codeForbiddenOrigin, Message: fmt.Sprintf("origin %s is not exactly \"https://\" and an Amazon sign-in host; nidan gives codes to Amazon's sign-in pages only", quote(origin))}
	}
	return host, nil
}

// quote quotes request text for a message, cut to maxQuoted bytes.
func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q… (%d bytes)", s[:maxQuoted], len(s))
	}
	return fmt.Sprintf("%q", s)
}
