package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nidan.dev/nidan/host/cli"
	"nidan.dev/nidan/host/internal/leakcheck"
	"nidan.dev/nidan/otp"
)

// TestNoLeaks runs the CLI through its paths, good and bad, with a known
// seed, and checks that neither the seed, in any spelling, nor any code it
// produced around the pinned time shows up in stderr or in a log file.
func TestNoLeaks(t *testing.T) {
	const seed = "MFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZQ"
	now := time.Unix(1700000000, 0)
	home := filepath.Join(t.TempDir(), "home")
	t.Setenv("NIDAN_HOME", home)

	var stderr bytes.Buffer
	run := func(stdin string, args ...string) {
		env := cli.Env{
			Stdin: strings.NewReader(stdin), Stdout: &bytes.Buffer{}, Stderr: &stderr,
			Now:      func() time.Time { return now },
			Terminal: func(int) bool { return false },
		}
		cli.Main(args, env)
	}
	var groups []string
	for i := 0; i < len(seed); i += 4 {
		groups = append(groups, strings.ToLower(seed[i:min(i+4, len(seed))]))
	}
	spaced := strings.Join(groups, " ") // as Amazon shows it
	uri := "otpauth://totp/Amazon:a%40example.com?secret=" + seed + "&issuer=Amazon"
	run("", "list")
	run("", "init")
	run(uri, "add", "--marketplace", "jp")
	run(spaced, "add", "dup")
	run(uri+"&digits=7", "add", "bad")
	run(strings.Replace(uri, "totp", "hotp", 1), "add", "h")
	run(seed[:10]+"!"+seed[11:], "add", "x")
	run("", "list")
	run("", "list", "--json")
	run("", "code", "a@example.com")
	run("", "code", "nobody")
	run("", "rename", "a@example.com", "b")
	run("", "edit", "b", "--marketplace", "us", "--phone-backup=true")
	run("", "remove", "b")
	os.Chmod(filepath.Join(home, "vault.age"), 0o644)
	run("", "code", "b")
	os.Chmod(filepath.Join(home, "vault.age"), 0o600)
	run("", "remove", "b", "--yes")

	secret, err := otp.ParseSecret(seed)
	if err != nil {
		t.Fatal(err)
	}
	leakcheck.Scan(t, stderr.String(), home, otp.Account{Name: "a", Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}, now)
}
