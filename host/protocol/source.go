package protocol

import (
	"io/fs"
	"os"
	"strings"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
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

	// ready is closed when the open started by prefetch is done; until
	// then only that goroutine touches the fields below.
	ready       chan struct{}
	prefetchErr error

	r       *vault.Reader
	stamp   fs.FileInfo
	all     []otp.Account
	choices map[choice]chosen
	hosts   map[string][]string // market keys joined → hosts
}

type choice struct{ host, name, email string }

type chosen struct {
	account otp.Account
	err     error
}

// prefetch starts opening the vault in the background. A cold start pays
// for two X25519 operations and an age chunk to open the vault, and for
// reading the request, parsing the marketplace table and opening the log to
// answer: on two cores the two halves overlap.
func (s *source) prefetch() {
	s.ready = make(chan struct{})
	go func() {
		defer close(s.ready)
		_, s.prefetchErr = s.open()
	}()
}

// reader returns the open vault, reopening it when the file changed.
func (s *source) reader() (*vault.Reader, error) {
	if s.ready != nil {
		<-s.ready
		s.ready = nil
		if s.prefetchErr != nil || s.r != nil {
			return s.r, s.prefetchErr
		}
	}
	return s.open()
}

// open returns the open vault, reopening it when the file changed.
func (s *source) open() (*vault.Reader, error) {
	if s.homeErr != nil {
		return nil, s.homeErr
	}
	fi, statErr := os.Stat(s.store.Path(vault.VaultFile))
	if s.r != nil && statErr == nil && s.stamp != nil && os.SameFile(fi, s.stamp) &&
		fi.Size() == s.stamp.Size() && fi.ModTime().Equal(s.stamp.ModTime()) {
		return s.r, nil
	}
	s.drop()
	r, err := s.store.Open()
	if err != nil {
		return nil, err
	}
	// A file replaced between the stat and the open leaves an old stamp on
	// the new file: the next request sees them differ and reopens.
	s.r, s.stamp = r, fi
	return r, nil
}

// close waits for a prefetch and closes the vault.
func (s *source) close() {
	if s.ready != nil {
		<-s.ready
		s.ready = nil
	}
	s.drop()
}

// drop closes the vault and forgets what was read from it.
func (s *source) drop() {
	if s.r != nil {
		s.r.Close()
	}
	s.r, s.stamp, s.all, s.choices = nil, nil, nil, nil
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
	key := strings.Join(a.Marketplaces, ",")
	if h, ok := s.hosts[key]; ok {
		return h
	}
	if s.hosts == nil {
		s.hosts = map[string][]string{}
	}
	h := market.Hosts(a.Marketplaces)
	s.hosts[key] = h
	return h
}
