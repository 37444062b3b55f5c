package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"

	"filippo.io/age"

	"nidan.dev/nidan/otp/backup"
	"nidan.dev/nidan/otp/importer"
	"nidan.dev/nidan/otp/recipient"
	"nidan.dev/nidan/otp/vault"
)

// Errors of backup and restore, matched by hint.
var (
	errNoBackupKey     = errors.New("there is no backup key to encrypt to")
	errNeedTerminal    = errors.New("a passphrase is read from a terminal only")
	errPassphraseMatch = errors.New("the two passphrases differ")
)

// scryptWorkFactor is age's scrypt cost for passphrase backups; 0 keeps
// age's default (2^18, about a second and 256 MiB). Tests lower it.
var scryptWorkFactor = 0

// maxBackupFile bounds what restore reads.
const maxBackupFile = 16 << 20

func runBackup(c *ctx, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	usePassphrase := fs.Bool("passphrase", false, "encrypt to a passphrase typed twice, instead of the backup keys")
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	accounts, err := c.accounts()
	if err != nil {
		return err
	}
	var to []age.Recipient
	if *usePassphrase {
		pass, err := c.readPassphrase(true)
		if err != nil {
			return err
		}
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return err
		}
		if scryptWorkFactor > 0 {
			r.SetWorkFactor(scryptWorkFactor)
		}
		to = append(to, r)
	} else {
		data, err := os.ReadFile(c.store.Path(vault.RecipientsFile))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading the recipients: %w", err)
		}
		rs, err := recipient.ParseFile(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("the recipients file %s: %w", c.store.Path(vault.RecipientsFile), err)
		}
		if len(rs) == 0 {
			return errNoBackupKey
		}
		to = rs
	}
	if err := writeNewFile(pos[0], func(f *os.File) error { return backup.Write(f, accounts, to...) }); err != nil {
		return err
	}
	opens := fmt.Sprintf("your %d backup key(s) (`nidan recipients list`)", len(to))
	if *usePassphrase {
		opens = "the passphrase"
	}
	fmt.Fprintf(c.Stderr, "Wrote %d account(s) to %s, encrypted to %s.\n", len(accounts), pos[0], opens)
	fmt.Fprintf(c.Stderr, "Keep it off this PC. To bring it back: nidan restore %s\n", pos[0])
	return nil
}

// readPassphrase reads a passphrase from the terminal, never from argv or a
// pipe, where it would land in shell history or a file; twice when it is
// being chosen.
func (c *ctx) readPassphrase(twice bool) (string, error) {
	if !c.Terminal(0) {
		return "", errNeedTerminal
	}
	fmt.Fprint(c.Stderr, "Passphrase (input hidden): ")
	first, err := c.ReadSecret()
	fmt.Fprintln(c.Stderr)
	if err != nil {
		return "", fmt.Errorf("reading the passphrase: %w", err)
	}
	if len(first) == 0 {
		return "", errors.New("the passphrase is empty")
	}
	if twice {
		fmt.Fprint(c.Stderr, "Same passphrase again: ")
		second, err := c.ReadSecret()
		fmt.Fprintln(c.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase: %w", err)
		}
		if string(first) != string(second) {
			return "", errPassphraseMatch
		}
	}
	return string(first), nil
}

func runRestore(c *ctx, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	identity := fs.String("identity", "", "identity file of the backup key (default: this home's identity)")
	apply := fs.Bool("apply", false, "write the accounts (default: a dry run that lists them)")
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if _, err := c.accounts(); err != nil {
		return err
	}
	data, err := c.readInputFile(pos[0], maxBackupFile)
	if err != nil {
		return err
	}
	var ids []age.Identity
	if backup.NeedsPassphrase(data) {
		pass, err := c.readPassphrase(false)
		if err != nil {
			return err
		}
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	} else {
		path := *identity
		if path == "" {
			path = c.store.Path(vault.IdentityFile)
		}
		keys, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading the identity: %w", err)
		}
		if ids, err = recipient.ParseIdentities(keys); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	accounts, err := backup.Read(data, ids...)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Read the nidan backup %s: %d account(s).\n", pos[0], len(accounts))
	entries := make([]importer.Entry, len(accounts))
	for i, a := range accounts {
		entries[i] = importer.Entry{Account: a}
	}
	return c.merge(entries, nil, *apply)
}
