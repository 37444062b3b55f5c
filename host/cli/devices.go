package cli

// Several PCs, one vault: the vault in a folder a sync tool carries, each PC
// with its own identity in its own home. The logic is in plain functions
// taking their options, so that any command-line front can call them.

import (
	"fmt"
	"path/filepath"

	"nidan.dev/nidan/host/install"
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
	fmt.Fprintln(c.Stderr, "Next: add an account with `nidan add NAME --marketplace jp` and paste Amazon's key. Public key:")
	fmt.Fprintln(c.Stdout, pub)
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
	}
}
