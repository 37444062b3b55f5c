package cli

// Several PCs, one vault: the vault in a folder a sync tool carries, each PC
// with its own identity in its own home. The logic is in plain functions
// taking their options, so that any command-line front can call them.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

// initVault creates this PC's identity and, unless dir already holds one, an
// empty vault; dir "" means $NIDAN_VAULT_DIR, else the home.
func initVault(c *ctx, dir string) error {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return fmt.Errorf("the vault folder %s: %w", dir, err)
		}
		c.store.VaultDir = abs
	}
	pub, joined, err := c.store.InitOrJoin()
	if errors.Is(err, vault.ErrExists) && dir != "" {
		return moveVault(c, vault.Locate(c.home), c.store.VaultDir)
	}
	if err != nil {
		return err
	}
	id := c.store.Path(vault.IdentityFile)
	if joined {
		fmt.Fprintf(c.Stderr, "%s already holds a vault; it is left as it is. This PC's identity is %s.\n", c.store.Path(vault.VaultFile), id)
		fmt.Fprintln(c.Stderr, "Next: on a PC where the vault opens, run")
		fmt.Fprintf(c.Stderr, "  nidan devices add %s --name NAME-OF-THIS-PC\n", pub)
		fmt.Fprintln(c.Stderr, "then wait for the sync tool to carry the vault back here; `nidan list` then shows the accounts. This PC's public key:")
		fmt.Fprintln(c.Stdout, pub)
		return nil
	}
	fmt.Fprintf(c.Stderr, "Created the nidan vault: %s (identity: %s).\n", c.store.Path(vault.VaultFile), id)
	fmt.Fprintf(c.Stderr, "Back up the identity file (%s): without it the vault cannot be opened.\n", id)
	if tool := vault.SyncTool(id); tool != "" {
		fmt.Fprintf(c.Stderr, "Warning: the identity is in a folder %s carries; move the nidan home (NIDAN_HOME) out of it.\n", tool)
	}
	fmt.Fprintln(c.Stderr, "Next: add an account with `nidan add NAME --marketplace jp` and paste Amazon's key.")
	fmt.Fprintln(c.Stderr, "Below is this PC's public key (not a secret). It is for adding this PC as a device of a shared vault")
	fmt.Fprintln(c.Stderr, "(`nidan devices add KEY` on a PC where the vault opens), or as a backup recipient (`nidan recipients add KEY`).")
	fmt.Fprintln(c.Stdout, pub)
	return nil
}

// haveIdentity tells whether this PC already has its identity: then it has
// a vault too, in the home or in the folder its vault-dir record names.
func haveIdentity(c *ctx) bool {
	_, err := os.Lstat(c.store.Path(vault.IdentityFile))
	return err == nil
}

