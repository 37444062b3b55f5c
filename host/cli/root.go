package cli

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/host/protocol"
	"nidan.dev/nidan/otp/market"
)

// The command line is built with cobra: it is widely used and maintained,
// gives per-command help, `help CMD`, suggestions for mistyped commands and
// completion scripts for bash, zsh, fish and PowerShell from one definition,
// and completes arguments dynamically (account names) through the binary
// itself. Only nidan links it: nidan-host stays slim (nativehost/deps_test.go).

// Command groups, in the order `nidan help` shows them.
var groups = []*cobra.Group{
	{ID: "accounts", Title: "Accounts:"},
	{ID: "copies", Title: "Moving keys in and out, backups:"},
	{ID: "browsers", Title: "Browsers:"},
}

func init() {
	// Commands are listed in the order they are used, not alphabetically.
	cobra.EnableCommandSorting = false
}

// homeHelp says where the home is, in the words of the platform's shell.
func homeHelp(goos string) string {
	if goos == "windows" {
		return `%NIDAN_HOME%, else %AppData%\nidan`
	}
	return "$NIDAN_HOME, else your config folder (nidan/)"
}

// envRef is how the platform's shell spells an environment variable.
func envRef(goos, name string) string {
	if goos == "windows" {
		return "%" + name + "%"
	}
	return "$" + name
}

// rootCommand builds the whole command tree for one run.
func (c *ctx) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "nidan",
		Short: "TOTP codes for Amazon two-step verification, next to your browser",
		Long: `nidan (二段): TOTP codes for Amazon two-step verification, next to your browser.

The vault lives in ` + homeHelp(runtime.GOOS) + `, or in the folder
given to ` + "`nidan init --vault-dir`" + ` (` + envRef(runtime.GOOS, "NIDAN_VAULT_DIR") + `) while the identity stays in the home.
Start with ` + "`nidan init`" + `, then ` + "`nidan add NAME --marketplace jp`" + `.`,
		Example: `  nidan init
  nidan add shop-jp --marketplace jp
  nidan code shop-jp
  nidan help add`,
		Version:       fmt.Sprintf("%s (protocol %d)", protocol.Version, protocol.Protocol),
		SilenceErrors: true, // Main prints errors with their hints
		SilenceUsage:  true,
		// A root that takes arguments lets Main word an unknown command
		// like any other usage mistake.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			if s := closest(args[0], names); s != "" {
				msg += fmt.Sprintf(" (did you mean `nidan %s`?)", s)
			}
			return usagef("%s", msg)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(c.Stderr) // asked for nothing: the overview, as a mistake
			cmd.Help()
			return &exitError{2}
		},
	}
	root.SetVersionTemplate("nidan {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print the version")
	root.SetIn(c.Stdin)
	root.SetOut(c.Stdout)
	root.SetErr(c.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usagef("%v", err) })
	root.AddGroup(groups...)
	add := func(group string, cmds ...*cobra.Command) {
		for _, cmd := range cmds {
			cmd.GroupID = group
			root.AddCommand(cmd)
		}
	}
	add("accounts", c.initCmd(), c.addCmd(), c.listCmd(), c.codeCmd(), c.removeCmd(), c.renameCmd(), c.editCmd())
	add("copies", c.importCmd(), c.exportCmd(), c.recipientsCmd(), c.devicesCmd(), c.backupCmd(), c.restoreCmd())
	add("browsers", c.installCmd(), c.uninstallCmd(), c.doctorCmd())
	root.AddCommand(&cobra.Command{
		Use:     "version",
		Short:   "print the version",
		Example: "  nidan version\n  nidan -v",
		Args:    argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(c.Stdout, "nidan %s\n", root.Version)
			return nil
		},
	})
	return root
}

// completeAccounts completes the first n arguments with account names. It
// reads names only: no secret, code or error is printed.
func (c *ctx) completeAccounts(n int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= n {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		as, err := c.accounts()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []cobra.Completion
		for _, a := range as {
			if strings.HasPrefix(a.Name, prefix) {
				names = append(names, a.Name)
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeList completes one item of a comma-separated list (--marketplace
// jp,u → jp,us), leaving out the items already given.
func completeList(items ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done, last := "", typed
		if i := strings.LastIndex(typed, ","); i >= 0 {
			done, last = typed[:i+1], typed[i+1:]
		}
		given := strings.Split(strings.ToLower(done), ",")
		var out []cobra.Completion
		for _, it := range items {
			if strings.HasPrefix(it, strings.ToLower(last)) && !contains(given, it) {
				out = append(out, done+it)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// marketFlag adds --marketplace, completed with the marketplace keys.
func marketFlag(cmd *cobra.Command, p *string, extra ...string) {
	cmd.Flags().StringVar(p, "marketplace", "", "comma-separated marketplace keys (jp, us, de, …) whose sign-in pages get this account's codes; default: every Amazon marketplace for an Amazon account, none for another service's")
	cmd.RegisterFlagCompletionFunc("marketplace", completeList(append(market.Keys(), extra...)...))
}

// browserFlags adds the flags of install, uninstall and doctor.
func browserFlags(cmd *cobra.Command, o *installFlags) {
	f := cmd.Flags()
	f.StringArrayVar(&o.browsers, "browser", nil, "browsers to act on, comma-separated or repeated: "+strings.Join(install.Names(runtime.GOOS), ", ")+" (default: every browser found)")
	f.BoolVar(&o.system, "system", false, "for every user of this machine (needs root / administrator), instead of only you")
	f.StringVar(&o.profile, "profile", "", "a Chromium user-data-dir (--user-data-dir): register the host in that profile only")
	cmd.RegisterFlagCompletionFunc("browser", completeList(install.Names(runtime.GOOS)...))
}
