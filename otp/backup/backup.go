// Package backup writes and reads nidan's backup files: the accounts of a
// vault, every field kept, age-encrypted to backup keys or to a passphrase.
//
// The plaintext is JSON (documented in FORMAT.md beside this file) so that a
// user with age and no nidan can still read their seeds back.
package backup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
)

// Errors matched with errors.Is. No message quotes a secret.
var (
	ErrNotBackup       = errors.New("not a nidan backup")
	ErrWrongPassphrase = errors.New("wrong passphrase")
	ErrNoKey           = errors.New("none of the given keys opens the backup")
	ErrDamaged         = errors.New("the backup is damaged")
)

// Format names the plaintext; Version is bumped when a field changes meaning.
const (
	Format  = "nidan-backup"
	Version = 1
)

// maxBackup bounds what Read decrypts: a vault of a thousand accounts is
// some 300 KiB.
const maxBackup = 16 << 20

type file struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Accounts []account `json:"accounts"`
}

type account struct {
	Name         string   `json:"name"`
	Issuer       string   `json:"issuer"`
	Label        string   `json:"label"`
	Marketplaces []string `json:"marketplaces"`
	Secret       string   `json:"secret"`
	Algorithm    string   `json:"algorithm"`
	Digits       int      `json:"digits"`
	Period       int      `json:"period"`
	PhoneBackup  bool     `json:"phone_backup"`
}

// Encode returns the plaintext of a backup of accounts.
func Encode(accounts []otp.Account) []byte {
	f := file{Format: Format, Version: Version, Accounts: []account{}}
	for _, a := range accounts {
		f.Accounts = append(f.Accounts, account{
			Name: a.Name, Issuer: a.Issuer, Label: a.Label,
			Marketplaces: append([]string{}, a.Marketplaces...),
			Secret:       a.Secret.Base32(),
			Algorithm:    string(a.Algorithm), Digits: a.Digits, Period: a.Period,
			PhoneBackup: a.PhoneBackup,
		})
	}
	out, _ := json.MarshalIndent(f, "", "  ") // plain structs: cannot fail
	return append(out, '\n')
}

// Decode parses a backup's plaintext and validates every account.
func Decode(plaintext []byte) ([]otp.Account, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(plaintext))
	if err := dec.Decode(&f); err != nil || f.Format != Format {
		return nil, fmt.Errorf("%w: it decrypts, but to something else", ErrNotBackup)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%w: version %d; this nidan reads version %d (update nidan)", ErrNotBackup, f.Version, Version)
	}
	var out []otp.Account
	for i, b := range f.Accounts {
		s, err := otp.ParseSecret(b.Secret)
		if err != nil {
			return nil, fmt.Errorf("%w: account %d: %w", ErrDamaged, i+1, err)
		}
		a := otp.Account{
			Name: b.Name, Issuer: b.Issuer, Label: b.Label, Secret: s,
			Marketplaces: slices.Clip(b.Marketplaces),
			Algorithm:    otp.Algorithm(b.Algorithm), Digits: b.Digits, Period: b.Period,
			PhoneBackup: b.PhoneBackup,
		}
		if len(a.Marketplaces) == 0 {
			a.Marketplaces = nil
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("%w: account %d: %w", ErrDamaged, i+1, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// Write encrypts a backup of accounts to the recipients.
func Write(w io.Writer, accounts []otp.Account, recipients ...age.Recipient) error {
	enc, err := age.Encrypt(w, recipients...)
	if err != nil {
		return fmt.Errorf("encrypting the backup: %w", err)
	}
	if _, err := enc.Write(Encode(accounts)); err != nil {
		return fmt.Errorf("encrypting the backup: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encrypting the backup: %w", err)
	}
	return nil
}

// NeedsPassphrase reports whether a backup was encrypted to a passphrase,
// from its header; a file that is not age at all reports false and fails
// in Read.
func NeedsPassphrase(data []byte) bool {
	hdr, _, _ := bytes.Cut(data, []byte("\n---"))
	return bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) && bytes.Contains(hdr, []byte("\n-> scrypt "))
}

// Read decrypts a backup with the identities (a passphrase is an
// age.ScryptIdentity) and returns its accounts.
func Read(data []byte, ids ...age.Identity) ([]otp.Account, error) {
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) {
		return nil, fmt.Errorf("%w: it is not an age-encrypted file", ErrNotBackup)
	}
	r, err := age.Decrypt(bytes.NewReader(data), ids...)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &noMatch) && NeedsPassphrase(data):
			return nil, ErrWrongPassphrase
		case errors.As(err, &noMatch):
			return nil, ErrNoKey
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	pt, err := io.ReadAll(io.LimitReader(r, maxBackup+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if len(pt) > maxBackup {
		return nil, fmt.Errorf("%w: over %d MiB", ErrNotBackup, maxBackup>>20)
	}
	return Decode(pt)
}
