// Package vault keeps nidan's accounts in an age-encrypted file, in the
// nidan home or in a folder a sync tool carries between PCs, written
// atomically, serialised across processes by a lock that stays in the home,
// and with the previous version kept beside it. FORMAT.md describes the
// files.
package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"filippo.io/age"
	"github.com/gofrs/flock"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/atomicfile"
	"nidan.dev/nidan/otp/private"
	"nidan.dev/nidan/otp/regfile"
)

// Files in the nidan home; vault.age and vault.age.bak live in the vault
// folder when one is set (Store.VaultDir).
const (
	IdentityFile   = "identity"
	VaultFile      = "vault.age"
	BackupFile     = "vault.age.bak"
	RecipientsFile = "recipients"
	LockFile       = "vault.lock"
)

// lockWait bounds how long a writer waits for another: several browser
// windows and the CLI may write at once, but none holds the lock for long.
const lockWait = 15 * time.Second

// Home returns the nidan home: $NIDAN_HOME, else the user's config folder.
func Home() (string, error) {
	if h := os.Getenv("NIDAN_HOME"); h != "" {
		return filepath.Abs(h)
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder: %w (set NIDAN_HOME)", err)
	}
	return filepath.Join(dir, "nidan"), nil
}

// Store is the vault of one nidan home.
type Store struct {
	// Dir is the home: the identity, the recipients, the lock and the logs.
	// They stay on this PC: an identity must never travel with the vault,
	// and a lock file means nothing across PCs.
	Dir string
	// VaultDir holds vault.age and vault.age.bak when set (Locate reads it).
	VaultDir string
	// Now is the clock of modification times; nil means time.Now.
	Now func() time.Time

	// The home's record of the vault folder (Locate): whether there is one,
	// and the index of this PC's stanza in the vault, tried first.
	recorded bool
	stanza   int
	// ParseRecipients reads the recipients file. Nil means age's own parser
	// (X25519 and hybrid recipients). The CLI sets a richer one (SSH keys,
	// plugins) that the slim native host must not link.
	ParseRecipients func(io.Reader) ([]age.Recipient, error)
}

// Path returns the path of one of the store's files: the vault and its
// backup in the vault folder, the others in the home.
func (s Store) Path(name string) string {
	if name == VaultFile || name == BackupFile {
		return filepath.Join(s.vaultDir(), name)
	}
	return filepath.Join(s.Dir, name)
}

// Init makes the home, a new X25519 identity and an empty vault, and returns
// the identity's public key. It refuses to overwrite an existing vault or
// identity: either may be the only key to someone's accounts.
//
// X25519 rather than age's hybrid post-quantum identity: unwrapping a hybrid
// stanza costs ~0.8 ms here against ~0.1 ms, and the host pays it on every
// code request. The vault never crosses a network; backups can still be made
// to a post-quantum recipient.
func (s Store) Init() (string, error) {
	pub, _, err := s.InitOrJoin()
	return pub, err
}

// InitOrJoin is Init, except that a vault folder (VaultDir) that already
// holds a vault is joined: the vault is left byte for byte as it is, this
// PC gets its own identity, and joined is true. The vault opens here once a
// PC where it already opens adds the returned key (`nidan devices add`).
func (s Store) InitOrJoin() (pub string, joined bool, err error) {
	// 0700, or on Windows a protected DACL (the user, SYSTEM,
	// Administrators) that the identity and the vault inherit.
	if err := private.MakeDir(s.Dir); err != nil {
		return "", false, fmt.Errorf("the nidan home: %w", err)
	}
	if s.Separate() {
		if err := os.MkdirAll(s.VaultDir, 0o700); err != nil {
			return "", false, fmt.Errorf("making the vault folder: %w", err)
		}
	}
	unlock, err := s.lock()
	if err != nil {
		return "", false, err
	}
	defer unlock()
	if _, err := os.Lstat(s.Path(IdentityFile)); err == nil {
		return "", false, fmt.Errorf("%w: %s exists", ErrExists, s.Path(IdentityFile))
	}
	if _, err := os.Lstat(s.Path(VaultFile)); err == nil {
		if !s.Separate() {
			return "", false, fmt.Errorf("%w: %s exists", ErrExists, s.Path(VaultFile))
		}
		joined = true
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", false, fmt.Errorf("generating the identity: %w", err)
	}
	pub = id.Recipient().String()
	text := fmt.Sprintf("# nidan identity: the key to %s. Keep it private; back it up with `nidan backup`.\n# created: %s\n# public key: %s\n%s\n",
		VaultFile, time.Now().UTC().Format(time.RFC3339), pub, id)
	if err := atomicfile.Write(s.Path(IdentityFile), []byte(text), 0o600); err != nil {
		return "", false, err
	}
	if err := s.remember(); err != nil {
		return "", false, err
	}
	if joined {
		return pub, true, nil
	}
	var c contents
	c.addSelf([]age.Identity{id}, s.now())
	if err := s.write(c, []age.Identity{id}); err != nil {
		return "", false, err
	}
	return pub, false, nil
}

// openPrivate opens one of the home's private files (the vault, the
// identity) for reading: without the runtime poller (otp/regfile), missing
// as the given error with the path, and refused when group or others may
// read or write it. The permissions are those of the file that was opened,
// not of the path looked up again: one stat fewer on the host's cold path,
// and no window for the path to change.
func openPrivate(path, what string, missing error) (*os.File, fs.FileInfo, error) {
	f, err := regfile.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%w: %s", missing, path)
	} else if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", what, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	// The mode on Unix, the DACL on Windows.
	if err := private.CheckFile(f, fi); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