// moveVault moves this PC's existing vault into dir: a PC that had nidan
// before it had a second PC.
func moveVault(c *ctx, from vault.Store, dir string) error {
	if _, err := os.Stat(from.Path(vault.IdentityFile)); err != nil {
		return fmt.Errorf("%w: %s exists", vault.ErrExists, c.store.Path(vault.VaultFile))
	}
	to, err := from.MoveTo(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Moved the vault to %s; the identity stays in %s.\n", to.Path(vault.VaultFile), to.Path(vault.IdentityFile))
	fmt.Fprintln(c.Stderr, "Next: on the other PC, `nidan init --vault-dir` on the synced folder prints its key for `nidan devices add`.")
	return nil
}

// syncChecks are the doctor's rows about where the files live: the identity
// must stay on this PC while the vault may travel.
func (c *ctx) syncChecks() []install.Check {
	id := c.store.Path(vault.IdentityFile)
	return []install.Check{
		{Name: "where the files live", Advisory: true, Run: func() install.Result {
			where := "the vault: " + c.store.Path(vault.VaultFile)
			if tool := vault.SyncTool(c.store.Path(vault.VaultFile)); tool != "" {
				where += " (carried by " + tool + ")"
			}
			where += "; identity: " + id + "; lock: " + c.store.Path(vault.LockFile) + " (stays on this PC)"
			return install.Result{OK: true, Detail: where}
		}},
		{Name: "identity stays on this PC", Run: func() install.Result {
			if tool := vault.SyncTool(id); tool != "" {
				return install.Result{
					Detail: id + " is in a folder " + tool + " carries: the key would travel with the vault",
					Hint: "move the nidan home out of the synced folder and point NIDAN_HOME at it; keep only the vault there\n" +
						"(`nidan init --vault-dir DIR` on each PC gives each its own identity)",
				}
			}
			return install.Result{OK: true, Detail: "not in a folder Syncthing, Dropbox, OneDrive or Google Drive carries"}
		}},
		{Name: "backup keys on every PC", Advisory: true, Run: func() install.Result {
			n := 0
			if lines, err := c.recipientLines(); err == nil {
				for _, l := range lines {
					if _, ok, _ := parsedLine(l); ok {
						n++
					}
				}
			}
			if !c.store.Separate() || n == 0 {
				return install.Result{OK: true, Detail: "nothing to check"}
			}
			// The recipients file belongs to this home: another PC's write
			// encrypts the vault to that PC's backup keys, not these.
			// Not a failure: this PC cannot see the others' files.
			return install.Result{OK: true, Detail: fmt.Sprintf(
				"this PC has %d backup key(s); the shared vault is encrypted to them when this PC writes, so add the same keys (`nidan recipients add`) on every PC that shares it", n)}
		}},
		{Name: "sync conflicts", Advisory: true, Run: func() install.Result {
			copies := c.store.ConflictCopies()
			if len(copies) == 0 {
				return install.Result{OK: true, Detail: "no conflict copies beside the vault"}
			}
			return install.Result{
				Detail: fmt.Sprintf("%d conflict cop(ies) wait: %s", len(copies), strings.Join(copies, ", ")),
				Hint:   "nidan already reads them with the vault; the next change merges and removes them (any `nidan edit`, `nidan add`)",
			}
		}},
	}
}

func (c *ctx) devicesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "devices add KEY --name NAME | list | remove NAME",
		Short: "manage the PCs that share the vault, each with its own key",
		Long: `Manage the PCs that share a vault kept in a synced folder (` + "`nidan init --vault-dir DIR`" + `).
Each PC has its own identity; the vault is encrypted to every device and to
this PC's backup recipients. A new PC runs ` + "`nidan init --vault-dir DIR`" + ` on the
synced folder, which prints its key; a PC where the vault opens adds it.`,
		Example: `  nidan devices add age1… --name laptop
  nidan devices list
  nidan devices remove laptop`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("missing subcommand: add, list or remove")
			}
			return usagef("unknown subcommand %q: add, list or remove", args[0])
		},
		RunE: func(*cobra.Command, []string) error { return nil }, // Args refuses every call
	}
	var name string
	add := &cobra.Command{
		Use:   "add KEY --name NAME",
		Short: "add a PC by the age1… key its `nidan init` printed; re-encrypts the vault to it",
		Args:  argsBetween(1, 1),
		RunE: func(_ *cobra.Command, args []string) error {
			if name == "" {
				return usagef("missing --name: say which PC the key is, e.g. --name laptop")
			}
			return devicesAdd(c, args[0], name)
		},
	}
	add.Flags().StringVar(&name, "name", "", "the PC's `NAME`, e.g. laptop")
	cmd.AddCommand(add, &cobra.Command{
		Use:   "list",
		Short: "list the devices: name, key, when added",
		Args:  argsBetween(0, 0),
		RunE:  func(*cobra.Command, []string) error { return devicesList(c) },
	}, &cobra.Command{
		Use:   "remove NAME",
		Short: "remove a PC: re-encrypts the vault and its backup without it",
		Long: `Remove a PC. vault.age and vault.age.bak are re-encrypted without it, so it
cannot open what is written from now on. What it has already read it keeps:
each account is listed with its marketplace's Advanced Security Settings page,
where its two-step verification can be enrolled anew.`,
		Args: argsBetween(1, 1),
		RunE: func(_ *cobra.Command, args []string) error { return devicesRemove(c, args[0]) },
	})
	return cmd
}

