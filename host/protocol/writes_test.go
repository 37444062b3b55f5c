package protocol

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The tests here are about Windows, where a file held open cannot be
// replaced: the host must not hold the vault while it waits or while it runs
// the CLI. On Unix they pass either way; the Windows lane runs them under
// Wine, with the binaries it built (NIDAN_TEST_BIN).

// cli runs the built nidan CLI on home and fails the test when it fails.
func cli(t *testing.T, dir, home, stdin string, args ...string) {
	t.Helper()
	if err := tryCLI(dir, home, stdin, args...); err != nil {
		t.Fatal(err)
	}
}

func tryCLI(dir, home, stdin string, args ...string) error {
	cmd := exec.Command(filepath.Join(dir, "nidan"), args...)
	cmd.Env = append(os.Environ(), "NIDAN_HOME="+home)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("nidan %s: %v: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return nil
}

func builtBinaries(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	dir, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCLIWritesWhileSessionOpen: a browser keeps its port (and so the host)
// open for as long as it likes; the CLI must still write the vault.
func TestCLIWritesWhileSessionOpen(t *testing.T) {
	dir := builtBinaries(t)
	home := t.TempDir()
	makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	p := startHost(t, filepath.Join(dir, "nidan-host"), home, callers["chrome-win"]...)
	const codeReq = `{"type":"code","origin":"https://www.amazon.co.jp","id":%d}`
	p.send(t, frameOf(fmt.Appendf(nil, codeReq, 1)))
	if a := p.read(t); !a.OK || a.Account.Name != "shop-jp" {
		t.Fatalf("first answer %+v", a)
	}
	cli(t, dir, home, seeds[1], "add", "second", "--marketplace", "jp")
	cli(t, dir, home, "", "edit", "shop-jp", "--label", "new@example.com")
	cli(t, dir, home, "", "rename", "second", "third")
	cli(t, dir, home, "", "remove", "third", "--yes")
	cli(t, dir, home, "", "rename", "shop-jp", "renamed")
	// The session sees the vault as the CLI left it.
	p.send(t, frameOf(fmt.Appendf(nil, codeReq, 2)))
	if a := p.read(t); !a.OK || a.Account.Name != "renamed" || !slices.Contains(currentCodes(t, 0), a.Code) {
		t.Errorf("answer after the writes %+v", a)
	}
	p.stdin.Close()
	p.wait(t, 0)
}

// TestEnrollAndPhoneBackupInOneSession: both run the CLI, which writes the
// vault, after earlier requests of the same session read it.
func TestEnrollAndPhoneBackupInOneSession(t *testing.T) {
	dir := builtBinaries(t)
	home := t.TempDir()
	makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	p := startHost(t, filepath.Join(dir, "nidan-host"), home, callers["chrome-win"]...)
	requests := []string{
		`{"type":"phone_backup","origin":"https://sellercentral.amazon.co.jp","account":"shop-jp","value":true,"id":1}`,
		`{"type":"code","origin":"https://www.amazon.co.jp","id":2}`,
		`{"type":"enroll","origin":"https://www.amazon.co.jp","name":"second","secret":"` + enrollKey + `","id":3}`,
		`{"type":"enroll","origin":"https://www.amazon.co.jp","name":"third","secret":"` + strings.ToLower(seeds[2]) + `","id":4}`,
		`{"type":"phone_backup","origin":"https://sellercentral.amazon.co.jp","account":"second","value":true,"id":5}`,
	}
	for i, req := range requests {
		p.send(t, frameOf([]byte(req)))
		if a := p.read(t); !a.OK || string(a.ID) != fmt.Sprint(i+1) {
			t.Fatalf("answer %d: %+v (stderr %s)", i+1, a, p.stderr.Bytes())
		}
	}
	p.stdin.Close()
	p.wait(t, 0)
	for _, name := range []string{"shop-jp", "second"} {
		if !vaultAccount(t, home, name).PhoneBackup {
			t.Errorf("%s: phone_backup not saved", name)
		}
	}
}

// TestParallelAdds: several `nidan add` at once (a script, several
// browsers enrolling) all succeed, while a host session holds its port.
func TestParallelAdds(t *testing.T) {
	dir := builtBinaries(t)
	home := t.TempDir()
	makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	p := startHost(t, filepath.Join(dir, "nidan-host"), home, callers["chrome-win"]...)
	p.send(t, frameOf([]byte(`{"type":"codes","id":1}`)))
	if a := p.read(t); !a.OK {
		t.Fatalf("answer %+v", a)
	}
	keys := []string{seeds[1], seeds[2], seeds[3], seeds[4], enrollKey, "ONSWG4TFOQQHEZLBNRWHSIDMN5XGOIDLONSWG4TF"}
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Go(func() {
			if err := tryCLI(dir, home, key, "add", fmt.Sprint("shop-", i), "--marketplace", "jp"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if names := vaultNames(t, home); len(names) != 1+len(keys) {
		t.Errorf("the vault holds %v", names)
	}
	p.stdin.Close()
	p.wait(t, 0)
}
