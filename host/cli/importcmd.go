package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/importer"
	"nidan.dev/nidan/otp/market"
)

// errNothingToImport wraps the first rejected entry's error when a file
// holds nothing that can be imported.
var errNothingToImport = errors.New("nothing to import")

// maxImportFiles bounds how many files one import reads: Google
// Authenticator splits a large export into a few QR codes.
const maxImportFiles = 64

type importFlags struct {
	apply   bool
	markets string
}

func (c *ctx) importCmd() *cobra.Command {
	var o importFlags
	cmd := &cobra.Command{
		Use:   "import FILE|- …",
		Short: "import accounts: otpauth URIs, Google Authenticator export (text or QR image), Aegis, 2FAS, Authenticator",
		Long: `Import accounts from other authenticators: otpauth:// URIs one per line, a
Google Authenticator export (its otpauth-migration:// text, or screenshots of
its QR codes), or the unencrypted JSON exports of Aegis, 2FAS and the
Authenticator browser extension. "-" reads standard input.

Without --apply it is a dry run that lists what would be added; accounts
whose key is already in nidan are skipped, and a name that is taken gets
another.`,
		Example: `  nidan import aegis-export.json
  nidan import gauth-1.png gauth-2.png --marketplace jp --apply
  wl-paste | nidan import - --apply`,
		Args: argsBetween(1, maxImportFiles),
		RunE: func(_ *cobra.Command, args []string) error { return c.runImport(args, o) },
	}
	cmd.Flags().BoolVar(&o.apply, "apply", false, "write the accounts (default: a dry run that lists them)")
	marketFlag(cmd, &o.markets)
	return cmd
}

func (c *ctx) runImport(paths []string, o importFlags) error {
	keys, err := parseMarkets(o.markets)
	if err != nil {
		return err
	}
	if _, err := c.accounts(); err != nil {
		return err // no vault: say so before reading a file of secrets
	}
	var entries []importer.Entry
	for _, path := range paths {
		data, err := c.readInputFile(path, importer.MaxFile)
		if err != nil {
			return err
		}
		res, err := importer.Parse(data)
		if len(paths) > 1 {
			for i := range res.Entries {
				res.Entries[i].Where = path + ", " + res.Entries[i].Where
			}
			if err != nil {
				err = fmt.Errorf("%s: %w", path, err)
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "Read %s: %d account(s).\n", res.Format, len(res.Entries))
		entries = append(entries, res.Entries...)
	}
	if err := c.merge(entries, keys, modeOf(o.apply)); err != nil {
		return err
	}
	if o.apply && paths[0] != "-" {
		fmt.Fprintln(c.Stderr, "The imported file(s) hold keys in the clear: delete them now (and empty the trash).")
	}
	return nil
}

// parseMarkets reads --marketplace; empty means every marketplace.
func parseMarkets(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	return market.ParseKeys(s)
}

// readInputFile reads a file, or standard input for "-", up to max bytes.
func (c *ctx) readInputFile(path string, max int64) ([]byte, error) {
	var r io.Reader = c.Stdin
	if path == "-" && c.Terminal(0) {
		fmt.Fprintln(c.Stderr, "Paste the export, then press Ctrl-D (Ctrl-Z Enter on Windows):")
	}
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: %s is over %d MiB", importer.ErrTooLarge, path, max>>20)
	}
	return data, nil
}

// mergeMode says whether merge writes.
type mergeMode int

const (
	dryRun     mergeMode = iota
	applyNow             // --apply
	askFirst             // a dry run, then the question on the terminal
	applyAsked           // the yes to askFirst: the plan is on screen already
)

func modeOf(apply bool) mergeMode {
	if apply {
		return applyNow
	}
	return dryRun
}