// devicesList prints the devices (name, key, when added) and, on stderr,
// the backup recipients, which the vault is encrypted to as well.
func devicesList(c *ctx) error {
	r, err := c.store.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	devs, err := r.Devices()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, d := range devs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, d.Recipient, d.Added.UTC().Format("2006-01-02"))
	}
	tw.Flush()
	if lines, err := c.recipientLines(); err == nil {
		n := 0
		for _, l := range lines {
			if _, ok, _ := parsedLine(l); ok {
				n++
			}
		}
		if n > 0 {
			fmt.Fprintf(c.Stderr, "The vault is also encrypted to %d backup recipient(s) of this PC: `nidan recipients list`.\n", n)
		}
	}
	return nil
}

func devicesAdd(c *ctx, key, name string) error {
	if err := c.store.AddDevice(name, strings.TrimSpace(key)); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Added %q; the vault is re-encrypted to every device and backup recipient.\n", name)
	fmt.Fprintln(c.Stderr, "Next: once the sync tool has carried the vault there, `nidan list` on that PC shows the accounts.")
	return nil
}

// devicesRemove re-encrypts without the device and says what that cannot
// undo: the PC has seen every seed, so each account's 2SV must be enrolled
// anew on Amazon for the removal to mean anything against a lost PC.
func devicesRemove(c *ctx, name string) error {
	if _, err := c.store.RemoveDevice(name); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "Removed %q; vault.age and vault.age.bak are re-encrypted without it.\n", name)
	fmt.Fprintf(c.Stderr, "This cannot undo what %q has already seen: it could read every seed.\n", name)
	as, err := c.accounts()
	if err != nil || len(as) == 0 {
		return err
	}
	fmt.Fprintln(c.Stderr, "If that PC is lost or not trusted, enrol each account's two-step verification anew on Amazon")
	fmt.Fprintln(c.Stderr, "(Advanced Security Settings: add a new authenticator app, remove the old one), then `nidan add` the new key:")
	for _, a := range as {
		fmt.Fprintf(c.Stdout, "%s\t%s\n", a.Name, strings.Join(settingsURLs(a.Marketplaces), " "))
	}
	fmt.Fprintln(c.Stderr, "Older copies may linger in the sync tool's history (Syncthing's .stversions, Dropbox's version history).")
	return nil
}

// settingsURLs are the Advanced Security Settings pages of an account's
// marketplaces; an account bound to none is shown the page of each.
func settingsURLs(keys []string) []string {
	var urls []string
	if len(keys) == 0 {
		for _, m := range market.All() {
			keys = append(keys, m.Key)
		}
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if m, ok := market.ByKey(k); ok && !seen[m.SettingsURL()] {
			seen[m.SettingsURL()] = true
			urls = append(urls, m.SettingsURL())
		}
	}
	return urls
}

// deviceHint is the next step on a PC that the shared vault does not open.
func deviceHint(e *vault.NotDeviceError) string {
	return "on a PC where the vault opens, run `" + e.AddCommand() + "`, then wait for the sync tool to bring the vault here.\n" +
		"If this PC was removed on purpose, its vault stays closed; if this is a new PC, `nidan init --vault-dir DIR` printed the same key"
}

func devicesHint(err error) string {
	switch {
	case errors.Is(err, vault.ErrUnknownDevice):
		return "`nidan devices list` shows the devices by name"
	case errors.Is(err, vault.ErrDeviceExists):
		return "`nidan devices list` shows the devices; remove the old entry first to replace a key"
	case errors.Is(err, vault.ErrRemoveSelf):
		return "remove a PC from another PC where the vault opens; to leave, delete this PC's nidan home"
	}
	return "give the age1… key that `nidan init --vault-dir DIR` printed on that PC, and a short name such as laptop"
}
