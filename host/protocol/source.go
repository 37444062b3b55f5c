package protocol

import (
	"io/fs"
	"os"
	"strings"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/vault"
)

// maxChoices bounds the memo of a long session; a caller cycling through
// many origins and e-mails only costs a fresh lookup.
const maxChoices = 1024

// source is the vault as one host process sees it. A connectNative session
// asks many times: the account list and the accounts chosen for each (host,
// account, email) are kept while the vault file stays the same file, so
// that a code costs a stat instead of an age decryption. A write by the CLI
// replaces the file (rename), which the stat notices.
//
// The file itself is open only while requests are being answered: the host
// releases it before it waits for the next request and before it runs the
// CLI. On Windows a file held open cannot be replaced (unless every opener
// shared delete access, which Wine does not honour), so a handle kept for a
// session would make every write by the CLI fail while the browser keeps
// the port open.
type source struct {
	store   vault.Store
	homeErr error // finding the home failed; every vault request reports it

	r       *vault.Reader // open while a request is served, else nil
	fi      fs.FileInfo   // the vault file that all and choices were read from
	all     []otp.Account
	choices map[choice]chosen
	hosts   map[string][]string // market keys joined → hosts
}

type choice struct{ host, name, email string }

type chosen struct {
	account otp.Account
	err     error
}

// reader returns the open vault as it is now, opening it when released or
// replaced.
//
// A cold start opens it on the one goroutine, when the first request needs
// it. Opening it on a second goroutine while the first reads the request
// and opens the log was tried and measured (scripts/bench.sh): on two cores
// the scheduler seldom runs the two at once within a process's first
// millisecond (a new goroutine waits for an idle thread to be woken and to
// steal it), and the round trip came out ~0.1 ms slower than doing the
// steps in turn.
func (s *source) reader() (*vault.Reader, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.open()
}

// check forgets what was read when the vault file is no longer the file it
// was read from.
func (s *source) check() error {
	if s.homeErr != nil {
		return s.homeErr
	}
	if s.fi != nil {
		fi, err := os.Stat(s.store.Path(vault.VaultFile))
		if err != nil || !sameVersion(fi, s.fi) {
			s.drop()
		}
	}
	return nil
}

// open opens the vault unless it is open. A file other than the one the
// memo was read from (a write since check) voids the memo.
func (s *source) open() (*vault.Reader, error) {
	if s.r != nil {
		return s.r, nil
	}
	r, err := s.store.Open()
	if err != nil {
		return nil, err
	}
	if s.fi != nil && !sameVersion(r.FileInfo(), s.fi) {
		s.all, s.choices = nil, nil
	}
	s.r, s.fi = r, r.FileInfo()
	return r, nil
}

func sameVersion(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// release closes the vault file and keeps what was read from it.
func (s *source) release() {
	if s.r != nil {
		s.r.Close()
		s.r = nil
	}
}

// close closes the vault.
func (s *source) close() { s.drop() }

// drop closes the vault and forgets what was read from it.
func (s *source) drop() {
	s.release()
	s.fi, s.all, s.choices = nil, nil, nil
}

// accounts returns every account, sorted by name.
func (s *source) accounts() ([]otp.Account, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if s.all != nil {
		return s.all, nil
	}
	r, err := s.open()
	if err != nil {
		return nil, err
	}
	if s.all, err = r.All(); err != nil {
		return nil, err
	}
	return s.all, nil
}

// choose picks the account for a code on host (vault.Reader.Choose).
func (s *source) choose(host, name, email string) (otp.Account, error) {
	if err := s.check(); err != nil {
		return otp.Account{}, err
	}
	key := choice{host, name, email}
	if c, ok := s.choices[key]; ok {
		return c.account, c.err
	}
	r, err := s.open()
	if err != nil {
		return otp.Account{}, err
	}
	a, err := r.Choose(host, name, email)
	if len(s.choices) >= maxChoices || s.choices == nil {
		s.choices = map[choice]chosen{}
	}
	s.choices[key] = chosen{a, err}
	return a, err
}

// hostsOf returns the hosts an account is bound to. Accounts share few
// marketplace sets, and listing ten thousand accounts should not rebuild the
// same host list ten thousand times.
func (s *source) hostsOf(a otp.Account) []string {
	if !a.Bound() {
		return nil
	}
	key := strings.Join(a.Marketplaces, ",")
	if h, ok := s.hosts[key]; ok {
		return h
	}
	if s.hosts == nil {
		s.hosts = map[string][]string{}
	}
	h := a.Hosts()
	s.hosts[key] = h
	return h
}
