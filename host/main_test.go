package main

import (
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
