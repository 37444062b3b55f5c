package protocol

import (
	"os"
	"strings"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/vault"
)

// maxChoices bounds the memo of a long session; a caller cycling through
// many origins and e-mails only costs a fresh lookup.
const maxChoices = 1024

// source is the vault as one host process sees it. A connectNative session
// asks many times: the open vault, its account list and the accounts chosen
// for each (host, account, email) are kept while the vault file stays the
// same file, so that a code costs a stat instead of an age decryption. A
// write by the CLI replaces the file (rename), which the stat notices.
type source struct {
	store   vault.Store
	homeErr error // finding the home failed; every vault request reports it

	r       *vault.Reader
	all     []otp.Account
	choices map[choice]chosen
	hosts   map[string][]string // market keys joined → hosts
}

type choice struct{ host, name, email string }

type chosen struct {
	account otp.Account
	err     error
}

// reader returns the open vault, opening it on first use and reopening it
// when the file changed.
//
// A cold start opens it on the one goroutine, when the first request needs
// it. Opening it on a second goroutine while the first reads the request
// and opens the log was tried and measured (scripts/bench.sh): on two cores
// the scheduler seldom runs the two at once within a process's first
// millisecond (a new goroutine waits for an idle thread to be woken and to
// steal it), and the round trip came out ~0.1 ms slower than doing the
// steps in turn.
func (s *source) reader() (*vault.Reader, error) {
	if s.homeErr != nil {
		return nil, s.homeErr
	}
	if s.r != nil {
		fi, err := os.Stat(s.store.Path(vault.VaultFile))
		if was := s.r.FileInfo(); err == nil && os.SameFile(fi, was) &&
			fi.Size() == was.Size() && fi.ModTime().Equal(was.ModTime()) {
			return s.r, nil
		}
		s.drop()
	}
	r, err := s.store.Open()
	if err != nil {
		return nil, err
	}
	s.r = r
	return r, nil
}

// close closes the vault.
func (s *source) close() { s.drop() }

// drop closes the vault and forgets what was read from it.
func (s *source) drop() {
	if s.r != nil {
		s.r.Close()
	}
	s.r, s.all, s.choices = nil, nil, nil
}

// accounts returns every account, sorted by name.
func (s *source) accounts() ([]otp.Account, error) {
	r, err := s.reader()
	if err != nil {
		return nil, err
	}
	if s.all == nil {
		if s.all, err = r.All(); err != nil {
			return nil, err
		}
	}
	return s.all, nil
}

// choose picks the account for a code on host (vault.Reader.Choose).
func (s *source) choose(host, name, email string) (otp.Account, error) {
	r, err := s.reader()
	if err != nil {
		return otp.Account{}, err
	}
	key := choice{host, name, email}
	if c, ok := s.choices[key]; ok {
		return c.account, c.err
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
