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
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"nidan.dev/nidan/host/logging"
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

// ctx is one command's run.
type ctx struct {
	Env
	home  string
	store vault.Store
	log   zerolog.Logger
	// args is the command line, for hints that repeat it corrected.
	args []string
	// addMarkets is add's --marketplace, for the hint that binds an
	// account already holding the key instead.
	addMarkets string
}

// usageError is a mistake in the command line: exit status 2 and the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitError ends a command with a status and no message of its own: what
// needed saying was said.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the command line and returns the exit status: 0 on success, 1
// on an error, 2 on a usage mistake.
func Main(args []string, env Env) int {
	home, err := vault.Home()
	if err != nil {
		fmt.Fprintf(env.Stderr, "nidan: error: %v\n", err)
		return 1
	}
	store := vault.Locate(home)
	store.ParseRecipients = recipient.ParseFile
	c := &ctx{Env: env, home: home, store: store, args: args}
	if env.Terminal(2) {
		c.log = logging.New(zerolog.ConsoleWriter{Out: env.Stderr, NoColor: true}, zerolog.WarnLevel)
	} else if _, err := os.Stat(home); err == nil {
		f := logging.File(home, "cli.log")
		defer f.Close()
		c.log = logging.New(f, zerolog.InfoLevel)
	} else {
		c.log = zerolog.Nop() // no home yet: do not create one just to log
	}

	root := c.rootCommand()
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	cmd, err := root.ExecuteC()
	name := strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
	if err == nil {
		c.log.Info().Str("command", name).Msg("ok")
		return 0
	}
	if ee := (*exitError)(nil); errors.As(err, &ee) {
		return ee.code
	}
	c.log.Info().Str("command", name).Str("outcome", "error").Msg(err.Error())
	fmt.Fprintf(env.Stderr, "nidan: error: %v\n", err)
	if ue := (*usageError)(nil); errors.As(err, &ue) {
		if cmd == root {
			fmt.Fprintln(env.Stderr, "nidan: hint: `nidan help` lists the commands")
		} else {
			fmt.Fprintf(env.Stderr, "usage: %s\n", cmd.UseLine())
			fmt.Fprintf(env.Stderr, "nidan: hint: `nidan help %s` explains every flag, with examples\n", name)
		}
		return 2
	}
	if h := hint(err, c); h != "" {
		fmt.Fprintf(env.Stderr, "nidan: hint: %s\n", h)
	}
	return 1
}

// args checks the number of positional arguments, as a usage mistake.
func argsBetween(min, max int) cobra.PositionalArgs {
	return func(_ *cobra.Command, pos []string) error {
		switch {
		case len(pos) < min:
			return usagef("missing argument")
		case len(pos) > max:
			return usagef("unexpected argument %q", pos[max])
		}
		return nil
	}
}

// readLine reads one line typed at the terminal, visibly. It reads byte by
// byte, so that nothing past the line is taken from a later prompt.
func (c *ctx) readLine() (string, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := c.Stdin.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err == io.EOF && len(line) > 0 {
			break
		} else if err != nil {
			return "", err
		}
	}
	return strings.TrimSpace(string(line)), nil
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
