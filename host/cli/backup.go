package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"filippo.io/age"
	"github.com/spf13/cobra"

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

func (c *ctx) backupCmd() *cobra.Command {
	var usePassphrase bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "write an encrypted copy of every account, to the backup keys or a passphrase",
		Long: `Write every account to FILE, encrypted with age to the backup keys
(` + "`nidan recipients list`" + `), or with --passphrase to a passphrase typed twice
on the terminal. This PC's own identity is not a backup key: the copy is for
when this PC is lost. ` + "`nidan restore FILE`" + ` brings the accounts back.`,
		Example: `  nidan recipients add age1…   # once: a key kept apart from this PC
  nidan backup /media/usb/nidan-backup.age
  nidan backup nidan-backup.age --passphrase`,
		Args: argsBetween(1, 1),
		RunE: func(_ *cobra.Command, args []string) error { return c.runBackup(args[0], usePassphrase) },
	}
	cmd.Flags().BoolVar(&usePassphrase, "passphrase", false, "encrypt to a passphrase typed twice on the terminal, instead of the backup keys")
	return cmd
}

func (c *ctx) runBackup(file string, usePassphrase bool) error {
	accounts, err := c.accounts()
	if err != nil {
		return err
	}
	var to []age.Recipient
	if usePassphrase {
		pass, err := c.readPassphrase(true)
		if err != nil {
			return err
		}
		if err := c.confirmStrength(pass, accounts); err != nil {
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
	if err := writeNewFile(file, func(f *os.File) error { return backup.Write(f, accounts, to...) }); err != nil {
		return err
	}
	opens := fmt.Sprintf("your %d backup key(s) (`nidan recipients list`)", len(to))
	if usePassphrase {
		opens = "the passphrase"
	}
	fmt.Fprintf(c.Stderr, "Wrote %d account(s) to %s, encrypted to %s.\n", len(accounts), file, opens)
	fmt.Fprintf(c.Stderr, "Keep it off this PC. To bring it back: nidan restore %s\n", file)
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

type restoreFlags struct {
	identity string
	apply    bool
}

func (c *ctx) restoreCmd() *cobra.Command {
	var o restoreFlags
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "merge the accounts of a backup into the vault",
		Long: `Read a file written by ` + "`nidan backup`" + ` and list what it would add: accounts
whose key is already in the vault are skipped, and a name that is taken gets
another. --apply writes them. A passphrase backup asks for the passphrase on
the terminal; a backup to a key needs that key's identity file.`,
		Example: `  nidan restore nidan-backup.age
  nidan restore nidan-backup.age --identity ~/backup-key.txt --apply`,
		Args: argsBetween(1, 1),
		RunE: func(_ *cobra.Command, args []string) error { return c.runRestore(args[0], o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.identity, "identity", "", "the backup key's identity file: age (AGE-SECRET-KEY-1…), plugin, or SSH private key (default: this home's identity)")
	f.BoolVar(&o.apply, "apply", false, "write the accounts (default: a dry run that lists them)")
	return cmd
}

func (c *ctx) runRestore(file string, o restoreFlags) error {
	if _, err := c.accounts(); err != nil {
		return err
	}
	data, err := c.readInputFile(file, maxBackupFile)
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
		path := o.identity
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
	fmt.Fprintf(c.Stderr, "Read the nidan backup %s: %d account(s).\n", file, len(accounts))
	entries := make([]importer.Entry, len(accounts))
	for i, a := range accounts {
		entries[i] = importer.Entry{Account: a}
	}
	mode := modeOf(o.apply)
	if !o.apply && c.Terminal(0) {
		mode = askFirst // so that "To bring it back: nidan restore FILE" does
	}
	return c.merge(entries, nil, mode)
}
