package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

func (c *ctx) initCmd() *cobra.Command {
	var dir string
	var keep bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "create the identity and an empty vault; in a synced folder, join the vault already there",
		Long: `Create this PC's age identity (the key that opens the vault) in the nidan
home ($NIDAN_HOME, else your config folder) and an empty vault beside it, or in
the folder given to --vault-dir ($NIDAN_VAULT_DIR), e.g. a folder a sync tool
carries to your other PCs. When that folder already holds a vault, it is
joined: a PC where it opens adds this one with ` + "`nidan devices add`" + `.
Prints this PC's public key on stdout. With --keep, a PC that already has
its identity keeps it and its vault, wherever that is, and nothing changes:
for install scripts, which run again to upgrade.`,
		Example: `  nidan init
  nidan init --vault-dir ~/Sync/nidan
  nidan init --keep`,
		Args: argsBetween(0, 0),
		RunE: func(*cobra.Command, []string) error {
			if keep && dir == "" && haveIdentity(c) {
				fmt.Fprintf(c.Stderr, "Keeping this PC's nidan identity and vault (%s).\n", c.store.Path(vault.VaultFile))
				return nil
			}
			return initVault(c, dir)
		},
	}
	cmd.Flags().StringVar(&dir, "vault-dir", "", "keep the vault in `DIR` (a folder a sync tool carries); the identity stays in the home")
	cmd.Flags().BoolVar(&keep, "keep", false, "when this PC already has its identity, keep it and the vault and change nothing")
	cmd.MarkFlagDirname("vault-dir")
	return cmd
}

// maxInput bounds what `nidan add` reads: an otpauth URI is a few hundred
// bytes.
const maxInput = 64 << 10

// readSecretInput reads the one line a user pastes: hidden on a terminal,
// else from standard input. Never from the command line, where it would
// land in the shell's history and in `ps`.
func (c *ctx) readSecretInput() (string, error) {
	if c.Terminal(0) {
		fmt.Fprint(c.Stderr, "Paste the otpauth:// URI or the key Amazon shows under \"Can't scan the barcode?\" (input hidden): ")
		line, err := c.ReadSecret()
		fmt.Fprintln(c.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the key: %w", err)
		}
		return strings.TrimSpace(string(line)), nil
	}
	data, err := io.ReadAll(io.LimitReader(c.Stdin, maxInput+1))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	if len(data) > maxInput {
		return "", fmt.Errorf("standard input is over %d KiB: expected one otpauth URI or key", maxInput>>10)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	switch len(lines) {
	case 0:
		return "", fmt.Errorf("%w: standard input is empty; pipe in the otpauth URI or the key", otp.ErrInvalidSecret)
	case 1:
		return lines[0], nil
	default:
		return "", usagef("standard input holds %d lines; add reads one account (`nidan import` reads many)", len(lines))
	}
}

type addFlags struct {
	markets, qrFile, label string
	asJSON                 bool
}

func (c *ctx) addCmd() *cobra.Command {
	var o addFlags
	cmd := &cobra.Command{
		Use:   "add [NAME]",
		Short: "add an account; reads an otpauth URI or Amazon's key on stdin, or its QR code",
		Long: `Add an Amazon account. On a terminal nidan asks for the key with the input
hidden; else it reads one line from standard input: the key Amazon shows under
"Can't scan the barcode?" (groups of four letters and digits), an otpauth://
URI, or a Google Authenticator export of one account. --qr reads the QR code
from a screenshot instead. The key never goes on the command line, where it
would land in the shell's history.

NAME is how you call the account in nidan (e.g. shop-jp); an otpauth URI
brings its own. nidan prints the first code: type it into Amazon's setup page
to finish.`,
		Example: `  nidan add shop-jp --marketplace jp
  nidan add shop-jp --qr ~/Pictures/amazon-qr.png
  wl-paste | nidan add seller-de --marketplace de,uk --label seller@example.com`,
		Args: argsBetween(0, 1),
		RunE: func(_ *cobra.Command, args []string) error { return c.runAdd(o, args) },
	}
	marketFlag(cmd, &o.markets)
	f := cmd.Flags()
	f.StringVar(&o.qrFile, "qr", "", "read the account from a PNG or JPEG screenshot of Amazon's QR code")
	f.StringVar(&o.label, "label", "", "the e-mail the account signs in with (default: the URI's label)")
	f.BoolVar(&o.asJSON, "json", false, "answer with one JSON object on stdout, also on failure (the native host uses it)")
	cmd.MarkFlagFilename("qr", "png", "jpg", "jpeg")
	return cmd
}

func (c *ctx) runAdd(o addFlags, pos []string) (err error) {
	if o.asJSON {
		// The native host runs `nidan add --json` to enrol from Amazon's
		// setup page and maps this answer, so a failure is an object too.
		defer func() {
			if err != nil {
				writeJSON(c.Stdout, addFailure(err))
			}
		}()
	}
	c.addMarkets = o.markets
	var keys []string
	if o.markets != "" {
		if keys, err = market.ParseKeys(o.markets); err != nil {
			return err
		}
	}
	// Check the vault and the name before asking for the key, so that the
	// user is not made to paste a secret for nothing, or twice.
	// This read takes no lock: on Windows it may meet a parallel add's
	// replace of vault.age, and both sides retry (otp/sharing). Taking the
	// lock here too doubled the lock's hold per add, and six adds under
	// Wine on a loaded machine then outwaited the lock's 15 s.
	as, err := c.accounts()
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for _, b := range as {
		taken[b.Name] = true
	}
	if len(pos) == 1 {
		if err := checkNewName(pos[0], taken); err != nil {
			return err
		}
	}

	a, err := c.readAddInput(o.qrFile)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		a.Name = pos[0]
	}
	if a.Name == "" || taken[a.Name] {
		// A bare key carries no name, and a URI's may be taken: on a
		// terminal ask now, with the key in hand, rather than fail.
		if !c.Terminal(0) || o.asJSON {
			if a.Name != "" {
				return checkNewName(a.Name, taken)
			}
			return usagef("name the account: a bare key carries no name (nidan add NAME)")
		}
		if a.Name, err = c.askName(a.Name, taken); err != nil {
			return err
		}
	}
	if err = otp.ValidateName(a.Name); err != nil {
		return err
	}
	if o.label != "" {
		a.Label = o.label
	}
	a.Marketplaces = keys
	return c.addAccount(a, o.asJSON)
}