// merge plans entries against the vault, prints the plan on stdout, and
// with applyNow (or a yes to askFirst) adds them in one vault update. keys, when set, binds every
// added Amazon account to those marketplaces (importer.Bind). The plan is made again under the
// vault lock, so that what is written is what is printed.
func (c *ctx) merge(entries []importer.Entry, keys []string, mode mergeMode) error {
	apply := mode == applyNow || mode == applyAsked
	plan := func(as []otp.Account) []importer.Planned {
		p := importer.Plan(as, entries)
		importer.Bind(p, keys)
		return p
	}
	var final []importer.Planned
	if !apply {
		as, err := c.accounts()
		if err != nil {
			return err
		}
		final = plan(as)
	} else {
		err := c.store.Update(func(as []otp.Account) ([]otp.Account, error) {
			final = plan(as)
			if len(importer.Accounts(final)) == 0 {
				return nil, errNothingToImport // nothing new: leave the vault as it is
			}
			return append(as, importer.Accounts(final)...), nil
		})
		if err != nil && !errors.Is(err, errNothingToImport) {
			return err
		}
	}
	if mode != applyAsked {
		c.printPlan(final)
	}
	if err := nothingToAdd(final); err != nil {
		return err
	}
	added := len(importer.Accounts(final))
	switch {
	case added == 0:
		fmt.Fprintln(c.Stderr, "Nothing to add: every account is already in nidan.")
	case mode == askFirst:
		ok, err := c.confirm(fmt.Sprintf("Add %d account(s) to the vault?", added))
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(c.Stderr, "Nothing written.")
			return nil
		}
		return c.merge(entries, keys, applyAsked)
	case !apply:
		fmt.Fprintf(c.Stderr, "Dry run: nothing written. Run again with --apply to add %d account(s).\n", added)
	default:
		fmt.Fprintf(c.Stderr, "Added %d account(s). `nidan list` shows them; bind them with `nidan edit NAME --marketplace jp` if needed.\n", added)
	}
	if n := backups(final); n > 0 {
		fmt.Fprintf(c.Stderr, "%d account(s) are not Amazon's (their issuer says so): nidan keeps them as a backup, bound to no Amazon site, and never fills their codes into a page. Bind one by hand only if it really is an Amazon account: `nidan edit NAME --marketplace jp`.\n", n)
	}
	return nil
}

// nothingToAdd fails when every entry was rejected: the file was bad input
// (HOTP only, broken secrets), not merely imported before.
func nothingToAdd(plan []importer.Planned) error {
	for _, p := range plan {
		if p.Err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: %s: %w", errNothingToImport, plan[0].Where, plan[0].Err)
}

// printPlan lists what happens to each entry: add, add under another name,
// or skip and why. Names and issuers only, never a secret.
func (c *ctx) printPlan(plan []importer.Planned) {
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, p := range plan {
		a := p.Account
		switch {
		case p.Err != nil:
			fmt.Fprintf(tw, "skip\t%s\t%s\t%v\n", describeEntry(p), a.Issuer, p.Err)
		case p.Duplicate != "":
			fmt.Fprintf(tw, "skip\t%s\t%s\tits secret is already in nidan as %q\n", describeEntry(p), a.Issuer, p.Duplicate)
		case p.Renamed():
			fmt.Fprintf(tw, "add\t%s\t%s\trenamed: %q is taken%s\n", p.Name, a.Issuer, a.Name, backupNote(p, "; "))
		default:
			fmt.Fprintf(tw, "add\t%s\t%s\t%s\n", p.Name, a.Issuer, backupNote(p, ""))
		}
	}
	tw.Flush()
}

// backupNote marks, in the plan, an account added bound to no host.
func backupNote(p importer.Planned, sep string) string {
	if !p.Backup() {
		return ""
	}
	return sep + "kept as backup, bound to no Amazon site"
}

// backups counts the accounts a plan adds bound to no host.
func backups(plan []importer.Planned) int {
	n := 0
	for _, p := range plan {
		if p.Backup() {
			n++
		}
	}
	return n
}

func describeEntry(p importer.Planned) string {
	switch {
	case p.Account.Name != "" && p.Where != "":
		return fmt.Sprintf("%s (%s)", p.Account.Name, p.Where)
	case p.Account.Name != "":
		return p.Account.Name
	}
	return p.Where
}
