package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

func runInit(c *ctx, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	dir := fs.String("vault-dir", "", "keep the vault in `DIR` (a folder a sync tool carries); the identity stays in the home")
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	return initVault(c, *dir)
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

func marketFlag(fs *flag.FlagSet) *string {
	return fs.String("marketplace", "", "comma-separated marketplaces (jp, us, de, …); default: every Amazon marketplace for an Amazon account, none for another service's")
}

func runAdd(c *ctx, args []string) (err error) {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	markets := marketFlag(fs)
	qrFile := fs.String("qr", "", "read the account from a PNG or JPEG screenshot of the QR code")
	label := fs.String("label", "", "the e-mail the account signs in with (default: the URI's label)")
	asJSON := fs.Bool("json", false, "answer with one JSON object on stdout, also on failure (for the native host)")
	pos, err := parseFlags(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if *asJSON {
		// The native host runs `nidan add --json` to enrol from Amazon's
		// setup page and maps this answer, so a failure is an object too.
		defer func() {
			if err != nil {
				writeJSON(c.Stdout, addFailure(err))
			}
		}()
	}
	var keys []string
	if *markets != "" {
		if keys, err = market.ParseKeys(*markets); err != nil {
			return err
		}
	}
	// Check the vault before asking for the key, so that a user without one
	// is not made to paste a secret for nothing.
	r, err := c.store.Open()
	if err != nil {
		return err
	}
	r.Close()

	a, err := c.readAddInput(*qrFile)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		a.Name = pos[0]
	}
	if a.Name == "" {
		return usagef("name the account: a bare key carries no name (nidan add NAME)")
	}
	if err = otp.ValidateName(a.Name); err != nil {
		return err
	}
	if *label != "" {
		a.Label = *label
	}
	a.Marketplaces = keys
	return c.addAccount(a, *asJSON)
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

func runList(c *ctx, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	as, err := c.accounts()
	if err != nil {
		return err
	}
	if *asJSON {
		rows := []accountJSON{}
		for _, a := range as {
			rows = append(rows, jsonAccount(a))
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(as) == 0 {
		fmt.Fprintln(c.Stderr, "No accounts yet. Add one with `nidan add NAME --marketplace jp`.")
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tISSUER\tLABEL\tMARKETPLACES\tSECOND SOURCE")
	onlyHere, backups := 0, 0
	for _, a := range as {
		ms := "all"
		switch {
		case !a.Bound():
			ms = "not bound (backup only)"
			backups++
		case len(a.Marketplaces) > 0:
			ms = strings.Join(a.Marketplaces, ",")
		}
		second := "phone"
		if !a.PhoneBackup {
			second = "only nidan (!)"
			onlyHere++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Issuer, a.Label, ms, second)
	}
	tw.Flush()
	if backups > 0 {
		fmt.Fprintf(c.Stderr, "%d account(s) are bound to no Amazon site: their issuer is not Amazon, so nidan keeps them as a backup and never fills their codes into a page. If one really is an Amazon account, bind it: `nidan edit NAME --marketplace jp`.\n", backups)
	}
	if onlyHere > 0 {
		fmt.Fprintf(c.Stderr, "%d account(s) have nidan as their only code source: enrol a phone too (`nidan export NAME --qr`), then `nidan edit NAME --phone-backup=true`.\n", onlyHere)
	}
	return nil
}

func runCode(c *ctx, args []string) error {
	pos, err := parseFlags(flag.NewFlagSet("code", flag.ContinueOnError), args, 1, 1)
	if err != nil {
		return err
	}
	r, err := c.store.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	a, err := r.Get(pos[0])
	if err != nil {
		return err
	}
	now := c.Now()
	code, err := a.Code(now)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, code)
	if c.Terminal(2) {
		fmt.Fprintf(c.Stderr, "(%d s left)\n", a.Remaining(now))
	}
	return nil
}

// change applies fn to the account called name, under the vault lock.
func (c *ctx) change(name string, fn func(as []otp.Account, i int) ([]otp.Account, error)) error {
	return c.store.Update(func(as []otp.Account) ([]otp.Account, error) {
		i := slices.IndexFunc(as, func(a otp.Account) bool { return a.Name == name })
		if i < 0 {
			return nil, &vault.AccountError{Name: name, Err: vault.ErrUnknownAccount}
		}
		return fn(as, i)
	})
}

func runRemove(c *ctx, args []string) error {
	fs := flag.NewFlagSet("remove", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask")
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	name := pos[0]
	if _, err := c.lookup(name); err != nil {
		return err
	}
	if !*yes {
		ok, err := c.confirm(fmt.Sprintf("Remove %q? Its key is deleted from nidan (vault.age.bak keeps the previous version until the next change).", name))
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(c.Stderr, "Nothing removed.")
			return nil
		}
	}
	if err := c.change(name, func(as []otp.Account, i int) ([]otp.Account, error) {
		return slices.Delete(as, i, i+1), nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Removed %q. If Amazon still lists this authenticator, remove it there too (Advanced Security Settings).\n", name)
	return nil
}

func (c *ctx) lookup(name string) (otp.Account, error) {
	r, err := c.store.Open()
	if err != nil {
		return otp.Account{}, err
	}
	defer r.Close()
	return r.Get(name)
}

func runRename(c *ctx, args []string) error {
	pos, err := parseFlags(flag.NewFlagSet("rename", flag.ContinueOnError), args, 2, 2)
	if err != nil {
		return err
	}
	old, name := pos[0], pos[1]
	if err := otp.ValidateName(name); err != nil {
		return err
	}
	if err := c.change(old, func(as []otp.Account, i int) ([]otp.Account, error) {
		if slices.ContainsFunc(as, func(a otp.Account) bool { return a.Name == name }) {
			return nil, &vault.AccountError{Name: name, Err: vault.ErrDuplicate}
		}
		as[i].Name = name
		return as, nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Renamed %q to %q.\n", old, name)
	return nil
}

func runEdit(c *ctx, args []string) error {
	fs := flag.NewFlagSet("edit", flag.ContinueOnError)
	markets := marketFlag(fs)
	label := fs.String("label", "", "the e-mail or label the account signs in with")
	phone := fs.String("phone-backup", "", "true when a phone holds the same key")
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if len(set) == 0 {
		return usagef("nothing to change: give --marketplace, --label or --phone-backup")
	}
	var keys []string
	if set["marketplace"] && *markets != "all" {
		if keys, err = market.ParseKeys(*markets); err != nil {
			return err
		}
	}
	var phoneBackup bool
	if set["phone-backup"] {
		switch *phone {
		case "true", "yes":
			phoneBackup = true
		case "false", "no":
		default:
			return usagef("--phone-backup takes true or false, not %q", *phone)
		}
	}
	var edited otp.Account
	if err := c.change(pos[0], func(as []otp.Account, i int) ([]otp.Account, error) {
		if set["marketplace"] {
			as[i].Marketplaces = keys
			if keys == nil && !as[i].Bound() {
				// "all" for another service's account is the user's explicit
				// word; an empty list would leave it bound to nothing.
				as[i].Marketplaces = market.Keys()
			}
		}
		if set["label"] {
			as[i].Label = *label
		}
		if set["phone-backup"] {
			as[i].PhoneBackup = phoneBackup
		}
		edited = as[i]
		return as, nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Updated %q: bound to %s.\n", edited.Name, describeBinding(edited))
	return nil
}

// hint turns an error into the next step for the user, or "".
func hint(err error, c *ctx) string {
	if h := importHint(err); h != "" {
		return h
	}
	var perm *vault.PermissionError
	var unknownMarket *market.UnknownKeyError
	switch {
	case errors.As(err, &perm):
		return fmt.Sprintf("chmod 600 %q", perm.Path)
	case errors.As(err, &unknownMarket):
		return "marketplaces are given by key, e.g. --marketplace jp,us"
	case errors.Is(err, vault.ErrMissing):
		return "run `nidan init` to create the vault (NIDAN_HOME=" + c.home + ")"
	case errors.Is(err, vault.ErrExists):
		return "nidan is already set up here; `nidan list` shows its accounts. To start over, move the old files away first"
	case errors.Is(err, vault.ErrNoIdentity), errors.Is(err, vault.ErrBadIdentity), errors.Is(err, vault.ErrWrongIdentity):
		return "put back the identity file that belongs to this vault (from your backup) at " + c.store.Path(vault.IdentityFile)
	case errors.Is(err, vault.ErrCorrupt):
		return fmt.Sprintf("the previous version is kept: keep a copy of %s, then `cp %s %s`",
			c.store.Path(vault.VaultFile), c.store.Path(vault.BackupFile), c.store.Path(vault.VaultFile))
	case errors.Is(err, vault.ErrLocked):
		return "another nidan (the CLI or a browser) is writing the vault; try again"
	case errors.Is(err, vault.ErrUnknownAccount):
		return "`nidan list` shows the accounts"
	case errors.Is(err, vault.ErrDuplicate):
		return "choose another name, or `nidan rename` the existing account"
	case errors.Is(err, vault.ErrDuplicateKey):
		return "this key is already in nidan under that name; `nidan list` shows it"
	case errors.Is(err, otp.ErrInvalidSecret):
		return "paste the key exactly as Amazon shows it under \"Can't scan the barcode?\" (groups of four letters and digits), or the whole otpauth:// URI"
	case errors.Is(err, errNoHostBinary):
		path, _ := hostBinary()
		return fmt.Sprintf("scripts/install.sh builds it; by hand, in the nidan checkout: go build -o %q ./host/nativehost", path)
	case errors.Is(err, install.ErrNoBrowser):
		return "name the browser: nidan install --browser chrome (or chromium, edge, brave, vivaldi, firefox, librewolf, all)"
	case errors.Is(err, otp.ErrInvalidName):
		return "names are one line of at most 64 printable characters, e.g. shop-jp"
	}
	return ""
}