// checkNewName refuses a name that is invalid or taken.
func checkNewName(name string, taken map[string]bool) error {
	if err := otp.ValidateName(name); err != nil {
		return err
	}
	if taken[name] {
		return &vault.AccountError{Name: name, Err: vault.ErrDuplicate}
	}
	return nil
}

// askName asks on the terminal for the name of an account whose key was
// just read, until a free, valid name is given (three tries).
func (c *ctx) askName(uriName string, taken map[string]bool) (string, error) {
	if uriName != "" {
		fmt.Fprintf(c.Stderr, "%q is already the name of an account in nidan.\n", uriName)
	}
	var err error
	for try := 0; try < 3; try++ {
		fmt.Fprint(c.Stderr, "Name for this account in nidan (e.g. shop-jp): ")
		var name string
		if name, err = c.readLine(); err != nil {
			return "", fmt.Errorf("reading the name: %w", err)
		}
		if err = checkNewName(name, taken); err == nil {
			return name, nil
		}
		fmt.Fprintf(c.Stderr, "%v\n", err)
	}
	return "", err
}

// addAccount stores a new account and prints its first code, which the
// user types into Amazon's setup page to finish enrolling (or the native
// host puts there, from the JSON answer).
func (c *ctx) addAccount(a otp.Account, asJSON bool) error {
	err := c.store.Update(func(as []otp.Account) ([]otp.Account, error) {
		for _, b := range as {
			if b.Name == a.Name {
				return nil, &vault.AccountError{Name: a.Name, Err: vault.ErrDuplicate}
			}
			if b.Secret.Equal(a.Secret) {
				return nil, &vault.AccountError{Name: b.Name, Err: vault.ErrDuplicateKey}
			}
		}
		return append(as, a), nil
	})
	if err != nil {
		return err
	}
	now := c.Now()
	code, err := a.Code(now)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.Stdout, added{Account: jsonAccount(a), Code: code, Period: a.Period, Remaining: a.Remaining(now)})
	}
	fmt.Fprintf(c.Stderr, "Added %q, bound to %s.\n", a.Name, describeBinding(a))
	left := a.Remaining(now)
	if !a.Bound() {
		// Another service's key, kept as a backup: no Amazon page to finish.
		fmt.Fprintf(c.Stderr, "Its current code, to compare with your phone's (valid %d more seconds):\n", left)
		fmt.Fprintln(c.Stdout, code)
		return nil
	}
	fmt.Fprintf(c.Stderr, "Type this code into Amazon's setup page to finish (valid %d more seconds):\n", left)
	fmt.Fprintln(c.Stdout, code)
	if left < 5 {
		fmt.Fprintf(c.Stderr, "It is about to change: if Amazon refuses it, type the next one (`nidan code %s`).\n", a.Name)
	}
	return nil
}

