package install

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
)

func doctor(t *testing.T, opts Options, extra ...Check) (DoctorReport, string) {
	t.Helper()
	rep, err := Doctor(opts, extra...)
	if err != nil {
		t.Fatalf("Doctor: %v", err)
	}
	var b bytes.Buffer
	if err := rep.Print(&b); err != nil {
		t.Fatal(err)
	}
	return rep, b.String()
}

func failed(rep DoctorReport) []string {
	var names []string
	for _, r := range rep.Rows {
		if !r.OK {
			names = append(names, r.Name)
		}
	}
	return names
}

func TestDoctorHealthy(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			m := newMachine(t)
			mustInstall(t, m.options(goos, "chrome", "firefox"))
			rep, out := doctor(t, m.options(goos))
			if !rep.OK() || len(failed(rep)) != 0 {
				t.Fatalf("healthy install fails the doctor:\n%s", out)
			}
			for _, want := range []string{
				"✓ chrome: manifest present", "✓ chrome: host is this nidan's",
				"✓ firefox: allowed extension", "✓ clock (advisory)", "2026-11-21 09:30:00 JST (UTC+09:00)",
				"all required checks passed",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestDoctorCatches breaks a working install in each known way and checks the
// doctor fails that very check, with a hint.
func TestDoctorCatches(t *testing.T) {
	chromeFile := "~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json"
	for _, tc := range []struct {
		name     string
		goos     string
		breakIt  func(m *machine)
		failing  string // the one required check that must fail
		hint     string
		advisory bool // the failure does not fail the doctor
	}{
		{name: "missing manifest", breakIt: func(m *machine) { os.Remove(m.path(chromeFile)) },
			failing: "chrome: manifest present", hint: "run: nidan install --browser chrome"},
		{name: "invalid JSON", breakIt: func(m *machine) { m.write(m.path(chromeFile), `{"name": "dev.nidan.host",`, 0o644) },
			failing: "chrome: manifest valid", hint: "run: nidan install --browser chrome"},
		{name: "wrong id", breakIt: func(m *machine) {
			m.write(m.path(chromeFile), strings.Replace(m.read(m.path(chromeFile)), manifests.ChromiumExtensionID, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1), 0o644)
		}, failing: "chrome: allowed extension", hint: "run: nidan install --browser chrome"},
		{name: "firefox manifest in chrome's folder", breakIt: func(m *machine) {
			m.write(m.path(chromeFile), wantManifest(manifests.Firefox, m.binary), 0o644)
		}, failing: "chrome: allowed extension", hint: "run: nidan install --browser chrome"},
		{name: "relative path", breakIt: func(m *machine) { m.write(m.path(chromeFile), wantManifest(manifests.Chromium, "bin/nidan"), 0o644) },
			failing: "chrome: host path absolute", hint: "run: nidan install --browser chrome"},
		{name: "path to nothing", breakIt: func(m *machine) {
			m.write(m.path(chromeFile), wantManifest(manifests.Chromium, "/nowhere/nidan"), 0o644)
		}, failing: "chrome: host exists", hint: "run: nidan install --browser chrome"},
		{name: "wrong path", breakIt: func(m *machine) {
			other := filepath.Join(m.root, "usr", "local", "bin", "nidan")
			m.write(other, "#!/bin/sh\n", 0o755)
			m.write(m.path(chromeFile), wantManifest(manifests.Chromium, other), 0o644)
		}, failing: "chrome: host is this nidan's", hint: "run: nidan install --browser chrome"},
		{name: "binary not executable", breakIt: func(m *machine) {
			copied := filepath.Join(m.root, "copy", "nidan")
			m.write(copied, "#!/bin/sh\n", 0o644)
			m.write(m.path(chromeFile), wantManifest(manifests.Chromium, copied), 0o644)
		}, failing: "chrome: host executable", hint: "run: chmod +x /"},
		{name: "flatpak browser", breakIt: func(m *machine) { m.mkdir("~/.var/app/com.google.Chrome") },
			failing: "chrome: flatpak com.google.Chrome", hint: "flatpak override --user --talk-name=org.freedesktop.Flatpak com.google.Chrome"},
		{name: "flatpak beside a native install", breakIt: func(m *machine) {
			m.mkdir("~/.var/app/com.google.Chrome")
			m.mkdir("/opt/google/chrome")
		}, failing: "chrome: flatpak com.google.Chrome", hint: "flatpak-spawn --host", advisory: true},
		{name: "system flatpak browser", breakIt: func(m *machine) { m.mkdir("/var/lib/flatpak/app/org.mozilla.firefox") },
			failing: "firefox: flatpak org.mozilla.firefox", hint: "/.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts"},
		{name: "snap browser", breakIt: func(m *machine) { m.mkdir("/snap/chromium") },
			failing: "chromium: snap chromium", hint: "snap Chromium cannot start programs outside its snap"},
		{name: "snap firefox", breakIt: func(m *machine) { m.mkdir("/snap/firefox") },
			failing: "firefox: snap firefox", hint: "WebExtensions portal", advisory: true},
		{name: "clock not synchronised", breakIt: func(m *machine) { m.ntp = "no" },
			failing: "clock", hint: "sudo timedatectl set-ntp true", advisory: true},
		{name: "windows key missing", goos: "windows", breakIt: func(m *machine) {
			m.registry.DeleteKey(false, `Software\Google\Chrome\NativeMessagingHosts\dev.nidan.host`)
		}, failing: "chrome: registry key", hint: "run: nidan install --browser chrome"},
		{name: "windows manifest missing", goos: "windows", breakIt: func(m *machine) {
			os.Remove(filepath.Join(filepath.Dir(m.binary), "dev.nidan.host-chromium.json"))
		}, failing: "chrome: manifest present", hint: "run: nidan install --browser chrome"},
		{name: "windows not a program", goos: "windows", breakIt: func(m *machine) {
			file := filepath.Join(filepath.Dir(m.binary), "dev.nidan.host-chromium.json")
			m.write(file, wantManifest(manifests.Chromium, m.path("~/nidan.txt")), 0o644)
			m.write(m.path("~/nidan.txt"), "", 0o755)
		}, failing: "chrome: host executable", hint: ".exe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			goos := cmpOr(tc.goos, "linux")
			m := newMachine(t)
			m.ntp = "yes"
			mustInstall(t, m.options(goos, "chrome", "firefox"))
			tc.breakIt(m)
			rep, out := doctor(t, m.options(goos))
			if got := failed(rep); !slices.Equal(got, []string{tc.failing}) {
				t.Fatalf("failed checks %q, want [%q]:\n%s", got, tc.failing, out)
			}
			if rep.OK() != tc.advisory {
				t.Errorf("OK() = %v, want %v", rep.OK(), tc.advisory)
			}
			i := slices.IndexFunc(rep.Rows, func(r Row) bool { return r.Name == tc.failing })
			if !strings.Contains(rep.Rows[i].Hint, tc.hint) {
				t.Errorf("hint %q lacks %q", rep.Rows[i].Hint, tc.hint)
			}
			if !strings.Contains(out, "✗ "+rep.Rows[i].label()) || !strings.Contains(out, "  hint: ") {
				t.Errorf("table does not show the failure and its hint:\n%s", out)
			}
			if !tc.advisory && !strings.Contains(out, "1 required check(s) failed") {
				t.Errorf("table does not end with the verdict:\n%s", out)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestFlatpakWorkaround follows the printed workaround by hand and checks the
// doctor then accepts the Flatpak browser.
func TestFlatpakWorkaround(t *testing.T) {
	m := newMachine(t)
	m.mkdir("~/.var/app/com.google.Chrome")
	rep, _ := doctor(t, m.options("linux", "chrome"))
	i := slices.IndexFunc(rep.Rows, func(r Row) bool { return r.Name == "chrome: flatpak com.google.Chrome" })
	if i < 0 {
		t.Fatal("no flatpak row")
	}
	dir := m.path("~/.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts")
	wrapper := m.path("~/.var/app/com.google.Chrome/nidan-host")
	for _, want := range []string{
		"This gives the sandbox up: --talk-name=org.freedesktop.Flatpak lets the sandboxed browser run any program on this computer",
		"mkdir -p " + dir,
		`printf '#!/bin/sh\nexec flatpak-spawn --host "%s" "$@"\n' ` + m.binary + " > " + wrapper,
		"chmod +x " + wrapper,
		`"path":"` + wrapper + `"`,
		"> " + filepath.Join(dir, "dev.nidan.host.json"),
	} {
		if !strings.Contains(rep.Rows[i].Hint, want) {
			t.Errorf("workaround lacks %q:\n%s", want, rep.Rows[i].Hint)
		}
	}
	m.write(wrapper, "#!/bin/sh\n", 0o755)
	m.write(filepath.Join(dir, "dev.nidan.host.json"), wantManifest(manifests.Chromium, wrapper), 0o644)
	rep, out := doctor(t, m.options("linux", "chrome"))
	i = slices.IndexFunc(rep.Rows, func(r Row) bool { return r.Name == "chrome: flatpak com.google.Chrome" })
	if !rep.Rows[i].OK {
		t.Errorf("workaround in place still flagged:\n%s", out)
	}
	if !strings.Contains(rep.Rows[i].Detail, "run any program on this computer") {
		t.Errorf("the doctor stopped saying what the override allows:\n%s", out)
	}
}

func TestDoctorExtraChecks(t *testing.T) {
	m := newMachine(t)
	mustInstall(t, m.options("linux", "chromium"))
	vault := Check{Name: "vault opens", Run: func() Result { return Result{OK: false, Detail: "no vault", Hint: "run: nidan init"} }}
	perms := Check{Name: "permissions", Advisory: true, Run: func() Result { return Result{OK: false, Detail: "loose", Hint: "chmod 600"} }}
	fine := Check{Name: "vault opens", Run: func() Result { return Result{OK: true, Detail: "3 accounts"} }}

	rep, out := doctor(t, m.options("linux"), vault)
	if rep.OK() || rep.Rows[0].Name != "vault opens" || !strings.Contains(out, "✗ vault opens") || !strings.Contains(out, "hint: run: nidan init") {
		t.Errorf("a failing required extra check:\n%s", out)
	}
	rep, out = doctor(t, m.options("linux"), fine, perms)
	if !rep.OK() || !strings.Contains(out, "✓ vault opens") || !strings.Contains(out, "✗ permissions (advisory)") {
		t.Errorf("a failing advisory extra check:\n%s", out)
	}
}

func TestDoctorNoBrowser(t *testing.T) {
	m := newMachine(t)
	rep, out := doctor(t, m.options("linux"))
	if rep.OK() || !slices.Equal(failed(rep), []string{"browsers"}) {
		t.Errorf("no browser at all passes:\n%s", out)
	}
}

// TestDoctorFindsInstalled: a browser install was run for is checked even
// when its folders are not there to be found.
func TestDoctorFindsInstalled(t *testing.T) {
	m := newMachine(t)
	mustInstall(t, m.options("linux", "vivaldi"))
	rep, out := doctor(t, m.options("linux"))
	if !rep.OK() || !strings.Contains(out, "✓ vivaldi: host is this nidan's") {
		t.Errorf("doctor skipped the installed browser:\n%s", out)
	}
}

func TestDoctorClock(t *testing.T) {
	for _, tc := range []struct {
		goos, ntp, want string
		ok              bool
	}{
		{"linux", "", "2026-11-21 09:30:00 JST (UTC+09:00)\n", true},
		{"linux", "yes", "2026-11-21 09:30:00 JST (UTC+09:00), synchronised\n", true},
		{"linux", "no", "not synchronised (timedatectl: NTPSynchronized=no)\n", false},
		{"darwin", "no", "2026-11-21 09:30:00 JST (UTC+09:00)\n", true},
	} {
		m := newMachine(t)
		m.ntp = tc.ntp
		rep, out := doctor(t, m.options(tc.goos, "chrome"))
		last := rep.Rows[len(rep.Rows)-1]
		if last.Name != "clock" || last.OK != tc.ok || !last.Advisory || !strings.Contains(out, tc.want) {
			t.Errorf("%s ntp=%q: %+v\n%s", tc.goos, tc.ntp, last, out)
		}
	}
}
