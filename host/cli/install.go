package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/host/protocol"
	"nidan.dev/nidan/otp/vault"
)

// HostBinary is the slim native-messaging host that the manifests point to,
// built beside nidan (host/nativehost says why it is a separate binary).
const HostBinary = "nidan-host"

// browserList is a repeatable --browser flag; values may be comma-separated.
type browserList []string

func (b *browserList) String() string     { return strings.Join(*b, ",") }
func (b *browserList) Set(v string) error { *b = append(*b, v); return nil }

func (c *ctx) installOptions(name string, args []string) (install.Options, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var browsers browserList
	fs.Var(&browsers, "browser", "")
	system := fs.Bool("system", false, "")
	profile := fs.String("profile", "", "")
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return install.Options{}, err
	}
	host, err := hostBinary()
	if err != nil {
		return install.Options{}, err
	}
	return install.Options{Browsers: browsers, System: *system, Profile: *profile, Home: c.home, Binary: host}, nil
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

func runInstall(c *ctx, args []string) error {
	opts, err := c.installOptions("install", args)
	if err != nil {
		return err
	}
	if err := checkHostBinary(opts.Binary); err != nil {
		return err
	}
	rep, err := install.Install(opts)
	if perr := rep.Print(c.Stdout); perr != nil && err == nil {
		err = perr
	}
	return err
}

func runUninstall(c *ctx, args []string) error {
	opts, err := c.installOptions("uninstall", args)
	if err != nil {
		return err
	}
	rep, err := install.Uninstall(opts)
	if perr := rep.Print(c.Stdout); perr != nil && err == nil {
		err = perr
	}
	return err
}

var errDoctor = errors.New("doctor found problems")

func runDoctor(c *ctx, args []string) error {
	opts, err := c.installOptions("doctor", args)
	if err != nil {
		return err
	}
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
			var loose []string
			for _, f := range []string{vault.IdentityFile, vault.VaultFile, vault.BackupFile, vault.RecipientsFile} {
				fi, err := os.Stat(c.store.Path(f))
				if err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
					loose = append(loose, c.store.Path(f))
				}
			}
			if len(loose) > 0 {
				return install.Result{Detail: "readable by other users: " + strings.Join(loose, ", "),
					Hint: "chmod 600 " + strings.Join(loose, " ")}
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
	}, c.syncChecks()...)
}
