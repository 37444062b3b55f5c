package vault

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"nidan.dev/nidan/otp/atomicfile"
	"nidan.dev/nidan/otp/regfile"
)

// VaultDirFile, in the home, remembers the folder chosen with `nidan init
// --vault-dir`, so that the CLI and the browser's host (started by the
// browser, with the browser's environment) find the vault there.
const VaultDirFile = "vault-dir"

// VaultDirEnv overrides the remembered vault folder.
const VaultDirEnv = "NIDAN_VAULT_DIR"

// maxVaultDirFile bounds the remembered path: it is one line.
const maxVaultDirFile = 4096

// Locate returns the store of a home: the vault in $NIDAN_VAULT_DIR, else in
// the folder the home remembers, else in the home itself. A missing or
// unreadable vault-dir file means the home: the later open of the vault then
// says what is missing.
//
// The host calls it on every start: the usual case (no file) costs one
// failed open, and a present file is opened without the runtime's poller.
func Locate(home string) Store {
	s := Store{Dir: home}
	if d := os.Getenv(VaultDirEnv); d != "" {
		if abs, err := filepath.Abs(d); err == nil {
			s.VaultDir = abs
		}
		return s
	}
	f, err := regfile.Open(filepath.Join(home, VaultDirFile))
	if err != nil {
		return s
	}
	defer f.Close()
	buf := make([]byte, maxVaultDirFile)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return s
	}
	// The folder, then optionally "stanza N" (stanza.go).
	dir, rest, _ := strings.Cut(string(buf[:n]), "\n")
	if d := strings.TrimSpace(dir); filepath.IsAbs(d) {
		s.VaultDir, s.recorded = d, true
		if v, ok := strings.CutPrefix(strings.TrimSpace(rest), "stanza "); ok {
			s.stanza, _ = strconv.Atoi(v)
		}
	}
	return s
}

// vaultDir is where vault.age and vault.age.bak live.
func (s Store) vaultDir() string {
	if s.VaultDir == "" {
		return s.Dir
	}
	return s.VaultDir
}

// Separate reports whether the vault lives outside the home (in a folder a
// sync tool may carry).
func (s Store) Separate() bool {
	return s.VaultDir != "" && filepath.Clean(s.VaultDir) != filepath.Clean(s.Dir)
}

// remember writes the vault folder into the home, or removes a stale
// record when the vault is back in the home.
func (s Store) remember() error {
	path := filepath.Join(s.Dir, VaultDirFile)
	if !s.Separate() {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("forgetting the vault folder: %w", err)
		}
		return nil
	}
	return atomicfile.Write(path, fmt.Appendf(nil, "%s\nstanza %d\n", s.VaultDir, s.stanza), 0o600)
}

// SyncTool names the sync tool that carries path, judged by the markers
// such tools leave: Syncthing's .stfolder in the shared folder's root, or a
// Dropbox, OneDrive or Google Drive folder among its parents. "" when none
// is seen; a tool nidan does not know goes unseen.
func SyncTool(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(filepath.Join(dir, ".stfolder")); err == nil {
			return "Syncthing"
		}
		if _, err := os.Lstat(filepath.Join(dir, ".dropbox")); err == nil {
			return "Dropbox"
		}
		base := strings.ToLower(filepath.Base(dir))
		switch {
		case base == "dropbox" || strings.HasPrefix(base, "dropbox ("):
			return "Dropbox"
		case base == "onedrive" || strings.HasPrefix(base, "onedrive - "):
			return "OneDrive"
		case base == "google drive" || base == "googledrive" || base == "my drive" || strings.HasPrefix(base, "googledrive-"):
			return "Google Drive"
		}
		if parent := filepath.Dir(dir); parent == dir {
			return ""
		}
	}
}

// MoveTo moves the vault of a home (and its backup) into dir, a folder a
// sync tool carries, and remembers dir in the home. It refuses when dir
// already holds a vault: that one may be another PC's, to be joined with a
// fresh home instead.
func (s Store) MoveTo(dir string) (Store, error) {
	to := s
	to.VaultDir = dir
	if !to.Separate() || to.vaultDir() == s.vaultDir() {
		return s, fmt.Errorf("%w: the vault is already in %s", ErrExists, dir)
	}
	unlock, err := s.lock()
	if err != nil {
		return s, err
	}
	defer unlock()
	if _, err := os.Lstat(to.Path(VaultFile)); err == nil {
		return s, fmt.Errorf("%w: %s exists", ErrExists, to.Path(VaultFile))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return s, fmt.Errorf("making the vault folder: %w", err)
	}
	// Copied, recorded, then removed: a crash leaves two copies, never none.
	for _, f := range []string{BackupFile, VaultFile} {
		data, err := os.ReadFile(s.Path(f))
		if errors.Is(err, fs.ErrNotExist) && f == BackupFile {
			continue
		} else if err != nil {
			return s, fmt.Errorf("reading %s: %w", s.Path(f), err)
		}
		if err := atomicfile.Write(to.Path(f), data, 0o600); err != nil {
			return s, err
		}
	}
	if err := to.remember(); err != nil {
		return s, err
	}
	os.Remove(s.Path(VaultFile))
	os.Remove(s.Path(BackupFile))
	return to, nil
}
