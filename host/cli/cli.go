// Package cli is nidan's command line: the commands that manage the vault
// and install the native-messaging host.
//
// Output rule: stdout carries a command's answer and nothing else (a code, a
// list, a public key), so that `nidan code shop | wl-copy` works; messages,
// prompts, errors and hints go to stderr; logs go to stderr only for a person
// at a terminal, else to logs/cli.log in the nidan home. A seed is never
// printed except by an export the user confirmed; a code only on stdout.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/term"

	"nidan.dev/nidan/host/logging"
	"nidan.dev/nidan/host/protocol"
	"nidan.dev/nidan/otp/recipient"
	"nidan.dev/nidan/otp/vault"
)

// Env is what a command may touch of the outside world; tests replace it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Now            func() time.Time
	// Terminal reports whether a standard stream (0, 1, 2) is a terminal.
	Terminal func(fd int) bool
	// ReadSecret reads a line from the terminal without echo.
	ReadSecret func() ([]byte, error)
}

// OSEnv is the real environment.
func OSEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Now:        time.Now,
		Terminal:   func(fd int) bool { return term.IsTerminal(fd) },
		ReadSecret: func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) },
	}
}

type command struct {
	name, args, summary string
	run                 func(c *ctx, args []string) error
}

// commands lists every command in the order `nidan help` shows them.
var commands []command

func init() {
	commands = []command{
		{"init", "[--vault-dir DIR]", "create the identity and an empty vault; in DIR (a synced folder) a vault already there is joined", runInit},
		{"add", "[NAME] [--marketplace jp,us,…] [--qr SCREENSHOT] [--label EMAIL] [--json]", "add an account; reads an otpauth URI or Amazon's key on stdin, or its QR code", runAdd},
		{"list", "[--json]", "list accounts (never secrets)", runList},
		{"code", "NAME", "print the current code", runCode},
		{"remove", "NAME [--yes]", "remove an account", runRemove},
		{"rename", "OLD NEW", "rename an account", runRename},
		{"edit", "NAME [--marketplace jp,…|all] [--label L] [--phone-backup=true|false]", "change an account", runEdit},
		{"import", "FILE|-… [--apply] [--marketplace jp,…]", "import accounts: otpauth URIs, Google Authenticator export (text or QR image), Aegis, 2FAS, Authenticator", runImport},
		{"export", "NAME --qr | NAME --png FILE | [NAME] --uris [--yes]", "show a key as a QR code or otpauth URIs, to enrol a phone as a second code source", runExport},
		{"recipients", "add KEY | list | remove KEY|N", "manage the extra age recipients (backup keys: age1…, ssh-…, age1yubikey1…)", runRecipients},
		{"backup", "FILE [--passphrase]", "write an encrypted copy of every account, to the backup keys or a passphrase", runBackup},
		{"restore", "FILE [--identity KEYFILE] [--apply]", "merge the accounts of a backup into the vault", runRestore},
		{"install", "[--browser chrome,firefox,…|all] [--system] [--profile DIR]", "register the native host with browsers (default: every browser found)", runInstall},
		{"uninstall", "[--browser …] [--system] [--profile DIR]", "remove exactly what install wrote", runUninstall},
		{"doctor", "[--browser …] [--system] [--profile DIR]", "check the vault, every browser's setup and the clock", runDoctor},
		{"version", "", "print the version", runVersion},
		{"help", "", "show this help", runHelp},
	}
}

// ctx is one command's run.
type ctx struct {
	Env
	home  string
	store vault.Store
	log   zerolog.Logger
}

// usageError is a mistake in the command line: exit status 2 and the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// Main runs the command line and returns the exit status: 0 on success, 1
// on an error, 2 on a usage mistake.
func Main(args []string, env Env) int {
	if len(args) == 0 {
		printHelp(env.Stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		name = "help"
	case "--version":
		name = "version"
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == name {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(env.Stderr, "nidan: error: unknown command %q\n", name)
		fmt.Fprintln(env.Stderr, "nidan: hint: `nidan help` lists the commands")
		return 2
	}
	home, err := vault.Home()
	if err != nil {
		fmt.Fprintf(env.Stderr, "nidan: error: %v\n", err)
		return 1
	}
	store := vault.Locate(home)
	store.ParseRecipients = recipient.ParseFile
	c := &ctx{Env: env, home: home, store: store}
	var logOut io.Writer
	if env.Terminal(2) {
		logOut = zerolog.ConsoleWriter{Out: env.Stderr, NoColor: true}
		c.log = logging.New(logOut, zerolog.WarnLevel)
	} else if _, err := os.Stat(home); err == nil {
		f := logging.File(home, "cli.log")
		defer f.Close()
		c.log = logging.New(f, zerolog.InfoLevel)
	} else {
		c.log = zerolog.Nop() // no home yet: do not create one just to log
	}
	err = cmd.run(c, args[1:])
	if err == nil {
		c.log.Info().Str("command", cmd.name).Msg("ok")
		return 0
	}
	c.log.Info().Str("command", cmd.name).Str("outcome", "error").Msg(err.Error())
	fmt.Fprintf(env.Stderr, "nidan: error: %v\n", err)
	if ue := (*usageError)(nil); errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "usage: nidan %s %s\n", cmd.name, cmd.args)
		return 2
	}
	if h := hint(err, c); h != "" {
		fmt.Fprintf(env.Stderr, "nidan: hint: %s\n", h)
	}
	return 1
}

func runHelp(c *ctx, args []string) error {
	printHelp(c.Stdout)
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "nidan (二段): TOTP codes for Amazon two-step verification, next to your browser.")
	fmt.Fprintln(w, "\nUsage: nidan COMMAND [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		if c.args != "" {
			fmt.Fprintf(w, "  %-10s   nidan %s %s\n", "", c.name, c.args)
		}
	}
	fmt.Fprintln(w, "\nThe vault lives in $NIDAN_HOME, else your config folder (nidan/), or in the folder")
	fmt.Fprintln(w, "given to `nidan init --vault-dir` ($NIDAN_VAULT_DIR) while the identity stays in the home.")
}

func runVersion(c *ctx, args []string) error {
	fmt.Fprintf(c.Stdout, "nidan %s (protocol %d)\n", protocol.Version, protocol.Protocol)
	return nil
}

// parseFlags parses flags wherever they stand among the arguments (`nidan
// add shop --marketplace jp` as well as `nidan add --marketplace jp shop`),
// which the flag package alone does not, and checks the number of
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case len(pos) < minPos:
		return nil, usagef("missing argument")
	case len(pos) > maxPos:
		return nil, usagef("unexpected argument %q", pos[maxPos])
	}
	return pos, nil
}

// confirm asks a yes/no question on the terminal. Without a terminal it
// refuses: a script must say --yes.
func (c *ctx) confirm(question string) (bool, error) {
	if !c.Terminal(0) {
		return false, usagef("refusing to go on without confirmation: standard input is not a terminal (pass --yes)")
	}
	fmt.Fprintf(c.Stderr, "%s [y/N] ", question)
	var answer string
	fmt.Fscanln(c.Stdin, &answer)
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes", nil
}
