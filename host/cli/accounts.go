package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

func (c *ctx) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "list accounts (never secrets)",
		Long: `List the accounts: name, issuer, label, the marketplaces whose sign-in pages
get the account's codes, and whether a phone holds the same key as a second
source of codes. Never a key or a code.`,
		Example: `  nidan list
  nidan list --json | jq -r '.[].name'`,
		Args: argsBetween(0, 0),
		RunE: func(*cobra.Command, []string) error { return c.runList(asJSON) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of accounts (name, issuer, label, marketplaces, phone_backup)")
	return cmd
}

func (c *ctx) runList(asJSON bool) error {
	as, err := c.accounts()
	if err != nil {
		return err
	}
	if asJSON {
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

func (c *ctx) codeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "code NAME",
		Short: "print the current code",
		Long: `Print the account's current code on stdout, and on a terminal how many
seconds it stays valid. Only the code goes to stdout, so that it can be piped.`,
		Example: `  nidan code shop-jp
  nidan code shop-jp | wl-copy`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: c.completeAccounts(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.runCode(args[0]) },
	}
}

func (c *ctx) runCode(name string) error {
	r, err := c.store.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	a, err := r.Get(name)
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

func (c *ctx) removeCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "remove an account",
		Long: `Delete an account and its key from nidan, after asking on the terminal.
Remove the authenticator in Amazon's Advanced Security Settings too.`,
		Example: `  nidan remove old-shop
  nidan remove old-shop --yes`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: c.completeAccounts(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.runRemove(args[0], yes) },
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation (needed when standard input is not a terminal)")
	return cmd
}

func (c *ctx) runRemove(name string, yes bool) error {
	if _, err := c.lookup(name); err != nil {
		return err
	}
	if !yes {
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

func (c *ctx) renameCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "rename OLD NEW",
		Short:             "rename an account",
		Long:              `Give an account another name in nidan. Amazon does not see names.`,
		Example:           `  nidan rename shop@example.jp shop-jp`,
		Args:              argsBetween(2, 2),
		ValidArgsFunction: c.completeAccounts(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.runRename(args[0], args[1]) },
	}
}

func (c *ctx) runRename(old, name string) error {
	if old == name {
		if _, err := c.lookup(old); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "Nothing to change: the account is already called %q.\n", name)
		return nil
	}
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

type editFlags struct {
	markets, label, phone string
	set                   func(flag string) bool
}

func (c *ctx) editCmd() *cobra.Command {
	var o editFlags
	cmd := &cobra.Command{
		Use:   "edit NAME",
		Short: "change an account's marketplaces, label or phone backup",
		Long: `Change an account: the marketplaces whose sign-in pages get its codes, its
label, or whether a phone holds the same key (a second source of codes, so
that losing this PC does not lock you out). Only the flags given change.`,
		Example: `  nidan edit shop-jp --marketplace jp,us
  nidan edit shop-jp --marketplace all
  nidan edit shop-jp --phone-backup=true --label shop@example.jp`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: c.completeAccounts(1),
		RunE:              func(_ *cobra.Command, args []string) error { return c.runEdit(args[0], o) },
	}
	marketFlag(cmd, &o.markets, "all")
	f := cmd.Flags()
	f.Lookup("marketplace").Usage = "comma-separated marketplace keys (jp, us, de, …) whose sign-in pages get this account's codes, or all"
	f.StringVar(&o.label, "label", "", "the e-mail or label the account signs in with")
	f.StringVar(&o.phone, "phone-backup", "", "true when a phone authenticator app holds the same key, false when not")
	cmd.RegisterFlagCompletionFunc("phone-backup", cobra.FixedCompletions([]cobra.Completion{"true", "false"}, cobra.ShellCompDirectiveNoFileComp))
	o.set = f.Changed
	return cmd
}

func (c *ctx) runEdit(name string, o editFlags) error {
	set := map[string]bool{}
	for _, f := range []string{"marketplace", "label", "phone-backup"} {
		set[f] = o.set(f)
	}
	if !set["marketplace"] && !set["label"] && !set["phone-backup"] {
		return usagef("nothing to change: give --marketplace, --label or --phone-backup")
	}
	var keys []string
	var err error
	if set["marketplace"] && o.markets != "all" {
		if keys, err = market.ParseKeys(o.markets); err != nil {
			return err
		}
	}
	var phoneBackup bool
	if set["phone-backup"] {
		switch o.phone {
		case "true", "yes":
			phoneBackup = true
		case "false", "no":
		default:
			return usagef("--phone-backup takes true or false, not %q", o.phone)
		}
	}
	var before, edited otp.Account
	if err := c.change(name, func(as []otp.Account, i int) ([]otp.Account, error) {
		before = as[i]
		if set["marketplace"] {
			as[i].Marketplaces = keys
			if keys == nil && !as[i].Bound() {
				// "all" for another service's account is the user's explicit
				// word; an empty list would leave it bound to nothing.
				as[i].Marketplaces = market.Keys()
			}
		}
		if set["label"] {
			as[i].Label = o.label
		}
		if set["phone-backup"] {
			as[i].PhoneBackup = phoneBackup
		}
		edited = as[i]
		return as, nil
	}); err != nil {
		return err
	}
	changes := describeChanges(before, edited)
	if len(changes) == 0 {
		fmt.Fprintf(c.Stderr, "Nothing changed: %q was already so (bound to %s).\n", edited.Name, describeBinding(edited))
		return nil
	}
	fmt.Fprintf(c.Stderr, "Updated %q:\n", edited.Name)
	for _, line := range changes {
		fmt.Fprintf(c.Stderr, "  %s\n", line)
	}
	return nil
}

// describeChanges says, one line each, what an edit changed.
func describeChanges(old, new otp.Account) []string {
	var lines []string
	if !slices.Equal(old.Marketplaces, new.Marketplaces) || old.Bound() != new.Bound() {
		lines = append(lines, fmt.Sprintf("marketplaces: now bound to %s (was %s)", describeBinding(new), shortBinding(old)))
	}
	if old.Label != new.Label {
		lines = append(lines, fmt.Sprintf("label: now %s (was %s)", quoteOrNone(new.Label), quoteOrNone(old.Label)))
	}
	if old.PhoneBackup != new.PhoneBackup {
		if new.PhoneBackup {
			lines = append(lines, "phone backup: yes, a phone makes the same codes (was: only nidan)")
		} else {
			lines = append(lines, "phone backup: no, only nidan makes its codes (was: a phone too)")
		}
	}
	return lines
}

// shortBinding is describeBinding in a word or a list.
func shortBinding(a otp.Account) string {
	switch {
	case !a.Bound():
		return "no Amazon site"
	case len(a.Marketplaces) == 0:
		return "every marketplace"
	}
	return strings.Join(a.Marketplaces, ", ")
}

func quoteOrNone(s string) string {
	if s == "" {
		return "no label"
	}
	return fmt.Sprintf("%q", s)
}
