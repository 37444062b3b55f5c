package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/atomicfile"
	"nidan.dev/nidan/otp/recipient"
	"nidan.dev/nidan/otp/vault"
)

var errNoSuchRecipient = errors.New("no such recipient")

// recipientsHeader opens a recipients file that nidan creates.
const recipientsHeader = "# Extra age recipients of vault.age and of `nidan backup`, one per line. Managed by `nidan recipients`.\n"

func (c *ctx) recipientsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "recipients add KEY | list | remove KEY|N",
		Short: "manage the extra age recipients (backup keys: age1…, ssh-…, age1yubikey1…)",
		Long: `Manage the extra age recipients: public keys that the vault and every
` + "`nidan backup`" + ` are encrypted to, besides this PC's identity. A backup key kept
apart from this PC (on paper, a USB stick, a YubiKey) opens the backups when
this PC is lost.`,
		Example: `  age-keygen -o ~/backup-key.txt      # keep this file off this PC
  nidan recipients add age1…
  nidan recipients add ~/.ssh/id_ed25519.pub
  nidan recipients list
  nidan recipients remove 2`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("missing subcommand: add, list or remove")
			}
			return usagef("unknown subcommand %q: add, list or remove", args[0])
		},
		RunE: func(*cobra.Command, []string) error { return nil }, // Args refuses every call
	}
	// The recipients belong to a vault: none yet, nothing to manage.
	needVault := func(*cobra.Command, []string) error { _, err := c.accounts(); return err }
	cmd.AddCommand(&cobra.Command{
		Use:     "list",
		Short:   "list the recipients, numbered",
		Example: "  nidan recipients list",
		Args:    argsBetween(0, 0),
		PreRunE: needVault,
		RunE:    func(*cobra.Command, []string) error { return c.recipientsList() },
	}, &cobra.Command{
		Use:   "add KEY|FILE.pub",
		Short: "add a recipient and re-encrypt the vault to it",
		Long: `Add a public key as a recipient: an age key (age1…), an SSH key (ssh-ed25519
or ssh-rsa, or its .pub file), or an age plugin's (age1yubikey1…, needs the
plugin installed). The vault is re-encrypted to it at once.`,
		Example: `  nidan recipients add age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
  nidan recipients add ~/.ssh/id_ed25519.pub`,
		Args:    argsBetween(1, 64),
		PreRunE: needVault,
		RunE:    func(_ *cobra.Command, args []string) error { return c.recipientsAdd(args) },
	}, &cobra.Command{
		Use:   "remove KEY|N",
		Short: "remove a recipient, by its key or its number in the list",
		Long: `Remove a recipient, given as its key or as its number in ` + "`nidan recipients list`" + `.
vault.age and vault.age.bak are re-encrypted without it; backups made earlier
still open with it.`,
		Example: `  nidan recipients remove 2`,
		Args:    argsBetween(1, 64),
		PreRunE: needVault,
		RunE:    func(_ *cobra.Command, args []string) error { return c.recipientsRemove(args) },
	})
	return cmd
}