func (s Store) identities() ([]age.Identity, error) {
	path := s.Path(IdentityFile)
	f, _, err := openPrivate(path, "the identity", ErrNoIdentity)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		// age's parse errors do not quote key material, but say no more
		// than needed about a file that holds a private key.
		return nil, fmt.Errorf("%w: %s", ErrBadIdentity, path)
	}
	return ids, nil
}

// Recipients returns whom the vault is encrypted to: the local identity and
// every recipient listed in the recipients file (backup keys, a second PC).
func (s Store) Recipients(ids []age.Identity) ([]age.Recipient, error) {
	var rs []age.Recipient
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			rs = append(rs, x.Recipient())
		}
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("%w: it holds no X25519 identity", ErrBadIdentity)
	}
	data, err := os.ReadFile(s.Path(RecipientsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return rs, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading the recipients: %w", err)
	}
	parse := s.ParseRecipients
	if parse == nil {
		parse = age.ParseRecipients
	}
	extra, err := parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the recipients file %s: %w", s.Path(RecipientsFile), err)
	}
	return append(rs, extra...), nil
}

// Reader is an open vault. It decrypts lazily: a lookup reads only the
// chunks it needs.
type Reader struct {
	f     *os.File
	fi    fs.FileInfo
	p     *plaintext
	found int // the index of the stanza that opened it, -1 when not learnt
}

// Open opens the vault for reading. Readers take no lock: writers replace the
// file by rename, so a reader sees the old vault or the new one, never half.
func (s Store) Open() (*Reader, error) {
	f, fi, err := openPrivate(s.Path(VaultFile), "the vault", ErrMissing)
	if err != nil {
		return nil, err
	}
	r, ids, err := s.open(f, fi)
	if err == nil && s.Separate() {
		err = r.mergeConflicts(s, ids)
	}
	if err == nil && r.found >= 0 {
		s.saveHint(r.found)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func (s Store) open(f *os.File, fi fs.FileInfo) (*Reader, []age.Identity, error) {
	ids, err := s.identities()
	if err != nil {
		return nil, nil, err
	}
	try := ids
	h := &hinted{ids: ids, first: s.stanza, found: -1}
	if s.Separate() {
		try = []age.Identity{h}
	}
	ra, size, err := age.DecryptReaderAt(f, fi.Size(), try...)
	if err != nil {
		return nil, nil, s.decryptError(err, ids)
	}
	p, err := parsePlaintext(newChunkReader(ra, size), size)
	if err != nil {
		return nil, nil, err
	}
	return &Reader{f: f, fi: fi, p: p, found: h.found}, ids, nil
}

// readPrivate reads the vault whole, refusing it if others may read it.
func readPrivate(path string) ([]byte, error) {
	f, _, err := openPrivate(path, "the vault", ErrMissing)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("reading the vault: %w", err)
	}
	return data, nil
}

func (s Store) decryptError(err error, ids []age.Identity) error {
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if !s.Separate() {
		return ErrWrongIdentity
	}
	// A shared vault that this PC cannot open: most likely this PC joined
	// and was not added yet.
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			return &NotDeviceError{PublicKey: x.Recipient().String(), Vault: s.Path(VaultFile)}
		}
	}
	return ErrWrongIdentity
}

// Close closes the vault file.
func (r *Reader) Close() error { return r.f.Close() }

// FileInfo describes the file that was opened: a long-lived reader compares
// it with a fresh os.Stat of the path to notice that a writer replaced it.
func (r *Reader) FileInfo() fs.FileInfo { return r.fi }

// Len is the number of accounts.
func (r *Reader) Len() int { return r.p.hdr.Accounts }

// All returns every account, sorted by name.
func (r *Reader) All() ([]otp.Account, error) { return r.p.all() }

// Get returns the account called name.
func (r *Reader) Get(name string) (otp.Account, error) {
	found, err := r.p.lookup('n', name)
	if err != nil {
		return otp.Account{}, err
	}
	if len(found) == 0 {
		return otp.Account{}, &AccountError{Name: name, Err: ErrUnknownAccount}
	}
	return found[0], nil
}

// Choose picks the account for a code request on host: the named account if
// it is bound to host; else the one bound to host whose label is email; else
// the only account bound to host. Otherwise ErrNoAccount or an
// *AmbiguousError with the candidates.
func (r *Reader) Choose(host, name, email string) (otp.Account, error) {
	bound := func(as []otp.Account) []otp.Account {
		return slices.DeleteFunc(as, func(a otp.Account) bool { return !a.BoundTo(host) })
	}
	if name != "" {
		found, err := r.p.lookup('n', name)
		if err != nil {
			return otp.Account{}, err
		}
		if found = bound(found); len(found) == 1 {
			return found[0], nil
		}
	}
	if email != "" {
		found, err := r.p.lookup('e', emailKey(email))
		if err != nil {
			return otp.Account{}, err
		}
		switch found = bound(found); len(found) {
		case 0:
		case 1:
			return found[0], nil
		default:
			return otp.Account{}, ambiguous(found)
		}
	}
	all, err := r.p.all()
	if err != nil {
		return otp.Account{}, err
	}
	switch all = bound(all); len(all) {
	case 0:
		return otp.Account{}, ErrNoAccount
	case 1:
		return all[0], nil
	default:
		return otp.Account{}, ambiguous(all)
	}
}

func ambiguous(as []otp.Account) error {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return &AmbiguousError{Candidates: names}
}

func (s Store) lock() (func(), error) {
	l := flock.New(s.Path(LockFile), flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 10*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("locking the vault: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("%w (waited %s for %s)", ErrLocked, lockWait, s.Path(LockFile))
	}
	return func() { l.Unlock() }, nil
}
