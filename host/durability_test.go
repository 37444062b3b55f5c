package main

import (
	"bytes"
	"encoding/base32"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"nidan.dev/nidan/otp/vault"
)

var build = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nidan-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "nidan")
	for pkg, out := range map[string]string{".": bin, "./nativehost": filepath.Join(dir, "nidan-host")} {
		if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
	return bin, nil
})

// nidanBinary builds the real nidan, with nidan-host beside it, once per
// test run.
func nidanBinary(t *testing.T) string {
	t.Helper()
	bin, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func randomSecret(rng *rand.Rand) string {
	raw := make([]byte, 20)
	for i := range raw {
		raw[i] = byte(rng.UintN(256))
	}
	return base32.StdEncoding.EncodeToString(raw)
}

func addCmd(bin, home, name, secret string) *exec.Cmd {
	cmd := exec.Command(bin, "add", name)
	cmd.Env = append(os.Environ(), "NIDAN_HOME="+home)
	cmd.Stdin = bytes.NewBufferString(secret + "\n")
	return cmd
}

// TestKilledWrites kills `nidan add` at random instants, at least 200 times.
// After every kill the vault must open, and every add that reported success
// must be in it.
func TestKilledWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills hundreds of processes")
	}
	bin := nidanBinary(t)
	home := filepath.Join(t.TempDir(), "home")
	store := vault.Store{Dir: home}
	if _, err := store.Init(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))

	start := time.Now()
	if out, err := addCmd(bin, home, "warmup", randomSecret(rng)).CombinedOutput(); err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	typical := time.Since(start)
	acknowledged := []string{"warmup"}

	kills := 0
	for i := 0; kills < 200; i++ {
		if i > 5000 {
			t.Fatalf("only %d kills landed in %d tries", kills, i)
		}
		name := fmt.Sprintf("acct-%d", i)
		cmd := addCmd(bin, home, name, randomSecret(rng))
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(typical) * 3 / 2)))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var exit *exec.ExitError
		switch {
		case err == nil:
			acknowledged = append(acknowledged, name)
		case errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled():
			kills++
		default:
			t.Fatalf("add %s: %v", name, err)
		}
		r, err := store.Open()
		if err != nil {
			t.Fatalf("after %d kills the vault does not open: %v", kills, err)
		}
		r.Close()
	}

	r, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, name := range acknowledged {
		if _, err := r.Get(name); err != nil {
			t.Errorf("acknowledged add %s is lost: %v", name, err)
		}
	}
	t.Logf("%d kills, %d acknowledged adds, %d accounts in the vault", kills, len(acknowledged), r.Len())
}

// TestConcurrentAdds runs 8 `nidan add` processes at once: the lock must
// serialise them so that no add overwrites another.
func TestConcurrentAdds(t *testing.T) {
	bin := nidanBinary(t)
	home := filepath.Join(t.TempDir(), "home")
	store := vault.Store{Dir: home}
	if _, err := store.Init(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var cmds []*exec.Cmd
	for i := range 8 {
		cmds = append(cmds, addCmd(bin, home, fmt.Sprintf("proc-%d", i), randomSecret(rng)))
	}
	var wg sync.WaitGroup
	for _, cmd := range cmds {
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%v: %v\n%s", cmd.Args, err, out)
			}
		})
	}
	wg.Wait()
	r, err := store.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	all, err := r.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 8 {
		t.Errorf("%d accounts after 8 concurrent adds", len(all))
	}
	for _, a := range all {
		if err := a.Validate(); err != nil {
			t.Error(err)
		}
	}
}
