package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/importer"
	"nidan.dev/nidan/otp/qr"
)

type exportFlags struct {
	asQR, uris, yes bool
	pngFile         string
}

func (c *ctx) exportCmd() *cobra.Command {
	var o exportFlags
	cmd := &cobra.Command{
		Use:   "export [NAME] --qr|--png FILE|--uris",
		Short: "show a key as a QR code or otpauth URIs, to enrol a phone as a second code source",
		Long: `Show an account's key so that a phone authenticator app (Google
Authenticator, Aegis, 2FAS…) can hold it too: a second, independent source of
codes. This shows the key in the clear, so nidan asks first.`,
		Example: `  nidan export shop-jp --qr
  nidan export shop-jp --png shop-jp.png
  nidan export --uris --yes > keys.txt   # every account; keep the file safe`,
		Args:              argsBetween(0, 1),
		ValidArgsFunction: c.completeAccounts(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.runExport(args, o) },
	}
	f := cmd.Flags()
	f.BoolVar(&o.asQR, "qr", false, "draw NAME's QR code in the terminal, for the phone to scan")
	f.StringVar(&o.pngFile, "png", "", "write NAME's QR code to a new PNG file (readable by you only)")
	f.BoolVar(&o.uris, "uris", false, "print otpauth URIs on stdout: NAME's, or every account's")
	f.BoolVar(&o.yes, "yes", false, "do not ask for confirmation (needed when standard input is not a terminal)")
	return cmd
}

func (c *ctx) runExport(pos []string, o exportFlags) error {
	var err error
	chosen := 0
	for _, b := range []bool{o.asQR, o.pngFile != "", o.uris} {
		if b {
			chosen++
		}
	}
	if chosen != 1 {
		return usagef("choose one of --qr, --png FILE or --uris")
	}
	if !o.uris && len(pos) == 0 {
		return usagef("name the account to export")
	}

	var as []otp.Account
	if len(pos) == 1 {
		a, err := c.lookup(pos[0])
		if err != nil {
			return err
		}
		as = []otp.Account{a}
	} else if as, err = c.accounts(); err != nil {
		return err
	}
	if len(as) == 0 {
		return errors.New("the vault holds no account to export")
	}

	what := fmt.Sprintf("the key of %q", as[0].Name)
	if len(as) > 1 {
		what = fmt.Sprintf("the keys of all %d accounts", len(as))
	}
	fmt.Fprintf(c.Stderr, "This shows %s in the clear: anyone who sees it can make your codes.\n", what)
	fmt.Fprintln(c.Stderr, "Why: scan it into a phone authenticator app (Google Authenticator, Aegis, 2FAS…) so that the phone is a second,")
	fmt.Fprintln(c.Stderr, "independent source of codes — losing this PC or the phone then does not lock you out of Amazon.")
	if !o.yes {
		ok, err := c.confirm(fmt.Sprintf("Show %s?", what))
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(c.Stderr, "Nothing exported.")
			return nil
		}
	}

	switch {
	case o.asQR:
		if err := qr.Terminal(c.Stdout, as[0].URI(), c.Terminal(1)); err != nil {
			return err
		}
	case o.pngFile != "":
		if err := writeNewFile(o.pngFile, func(f *os.File) error { return qr.PNG(f, as[0].URI()) }); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "Wrote %s. Delete it once the phone has scanned it: it holds the key.\n", o.pngFile)
	default:
		for _, a := range as {
			fmt.Fprintln(c.Stdout, importer.NidanURI(a))
		}
	}
	for _, a := range as {
		if !a.PhoneBackup {
			name := shellQuote(a.Name)
			fmt.Fprintf(c.Stderr, "Once a phone shows the same codes as `nidan code %s`, record it: nidan edit %s --phone-backup=true\n", name, name)
		}
	}
	return nil
}

// writeNewFile creates path, readable by the user only, and fills it with
// write. It refuses to replace an existing file, and removes what it wrote
// when write fails: a half-written key file helps nobody.
func writeNewFile(path string, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists; choose another file name (nidan never overwrites one)", path)
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// shellQuote quotes a name for a command line the user copies.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@._+-/:,=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
