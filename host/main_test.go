package main

import (
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"nidan.dev/nidan/host/cli"
)

// testNow pins the clock of the CLI under test, so that scripts can compare
// codes. It is read by the test binary only: the real nidan has no such
// switch.
const testNow = "NIDAN_TEST_TIME"

// testTerminal makes the CLI under test take its standard input for a
// terminal, so that scripts can answer its prompts.
const testTerminal = "NIDAN_TEST_TERMINAL"

// readLine reads one line, byte by byte so that the next prompt gets the
// next line.
func readLine(r io.Reader) ([]byte, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 && b[0] == '\n' {
			return line, nil
		}
		line = append(line, b[:n]...)
		if err != nil {
			if err == io.EOF && len(line) > 0 {
				return line, nil
			}
			return nil, err
		}
	}
}

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"nidan": func() {
			env := cli.OSEnv()
			if s := os.Getenv(testNow); s != "" {
				unix, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					panic(err)
				}
				env.Now = func() time.Time { return time.Unix(unix, 0) }
			}
			if os.Getenv(testTerminal) != "" {
				// Standard input plays a terminal: hidden prompts read its
				// lines one by one, as visible prompts do.
				env.Terminal = func(fd int) bool { return fd == 0 }
				env.ReadSecret = func() ([]byte, error) { return readLine(os.Stdin) }
			}
			os.Exit(cli.Main(os.Args[1:], env))
		},
	})
}

func TestCLI(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("NIDAN_HOME", e.WorkDir+"/home")
			e.Setenv(testNow, "1700000000")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// truncate FILE SIZE cuts a file short, as a crash or a full disk might.
			"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: truncate FILE SIZE")
				}
				size, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				ts.Check(os.Truncate(ts.MkAbs(args[0]), size))
			},
		},
	})
}