// accountJSON is an account as `nidan list --json` and `nidan add --json`
// print it: never its secret.
type accountJSON struct {
	Name         string   `json:"name"`
	Issuer       string   `json:"issuer"`
	Label        string   `json:"label"`
	Marketplaces []string `json:"marketplaces"`
	// Bound is false for an account bound to no host (otp.Account.Bound).
	Bound       bool `json:"bound"`
	PhoneBackup bool `json:"phone_backup"`
}

func jsonAccount(a otp.Account) accountJSON {
	return accountJSON{a.Name, a.Issuer, a.Label, append([]string{}, a.Marketplaces...), a.Bound(), a.PhoneBackup}
}

// added is the answer of `nidan add --json`.
type added struct {
	Account   accountJSON `json:"account"`
	Code      string      `json:"code"`
	Period    int         `json:"period"`
	Remaining int         `json:"remaining"`
}

// failedJSON is a failure of `nidan add --json`. Codes (a stable set, which
// host/protocol maps to its own): usage, duplicate (Account holds the name
// or the key), bad_secret, bad_name, bad_label, bad_marketplace,
// vault_missing, vault_unreadable, locked, internal.
type failedJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Account string `json:"account,omitempty"`
	} `json:"error"`
}

// addFailure turns an error of add into its JSON answer. Messages come from
// errors that never quote a secret.
func addFailure(err error) failedJSON {
	var f failedJSON
	f.Error.Message = err.Error()
	var usage *usageError
	var acct *vault.AccountError
	var perm *vault.PermissionError
	var unknownMarket *market.UnknownKeyError
	switch {
	case errors.As(err, &usage):
		f.Error.Code = "usage"
	case errors.Is(err, vault.ErrDuplicate), errors.Is(err, vault.ErrDuplicateKey):
		f.Error.Code = "duplicate"
		if errors.As(err, &acct) {
			f.Error.Account = acct.Name
		}
	case errors.Is(err, otp.ErrInvalidSecret):
		f.Error.Code = "bad_secret"
	case errors.Is(err, otp.ErrInvalidName):
		f.Error.Code = "bad_name"
	case errors.Is(err, otp.ErrInvalidField):
		f.Error.Code = "bad_label"
	case errors.As(err, &unknownMarket):
		f.Error.Code = "bad_marketplace"
	case errors.Is(err, vault.ErrMissing):
		f.Error.Code = "vault_missing"
	case errors.As(err, &perm), errors.Is(err, vault.ErrNoIdentity), errors.Is(err, vault.ErrBadIdentity),
		errors.Is(err, vault.ErrWrongIdentity), errors.Is(err, vault.ErrCorrupt):
		f.Error.Code = "vault_unreadable"
	case errors.Is(err, vault.ErrLocked):
		f.Error.Code = "locked"
	default:
		f.Error.Code = "internal"
	}
	return f
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// describeBinding says where an account's codes may go.
func describeBinding(a otp.Account) string {
	switch {
	case !a.Bound():
		return fmt.Sprintf("no Amazon site: its issuer (%q) is not Amazon, so nidan keeps it as a backup and never fills its code into a page; bind it by hand only if it is an Amazon account (`nidan edit %s --marketplace jp`)", a.Issuer, a.Name)
	case len(a.Marketplaces) == 0:
		return "every Amazon marketplace"
	}
	return strings.Join(a.Marketplaces, ", ") + " (" + strings.Join(a.Hosts(), ", ") + ")"
}

func (c *ctx) accounts() ([]otp.Account, error) {
	r, err := c.store.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.All()
}
