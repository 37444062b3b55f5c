package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/host/protocol"
	"nidan.dev/nidan/otp/private"
	"nidan.dev/nidan/otp/vault"
)

// HostBinary is the slim native-messaging host that the manifests point to,
// built beside nidan (host/nativehost says why it is a separate binary).
const HostBinary = "nidan-host"

// installFlags are the flags of install, uninstall and doctor.
type installFlags struct {
	browsers []string
	system   bool
	profile  string
}

// browserCmd makes install, uninstall or doctor.
func (c *ctx) browserCmd(use, short, long, example string, run func(install.Options) error) *cobra.Command {
	var o installFlags
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long, Example: example,
		Args: argsBetween(0, 0),
		RunE: func(*cobra.Command, []string) error {
			host, err := hostBinary()
			if err != nil {
				return err
			}
			return run(install.Options{Browsers: o.browsers, System: o.system, Profile: o.profile, Home: c.home, Binary: host})
		},
	}
	browserFlags(cmd, &o)
	return cmd
}

func (c *ctx) installCmd() *cobra.Command {
	return c.browserCmd("install", "register the native host with browsers (default: every browser found)",
		`Register nidan-host (beside nidan) as a native-messaging host with the
browsers, so that the nidan extension can ask it for codes. Without --browser,
every browser found on this machine. `+"`nidan uninstall`"+` removes exactly what
this wrote.`,
		`  nidan install
  nidan install --browser chromium,firefox
  sudo nidan install --system --browser all`, c.runInstall)
}

func (c *ctx) uninstallCmd() *cobra.Command {
	return c.browserCmd("uninstall", "remove exactly what install wrote",
		`Remove the native-messaging registrations that `+"`nidan install`"+` wrote, and
nothing else. The vault is left alone.`,
		`  nidan uninstall
  nidan uninstall --browser firefox`, c.runUninstall)
}

func (c *ctx) doctorCmd() *cobra.Command {
	return c.browserCmd("doctor", "check the vault, every browser's setup and the clock",
		`Check what the extension needs: nidan-host beside nidan, the vault opens,
its files are private, every browser's registration, and the clock (codes
depend on it). Each failed check comes with its fix. Exits 1 when a required
check fails.`,
		`  nidan doctor
  nidan doctor --browser chromium`, c.runDoctor)
}

// errNoHostBinary is returned when nidan-host is not beside nidan.
var errNoHostBinary = errors.New(HostBinary + " is missing")

// hostBinary returns the path where nidan-host must be: beside this
// executable, symlinks resolved.
func hostBinary() (string, error) { return protocol.Sibling(HostBinary) }

func checkHostBinary(path string) error {
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return fmt.Errorf("%w: expected at %s", errNoHostBinary, path)
	}
	return nil
}

func (c *ctx) runInstall(opts install.Options) error {
	if err := checkHostBinary(opts.Binary); err != nil {
		return err
	}
	rep, err := install.Install(opts)
	if perr := rep.Print(c.Stdout); perr != nil && err == nil {
		err = perr
	}
	return err
}

func (c *ctx) runUninstall(opts install.Options) error {
	rep, err := install.Uninstall(opts)
	if perr := rep.Print(c.Stdout); perr != nil && err == nil {
		err = perr
	}
	return err
}

var errDoctor = errors.New("doctor found problems")

func (c *ctx) runDoctor(opts install.Options) error {
	rep, err := install.Doctor(opts, c.doctorChecks(opts.Binary)...)
	if err != nil {
		return err
	}
	if err := rep.Print(c.Stdout); err != nil {
		return err
	}
	if !rep.OK() {
		return fmt.Errorf("%w: %d required check(s) failed", errDoctor, rep.Failed())
	}
	return nil
}

// doctorChecks are the checks of nidan itself that run before the browsers'.
func (c *ctx) doctorChecks(host string) []install.Check {
	return append([]install.Check{
		{Name: "native host binary", Run: func() install.Result {
			if err := checkHostBinary(host); err != nil {
				return install.Result{Detail: err.Error(), Hint: hint(err, c)}
			}
			return install.Result{OK: true, Detail: host}
		}},
		{Name: "vault opens", Run: func() install.Result {
			r, err := c.store.Open()
			if err != nil {
				return install.Result{Detail: err.Error(), Hint: hint(err, c)}
			}
			defer r.Close()
			return install.Result{OK: true, Detail: fmt.Sprintf("%s, %d account(s)", c.store.Path(vault.VaultFile), r.Len())}
		}},
		{Name: "file permissions", Run: func() install.Result {
			var loose, fixes []string
			for _, f := range []string{vault.IdentityFile, vault.VaultFile, vault.BackupFile, vault.RecipientsFile} {
				var perm *vault.PermissionError
				if err := private.Check(c.store.Path(f)); errors.As(err, &perm) {
					loose = append(loose, perm.Error())
					fixes = append(fixes, perm.Fix())
				}
			}
			if len(loose) > 0 {
				return install.Result{Detail: strings.Join(loose, "; "), Hint: strings.Join(fixes, "\n")}
			}
			if runtime.GOOS == "windows" {
				return install.Result{OK: true, Detail: "identity and vault are private (their ACLs let only you, SYSTEM and Administrators read them)"}
			}
			return install.Result{OK: true, Detail: "identity and vault are private (0600)"}
		}},
		{Name: "second code source", Advisory: true, Run: func() install.Result {
			as, err := c.accounts()
			if err != nil {
				return install.Result{OK: true, Detail: "skipped: the vault does not open"}
			}
			if len(as) == 0 {
				return install.Result{OK: true, Detail: "no accounts yet"}
			}
			var only []string
			for _, a := range as {
				if !a.PhoneBackup {
					only = append(only, a.Name)
				}
			}
			if len(only) > 0 {
				return install.Result{Detail: "only nidan makes codes for: " + strings.Join(only, ", "),
					Hint: "enrol a phone too (`nidan export NAME --qr`), then `nidan edit NAME --phone-backup=true`"}
			}
			return install.Result{OK: true, Detail: "every account has a second source"}
		}},
		// Informational: vaults from before issue 15.1 bound another
		// service's accounts to every marketplace; they are backups now, and
		// an Amazon account with an unusual issuer would be among them.
		{Name: "backups bound to no Amazon site", Advisory: true, Run: func() install.Result {
			as, err := c.accounts()
			if err != nil {
				return install.Result{OK: true, Detail: "skipped: the vault does not open"}
			}
			var backups []string
			for _, a := range as {
				if !a.Bound() {
					backups = append(backups, fmt.Sprintf("%s (%s)", a.Name, a.Issuer))
				}
			}
			if len(backups) == 0 {
				return install.Result{OK: true, Detail: "none"}
			}
			return install.Result{OK: true, Detail: "never filled, their issuer is not Amazon: " + strings.Join(backups, ", ") +
				"; bind one only if it is an Amazon account: nidan edit NAME --marketplace jp"}
		}},
	}, c.syncChecks()...)
}
