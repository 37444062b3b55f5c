package vault

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/atomicfile"
	"nidan.dev/nidan/otp/regfile"
)

// Update changes the accounts under the vault lock and writes the result
// atomically, keeping the previous vault as vault.age.bak. fn gets every
// account (merged with any conflict copy the sync tool left) and returns
// the new list; when it fails, nothing is written. When Update returns nil
// the change is on disk and survives a crash.
func (s Store) Update(fn func([]otp.Account) ([]otp.Account, error)) error {
	return s.update(func(c *contents, now int64) error {
		accounts, err := fn(c.plainAccounts())
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, a := range accounts {
			if err := a.Validate(); err != nil {
				return &AccountError{Name: a.Name, Err: err}
			}
			if seen[a.Name] {
				return &AccountError{Name: a.Name, Err: ErrDuplicate}
			}
			seen[a.Name] = true
		}
		c.setAccounts(accounts, now)
		return nil
	})
}

// update runs fn on the merged contents under the lock and writes the
// result: the state before (vault.age as it was) becomes vault.age.bak, the
// conflict copies that were merged are removed afterwards, and so are the
// backup's own conflict copies, which hold nothing the merge lacks.
func (s Store) update(fn func(c *contents, now int64) error) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	atomicfile.RemoveStale(s.Dir)
	if s.Separate() {
		atomicfile.RemoveStale(s.VaultDir)
	}

	ids, err := s.identities()
	if err != nil {
		return err
	}
	old, err := readPrivate(s.Path(VaultFile))
	if err != nil {
		return err
	}
	cur, err := decryptContents(old, ids)
	if err != nil {
		return s.decryptError(err, ids)
	}
	copies, merged, stale := s.readConflicts(ids)
	now := s.now()
	cur = merge(now, append([]contents{cur}, copies...)...)
	if err := fn(&cur, now); err != nil {
		return err
	}
	cur.addSelf(ids, now)
	if err := atomicfile.Write(s.Path(BackupFile), old, 0o600); err != nil {
		return err
	}
	if err := s.write(cur, ids); err != nil {
		return err
	}
	for _, p := range append(merged, stale...) {
		os.Remove(p) // a copy left behind is merged again next time
	}
	return nil
}

func (s Store) now() int64 {
	if s.Now != nil {
		return s.Now().UnixMilli()
	}
	return time.Now().UnixMilli()
}

// readConflicts reads the conflict copies beside the vault that this PC's
// identity opens; merged are their paths, stale those of the backup's
// copies. A copy that does not open is left for a PC that can open it.
func (s Store) readConflicts(ids []age.Identity) (copies []contents, merged, stale []string) {
	vaults, backups := s.conflictNames()
	for _, name := range vaults {
		path := filepath.Join(s.vaultDir(), name)
		data, err := readPrivate(path)
		if err != nil {
			continue
		}
		c, err := decryptContents(data, ids)
		if err != nil {
			continue
		}
		copies = append(copies, c)
		merged = append(merged, path)
	}
	for _, name := range backups {
		stale = append(stale, filepath.Join(s.vaultDir(), name))
	}
	return copies, merged, stale
}

// conflictNames lists the conflict copies in the vault folder. Without the
// runtime poller: the host calls it on every start when the vault is shared.
func (s Store) conflictNames() (vaults, backups []string) {
	d, err := regfile.Open(s.vaultDir())
	if err != nil {
		return nil, nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	return conflictCopies(names)
}

// ConflictCopies returns the paths of the conflict copies waiting beside the
// vault (merged by the next write).
func (s Store) ConflictCopies() []string {
	vaults, backups := s.conflictNames()
	var paths []string
	for _, n := range append(vaults, backups...) {
		paths = append(paths, filepath.Join(s.vaultDir(), n))
	}
	return paths
}

// mergeConflicts makes r read the union of the vault and its conflict
// copies, when there are any: a reader sees every account while a conflict
// waits for a writer.
func (r *Reader) mergeConflicts(s Store, ids []age.Identity) error {
	vaults, _ := s.conflictNames()
	if len(vaults) == 0 {
		return nil
	}
	copies, _, _ := s.readConflicts(ids)
	if len(copies) == 0 {
		return nil
	}
	cur, err := r.p.contents()
	if err != nil {
		return err
	}
	pt := merge(s.now(), append([]contents{cur}, copies...)...).encode()
	p, err := parsePlaintext(bytes.NewReader(pt), int64(len(pt)))
	if err != nil {
		return err
	}
	r.p = p
	return nil
}

func decryptContents(ciphertext []byte, ids []age.Identity) (contents, error) {
	r, err := age.Decrypt(bytes.NewReader(ciphertext), ids...)
	if err != nil {
		return contents{}, err
	}
	pt, err := io.ReadAll(r)
	if err != nil {
		return contents{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	p, err := parsePlaintext(bytes.NewReader(pt), int64(len(pt)))
	if err != nil {
		return contents{}, err
	}
	return p.contents()
}

// write encrypts c to this PC, every device and every recipient of the
// recipients file.
func (s Store) write(c contents, ids []age.Identity) error {
	rs, err := s.Recipients(ids)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range rs {
		if x, ok := r.(*age.X25519Recipient); ok {
			have[x.String()] = true
		}
	}
	for _, d := range c.devices {
		if have[d.Recipient] {
			continue
		}
		r, err := age.ParseX25519Recipient(d.Recipient)
		if err != nil {
			return fmt.Errorf("%w: device %q has an invalid key", ErrCorrupt, d.Name)
		}
		have[d.Recipient] = true
		rs = append(rs, r)
	}
	if s.Separate() {
		rs = orderStanzas(rs)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return fmt.Errorf("encrypting the vault: %w", err)
	}
	if _, err := w.Write(c.encode()); err != nil {
		return fmt.Errorf("encrypting the vault: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("encrypting the vault: %w", err)
	}
	return atomicfile.Write(s.Path(VaultFile), buf.Bytes(), 0o600)
}

// setAccounts replaces the accounts with as: an account that changed, or is
// new, gets the time now; one that is gone gets a tombstone. Times only move
// forward, so that this PC's own edits keep their order even when its clock
// is behind the PC that wrote the previous version.
func (c *contents) setAccounts(as []otp.Account, now int64) {
	prev := map[string]entry{}
	for _, e := range c.accounts {
		prev[e.Name] = e
	}
	next := make([]entry, len(as))
	kept := map[string]bool{}
	for i, a := range as {
		e := entry{Account: a, modified: now}
		if p, ok := prev[a.Name]; ok {
			if recordKey(&p) == recordKey(&e) {
				e.modified = p.modified
			} else {
				e.modified = max(now, p.modified+1)
			}
		}
		next[i] = e
		kept[a.Name] = true
	}
	c.gone = slices.DeleteFunc(c.gone, func(t tombstone) bool { return t.kind == goneAccount && kept[t.name] })
	for name, p := range prev {
		if !kept[name] {
			c.gone = append(c.gone, tombstone{kind: goneAccount, name: name, deleted: max(now, p.modified+1)})
		}
	}
	c.accounts = next
}