// recipientLines reads the recipients file as lines, comments included, so
// that a rewrite keeps what the user wrote there.
func (c *ctx) recipientLines() ([]string, error) {
	data, err := os.ReadFile(c.store.Path(vault.RecipientsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading the recipients: %w", err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, nil
}

// parsedLine returns the recipient on line, or false for a blank line or a
// comment.
func parsedLine(line string) (recipient.Recipient, bool, error) {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "#") {
		return recipient.Recipient{}, false, nil
	}
	r, err := recipient.Parse(t)
	return r, err == nil, err
}

func (c *ctx) recipientsList() error {
	lines, err := c.recipientLines()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	n := 0
	for _, line := range lines {
		r, ok, err := parsedLine(line)
		if err != nil {
			// Listed all the same, so that it can be removed by number.
			n++
			fmt.Fprintf(tw, "%d\t%s\t%s\n", n, "unusable: "+err.Error(), shorten(strings.TrimSpace(line)))
			continue
		}
		if ok {
			n++
			kind := r.Kind
			if r.Plugin != "" {
				kind += " (age-plugin-" + r.Plugin + ")"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", n, kind, r.Text)
		}
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(c.Stderr, "No extra recipients: only this PC's identity opens the vault. Add a backup key with `nidan recipients add age1…`.")
	}
	return nil
}

func (c *ctx) recipientsAdd(pos []string) error {
	text, err := recipientArg(pos)
	if err != nil {
		return err
	}
	r, err := recipient.Parse(text)
	if err != nil {
		return err
	}
	err = c.changeRecipients(func(lines []string) ([]string, error) {
		for _, line := range lines {
			if old, ok, _ := parsedLine(line); ok && recipient.Same(old, r) {
				return nil, fmt.Errorf("%s is already a recipient", r.Kind)
			}
		}
		if len(lines) == 0 {
			lines = append(lines, strings.TrimSuffix(recipientsHeader, "\n"))
		}
		return append(lines, r.Text), nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Added the %s recipient; the vault is now encrypted to it too.\n", r.Kind)
	fmt.Fprintln(c.Stderr, "Next: `nidan backup FILE` writes a copy that this key opens; keep the key apart from this PC.")
	return nil
}

// recipientArg reads the recipient from the arguments: the key itself (an
// SSH key may come as several words), or the path of a .pub file.
func recipientArg(pos []string) (string, error) {
	text := strings.Join(pos, " ")
	if len(pos) == 1 && !strings.HasPrefix(text, "age1") && !strings.HasPrefix(text, "ssh-") {
		if data, err := os.ReadFile(text); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
					return t, nil
				}
			}
			return "", fmt.Errorf("%w: %s holds no recipient", recipient.ErrInvalid, text)
		}
	}
	return text, nil
}

func (c *ctx) recipientsRemove(pos []string) error {
	which := strings.Join(pos, " ")
	target, targetErr := recipient.Parse(which)
	var removed string
	err := c.changeRecipients(func(lines []string) ([]string, error) {
		n := 0
		for i, line := range lines {
			t := strings.TrimSpace(line)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			n++
			// A line that no longer parses (its plugin was uninstalled) can
			// still be removed by its number or its exact text.
			r, err := recipient.Parse(t)
			if strconv.Itoa(n) == which || t == which || err == nil && targetErr == nil && recipient.Same(r, target) {
				removed = t
				return append(lines[:i:i], lines[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("%w: %s (`nidan recipients list` shows them, numbered)", errNoSuchRecipient, which)
	})
	if err != nil {
		return err
	}
	// A second write re-encrypts vault.age.bak too, which would otherwise
	// keep the previous vault, still readable with the removed key.
	if err := c.store.Update(func(as []otp.Account) ([]otp.Account, error) { return as, nil }); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Removed %s; vault.age and vault.age.bak are re-encrypted without it.\n", shorten(removed))
	fmt.Fprintln(c.Stderr, "Backups made earlier still open with it: delete them, or keep that key safe.")
	return nil
}

// changeRecipients rewrites the recipients file and re-encrypts the vault
// to the new list, both under the vault lock. When the vault cannot be
// written, the old file is put back: the file must always say whom the
// vault is encrypted to.
func (c *ctx) changeRecipients(fn func(lines []string) ([]string, error)) error {
	path := c.store.Path(vault.RecipientsFile)
	var old []byte
	var hadOld, written bool
	err := c.store.Update(func(as []otp.Account) ([]otp.Account, error) {
		lines, err := c.recipientLines()
		if err != nil {
			return nil, err
		}
		old, err = os.ReadFile(path)
		hadOld = err == nil
		if lines, err = fn(lines); err != nil {
			return nil, err
		}
		if err := atomicfile.Write(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			return nil, err
		}
		written = true
		return as, nil // unchanged: writing re-encrypts to the new list
	})
	if err != nil && written {
		if hadOld {
			atomicfile.Write(path, old, 0o600)
		} else {
			os.Remove(path)
		}
	}
	return err
}

// shorten abbreviates a long recipient for messages.
func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:24]) + "…" + string(r[len(r)-8:])
	}
	return s
}
