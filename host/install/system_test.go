package install

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
)

// TestSystemRefusesUserWritable: on Linux and macOS a machine-wide install
// refuses a program that anyone but root could replace (issue 15.6), writes
// nothing then, and still installs per user from the same place.
func TestSystemRefusesUserWritable(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file owners are Unix user ids; Windows copies the program instead (TestWindowsSystemCopies)")
	}
	for _, tc := range []struct {
		name  string
		setup func(m *machine, opts *Options)
		want  string // in the error; "" means the install succeeds
	}{
		{"root-only folders", func(*machine, *Options) {}, ""},
		{"sticky world-writable ancestor", func(m *machine, _ *Options) { chmod(t, m.path("/opt"), 0o777|os.ModeSticky) }, ""},
		{"owned by a user", func(_ *machine, opts *Options) { opts.SystemOwner = os.Getuid() + 1 }, "not root"},
		{"group-writable folder", func(m *machine, _ *Options) { chmod(t, m.path("/opt/nidan/bin"), 0o775) }, "writable by its group or by everyone"},
		{"world-writable ancestor", func(m *machine, _ *Options) { chmod(t, m.path("/opt"), 0o777) }, "writable by its group or by everyone"},
		{"writable program", func(m *machine, _ *Options) { chmod(t, m.binary, 0o777) }, "writable by its group or by everyone"},
		{"writable CLI beside the host", func(m *machine, opts *Options) {
			opts.Binary = m.path("/opt/nidan/bin/nidan-host.exe")
			m.write(opts.Binary, "#!/bin/sh\n", 0o755)
			chmod(t, m.binary, 0o766) // nidan.exe, which the host runs
		}, "writable by its group or by everyone"},
		{"symlink into a writable folder", func(m *machine, opts *Options) {
			real := m.path("~/bin/nidan-host")
			m.write(real, "#!/bin/sh\n", 0o755)
			chmod(t, filepath.Dir(real), 0o777)
			opts.Binary = m.path("/opt/nidan/bin/link")
			if err := os.Symlink(real, opts.Binary); err != nil {
				t.Fatal(err)
			}
		}, "writable by its group or by everyone"},
	} {
		for _, goos := range []string{"linux", "darwin"} {
			t.Run(goos+"/"+tc.name, func(t *testing.T) {
				m := newMachine(t)
				opts := m.options(goos, "chrome")
				opts.System = true
				tc.setup(m, &opts)
				before := m.snapshot(false)
				_, err := Install(opts)
				if tc.want == "" {
					if err != nil {
						t.Fatalf("Install: %v", err)
					}
					return
				}
				if !errors.Is(err, ErrUserWritable) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Install = %v, want ErrUserWritable: …%s", err, tc.want)
				}
				if d := diffSnapshots(before, m.snapshot(false)); d != "" {
					t.Errorf("a refused install wrote:\n%s", d)
				}
				opts.System = false
				mustInstall(t, opts)
			})
		}
	}
}

func TestSystemHint(t *testing.T) {
	for goos, wants := range map[string][]string{
		"linux":  {".deb or .rpm", "sudo install -m 0755 /home/u/go/bin/nidan-host /home/u/go/bin/nidan /usr/local/bin/", "sudo /usr/local/bin/nidan install --system", "without --system"},
		"darwin": {"sudo install -d -m 0755 /opt/nidan", "/home/u/go/bin/nidan /opt/nidan/", "sudo /opt/nidan/nidan install --system"},
	} {
		h := SystemHint(goos, "/home/u/go/bin/nidan-host")
		for _, want := range wants {
			if !strings.Contains(h, want) {
				t.Errorf("%s hint lacks %q:\n%s", goos, want, h)
			}
		}
	}
}

// TestWindowsSystemCopies: --system on Windows copies nidan under
// %ProgramFiles% with its own manifests, registered under HKLM; each level
// removes only what it wrote, so uninstall --system leaves the per-user
// install working (issue 13.3).
func TestWindowsSystemCopies(t *testing.T) {
	m := newMachine(t)
	cliExe := m.binary // newMachine's nidan.exe stands for the CLI
	m.binary = filepath.Join(filepath.Dir(m.binary), "nidan-host.exe")
	m.write(m.binary, "host v1", 0o755)
	before := m.snapshot(false)
	user := m.options("windows", "chrome")
	system := m.options("windows", "chrome")
	system.System = true
	const key = `Software\Google\Chrome\NativeMessagingHosts\dev.nidan.host`

	mustInstall(t, user)
	rep := mustInstall(t, system)
	pf := m.path("/Program Files/nidan")
	hostCopy, cliCopy := filepath.Join(pf, "nidan-host.exe"), filepath.Join(pf, "nidan.exe")
	if m.read(hostCopy) != "host v1" || m.read(cliCopy) != m.read(cliExe) {
		t.Errorf("copies differ from the programs")
	}
	manifest := filepath.Join(pf, "NativeMessagingHosts", "dev.nidan.host-chromium.json")
	if got, err := m.registry.Value(true, key); err != nil || got != manifest {
		t.Errorf("HKLM key = %q, %v; want %q", got, err, manifest)
	}
	if got := m.read(manifest); got != wantManifest(manifests.Chromium, hostCopy) {
		t.Errorf("machine-wide manifest:\n%s", got)
	}
	userManifest := filepath.Join(filepath.Dir(m.binary), "dev.nidan.host-chromium.json")
	if got, err := m.registry.Value(false, key); err != nil || got != userManifest {
		t.Errorf("HKCU key = %q, %v; want %q", got, err, userManifest)
	}
	for _, a := range rep.Actions {
		if strings.HasPrefix(a.Path, filepath.Dir(m.binary)) {
			t.Errorf("install --system touched the per-user folder: %+v", a)
		}
	}

	// The doctor of each level follows its own manifests to its own program.
	for _, opts := range []Options{user, system} {
		rep, out := doctor(t, opts)
		if !slices.ContainsFunc(rep.Rows, func(r Row) bool { return r.Name == "chrome: host is this nidan's" && r.OK }) {
			t.Errorf("doctor (system %v):\n%s", opts.System, out)
		}
	}

	// An upgrade replaces the copy.
	m.write(m.binary, "host v2", 0o755)
	mustInstall(t, system)
	if m.read(hostCopy) != "host v2" {
		t.Error("install --system did not refresh the copy")
	}

	mustUninstall(t, system)
	isNotExist(t, pf)
	if m.registry.Exists(true, key) {
		t.Error("uninstall --system left the HKLM key")
	}
	got, err := m.registry.Value(false, key)
	if err != nil || got != userManifest {
		t.Fatalf("after uninstall --system, HKCU key = %q, %v", got, err)
	}
	if m.read(got) != wantManifest(manifests.Chromium, m.binary) {
		t.Errorf("the per-user manifest changed")
	}

	mustUninstall(t, user)
	after := m.snapshot(false)
	delete(after, m.binary) // rewritten by the upgrade above
	delete(before, m.binary)
	if d := diffSnapshots(before, after); d != "" {
		t.Errorf("uninstall left behind:\n%s", d)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
