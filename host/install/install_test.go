package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
)

// wantManifest is the exact JSON install must write for the family.
func wantManifest(family manifests.Family, binary string) string {
	allowed := `"allowed_origins": ["chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"]`
	if family == manifests.Firefox {
		allowed = `"allowed_extensions": ["nidan@nidan.dev"]`
	}
	path, _ := json.Marshal(binary)
	return "{\n" +
		`  "name": "dev.nidan.host",` + "\n" +
		`  "description": "nidan: TOTP codes for Amazon two-step verification",` + "\n" +
		`  "path": ` + string(path) + ",\n" +
		`  "type": "stdio",` + "\n" +
		"  " + allowed + "\n}\n"
}

// TestInstallWritesExactly installs into a temporary home and checks every
// file written, its content and nothing else.
func TestInstallWritesExactly(t *testing.T) {
	const mac = "~/Library/Application Support/"
	for _, tc := range []struct {
		name     string
		goos     string
		marks    []string
		browsers []string
		system   bool
		want     map[string]manifests.Family // manifests, as machine paths
	}{
		{
			name: "linux found browsers", goos: "linux",
			marks: []string{"~/.config/google-chrome/Local State", "/usr/bin/firefox-esr"},
			want: map[string]manifests.Family{
				"~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json": manifests.Chromium,
				"~/.mozilla/native-messaging-hosts/dev.nidan.host.json":            manifests.Firefox,
			},
		},
		{
			name: "linux named browsers", goos: "linux", browsers: []string{"chromium,edge", "brave", "vivaldi", "librewolf"},
			want: map[string]manifests.Family{
				"~/.config/chromium/NativeMessagingHosts/dev.nidan.host.json":                    manifests.Chromium,
				"~/.config/microsoft-edge/NativeMessagingHosts/dev.nidan.host.json":              manifests.Chromium,
				"~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.nidan.host.json": manifests.Chromium,
				"~/.config/vivaldi/NativeMessagingHosts/dev.nidan.host.json":                     manifests.Chromium,
				"~/.librewolf/native-messaging-hosts/dev.nidan.host.json":                        manifests.Firefox,
			},
		},
		{
			name: "linux system", goos: "linux", browsers: []string{"chrome,chromium,edge,firefox"}, system: true,
			want: map[string]manifests.Family{
				"/etc/opt/chrome/native-messaging-hosts/dev.nidan.host.json":  manifests.Chromium,
				"/etc/chromium/native-messaging-hosts/dev.nidan.host.json":    manifests.Chromium,
				"/etc/opt/edge/native-messaging-hosts/dev.nidan.host.json":    manifests.Chromium,
				"/usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.json": manifests.Firefox,
			},
		},
		{
			name: "macos brave writes chrome's folder too", goos: "darwin", marks: []string{"/Applications/Brave Browser.app"},
			want: map[string]manifests.Family{
				mac + "BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.nidan.host.json": manifests.Chromium,
				mac + "Google/Chrome/NativeMessagingHosts/dev.nidan.host.json":               manifests.Chromium,
			},
		},
		{
			name: "macos all", goos: "darwin", browsers: []string{"all"},
			want: map[string]manifests.Family{
				mac + "Google/Chrome/NativeMessagingHosts/dev.nidan.host.json":               manifests.Chromium,
				mac + "Chromium/NativeMessagingHosts/dev.nidan.host.json":                    manifests.Chromium,
				mac + "Microsoft Edge/NativeMessagingHosts/dev.nidan.host.json":              manifests.Chromium,
				mac + "BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.nidan.host.json": manifests.Chromium,
				mac + "Vivaldi/NativeMessagingHosts/dev.nidan.host.json":                     manifests.Chromium,
				mac + "Mozilla/NativeMessagingHosts/dev.nidan.host.json":                     manifests.Firefox,
				mac + "LibreWolf/NativeMessagingHosts/dev.nidan.host.json":                   manifests.Firefox,
			},
		},
		{
			name: "windows manifests beside the binary", goos: "windows", browsers: []string{"all"},
			want: map[string]manifests.Family{
				"/opt/nidan/bin/dev.nidan.host-chromium.json": manifests.Chromium,
				"/opt/nidan/bin/dev.nidan.host-firefox.json":  manifests.Firefox,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.system && tc.goos != "windows" && runtime.GOOS == "windows" {
				t.Skip("a --system install checks Unix file owners, which Windows files do not have")
			}
			m := newMachine(t)
			for _, mark := range tc.marks {
				m.mkdir(mark)
			}
			before := m.snapshot(false)
			opts := m.options(tc.goos, tc.browsers...)
			opts.System = tc.system
			rep := mustInstall(t, opts)
			after := m.snapshot(false)
			var added []string
			for path := range after {
				if _, ok := before[path]; !ok && !strings.HasPrefix(path, "registry:") {
					if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
						added = append(added, path)
					}
				}
			}
			record := filepath.Join(opts.Home, recordName)
			want := []string{record}
			for path, family := range tc.want {
				full := m.path(path)
				want = append(want, full)
				if got := m.read(full); got != wantManifest(family, m.binary) {
					t.Errorf("%s:\n%s\nwant\n%s", path, got, wantManifest(family, m.binary))
				}
				info, _ := os.Stat(full)
				if info.Mode().Perm() != 0o644 {
					t.Errorf("%s mode %v, want 0644", path, info.Mode().Perm())
				}
				if !slices.ContainsFunc(rep.Actions, func(a Action) bool { return a.Path == full && a.Change == Written }) {
					t.Errorf("report lacks %s written: %+v", path, rep.Actions)
				}
			}
			slices.Sort(added)
			slices.Sort(want)
			if !slices.Equal(added, want) {
				t.Errorf("files written:\n%s\nwant:\n%s", strings.Join(added, "\n"), strings.Join(want, "\n"))
			}
			if info, err := os.Stat(record); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("install record: %v %v", info, err)
			}
		})
	}
}

func TestInstallWindowsRegistry(t *testing.T) {
	m := newMachine(t)
	m.mkdir("~/AppData/Local/Google/Chrome/User Data")
	m.mkdir("~/AppData/Roaming/librewolf")
	before := m.snapshot(false)
	for _, system := range []bool{false, true} {
		opts := m.options("windows")
		opts.System = system
		mustInstall(t, opts)
		// Per-user manifests lie beside the binary; machine-wide ones in
		// their own folder under %ProgramFiles% (system_test.go).
		dir := filepath.Dir(m.binary)
		if system {
			dir = m.path("/Program Files/nidan/NativeMessagingHosts")
		}
		chromium := filepath.Join(dir, "dev.nidan.host-chromium.json")
		firefox := filepath.Join(dir, "dev.nidan.host-firefox.json")
		for key, want := range map[string]string{
			`Software\Google\Chrome\NativeMessagingHosts\dev.nidan.host`: chromium,
			`Software\LibreWolf\NativeMessagingHosts\dev.nidan.host`:     firefox,
			`Software\Mozilla\NativeMessagingHosts\dev.nidan.host`:       firefox,
		} {
			if got, err := m.registry.Value(system, key); err != nil || got != want {
				t.Errorf("%s\\%s = %q, %v; want %q", hiveName(system), key, got, err, want)
			}
		}
		if m.registry.Exists(system, `Software\Microsoft\Edge\NativeMessagingHosts\dev.nidan.host`) {
			t.Error("key written for Edge, which is not on the machine")
		}
	}
	mustUninstall(t, m.options("windows"))
	if !m.registry.Exists(true, `Software\Mozilla\NativeMessagingHosts\dev.nidan.host`) {
		t.Error("uninstall without --system removed an HKLM key")
	}
	opts := m.options("windows")
	opts.System = true
	mustUninstall(t, opts)
	if d := diffSnapshots(before, m.snapshot(false)); d != "" {
		t.Errorf("uninstall left behind:\n%s", d)
	}
}

// TestInstallTwiceChangesNothing: a second identical install touches no file
// or key — not even a modification time — and says so.
func TestInstallTwiceChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		goos  string
		marks []string
	}{
		{"linux", []string{"~/.config/chromium/Local State", "~/.mozilla/firefox"}},
		{"darwin", []string{"/Applications/Brave Browser.app", "/Applications/Google Chrome.app"}},
		{"windows", []string{"~/AppData/Local/Chromium/User Data", "~/AppData/Roaming/Mozilla/Firefox"}},
	} {
		t.Run(tc.goos, func(t *testing.T) {
			m := newMachine(t)
			for _, mark := range tc.marks {
				m.mkdir(mark)
			}
			mustInstall(t, m.options(tc.goos))
			first := m.snapshot(true)
			rep := mustInstall(t, m.options(tc.goos))
			if d := diffSnapshots(first, m.snapshot(true)); d != "" {
				t.Errorf("second install changed:\n%s", d)
			}
			for _, a := range rep.Actions {
				if a.Change != Unchanged {
					t.Errorf("second install: %+v", a)
				}
			}
		})
	}
}

func TestInstallRepairs(t *testing.T) {
	m := newMachine(t)
	opts := m.options("linux", "chrome")
	mustInstall(t, opts)
	file := m.path("~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json")
	m.write(file, `{"name":"dev.nidan.host","path":"/old/nidan"}`, 0o600)
	rep := mustInstall(t, opts)
	if got := m.read(file); got != wantManifest(manifests.Chromium, m.binary) {
		t.Errorf("install did not repair the manifest:\n%s", got)
	}
	if rep.Actions[0].Change != Written {
		t.Errorf("report: %+v", rep.Actions)
	}
}

// TestUninstallLeavesNothing: install then uninstall gives back the machine
// as it was, files, folders and keys.
func TestUninstallLeavesNothing(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			m := newMachine(t)
			m.mkdir("~/.config/google-chrome/Local State")
			before := m.snapshot(false)
			mustInstall(t, m.options(goos, "all"))
			rep := mustUninstall(t, m.options(goos))
			if d := diffSnapshots(before, m.snapshot(false)); d != "" {
				t.Errorf("uninstall left behind:\n%s", d)
			}
			if len(rep.Actions) == 0 {
				t.Error("empty report")
			}
			for _, a := range rep.Actions {
				if a.Change != Removed || a.Browser == "" {
					t.Errorf("uninstall report: %+v", a)
				}
			}
			again := mustUninstall(t, m.options(goos))
			if len(again.Actions) != 0 || len(again.Notes) != 1 || !strings.HasPrefix(again.Notes[0], "nothing to remove") {
				t.Errorf("second uninstall: %+v", again)
			}
		})
	}
}

// TestUninstallSparesForeignFiles: another host's manifest, a folder that
// now holds it, a nidan manifest someone else wrote, and one edited since
// install all stay.
func TestUninstallSparesForeignFiles(t *testing.T) {
	m := newMachine(t)
	opts := m.options("linux", "chrome", "chromium", "firefox")
	mustInstall(t, opts)

	other := m.path("~/.config/google-chrome/NativeMessagingHosts/org.example.other.json")
	m.write(other, `{"name":"org.example.other"}`, 0o644)
	handMade := m.path("~/.config/vivaldi/NativeMessagingHosts/dev.nidan.host.json")
	m.write(handMade, wantManifest(manifests.Chromium, "/somewhere/else/nidan"), 0o644)
	edited := m.path("~/.mozilla/native-messaging-hosts/dev.nidan.host.json")
	m.write(edited, m.read(edited)+" ", 0o644)

	rep := mustUninstall(t, m.options("linux"))
	isNotExist(t, m.path("~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json"))
	isNotExist(t, m.path("~/.config/chromium"))
	for _, keep := range []string{other, handMade, edited} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("uninstall removed %s", keep)
		}
	}
	if !slices.ContainsFunc(rep.Actions, func(a Action) bool { return a.Path == edited && a.Change == Kept }) {
		t.Errorf("report does not say the edited manifest was kept: %+v", rep.Actions)
	}
	if _, err := os.Stat(filepath.Join(opts.Home, recordName)); err == nil {
		t.Error("install record left behind after everything was uninstalled")
	}
}

func TestUninstallOneBrowser(t *testing.T) {
	const mac = "~/Library/Application Support/"
	m := newMachine(t)
	mustInstall(t, m.options("darwin", "brave", "chrome"))
	chrome := m.path(mac + "Google/Chrome/NativeMessagingHosts/dev.nidan.host.json")
	brave := m.path(mac + "BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.nidan.host.json")

	mustUninstall(t, m.options("darwin", "brave"))
	isNotExist(t, brave)
	if _, err := os.Stat(chrome); err != nil {
		t.Fatalf("uninstalling brave removed chrome's manifest: %v", err)
	}
	mustUninstall(t, m.options("darwin", "chrome"))
	isNotExist(t, chrome)
	isNotExist(t, m.path(mac+"Google"))
	isNotExist(t, m.path("~/Library"))
}

func TestUninstallWithoutRecord(t *testing.T) {
	m := newMachine(t)
	opts := m.options("linux", "chrome", "firefox")
	mustInstall(t, opts)
	if err := os.Remove(filepath.Join(opts.Home, recordName)); err != nil {
		t.Fatal(err)
	}
	foreign := m.path("~/.mozilla/native-messaging-hosts/dev.nidan.host.json")
	m.write(foreign, wantManifest(manifests.Firefox, "/other/nidan"), 0o644)
	mustUninstall(t, m.options("linux"))
	isNotExist(t, m.path("~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json"))
	if _, err := os.Stat(foreign); err != nil {
		t.Error("uninstall without a record removed a manifest for another binary")
	}
}

// TestProfile installs as the end-to-end tests do (nidan install --browser
// chromium --profile DIR), next to another profile and a per-user install
// that uninstalling the profile must not touch.
func TestProfile(t *testing.T) {
	m := newMachine(t)
	profile := filepath.Join(m.root, "profiles", "test")
	other := filepath.Join(m.root, "profiles", "other")
	m.mkdir("/profiles/test")
	m.mkdir("/profiles/other")
	mustInstall(t, m.options("linux", "chromium"))
	otherOpts := m.options("linux")
	otherOpts.Profile = other
	mustInstall(t, otherOpts)
	before := m.snapshot(false)
	opts := m.options("linux", "chromium")
	opts.Profile = profile
	rep := mustInstall(t, opts)
	if len(rep.Actions) != 2 || rep.Actions[1].Browser != "profile" {
		t.Errorf("install --profile: %+v", rep.Actions)
	}
	file := filepath.Join(profile, "NativeMessagingHosts", "dev.nidan.host.json")
	if got := m.read(file); got != wantManifest(manifests.Chromium, m.binary) {
		t.Errorf("profile manifest:\n%s", got)
	}
	dr, err := Doctor(opts)
	if err != nil || !dr.OK() {
		var b bytes.Buffer
		dr.Print(&b)
		t.Errorf("doctor --profile after install: %v\n%s", err, b.String())
	}
	mustUninstall(t, opts)
	if d := diffSnapshots(before, m.snapshot(false)); d != "" {
		t.Errorf("uninstall --profile left behind:\n%s", d)
	}
}

func TestBadOptions(t *testing.T) {
	m := newMachine(t)
	before := m.snapshot(true)
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want error
	}{
		{"unknown browser", func(o *Options) { o.Browsers = []string{"safari"} }, ErrUnknownBrowser},
		{"nothing found", func(o *Options) {}, ErrNoBrowser},
		{"no home", func(o *Options) { o.Home = "" }, ErrBadOptions},
		{"relative binary", func(o *Options) { o.Binary = "bin/nidan" }, ErrBadOptions},
		{"profile and firefox", func(o *Options) { o.Profile, o.Browsers = "/p", []string{"chromium,firefox"} }, ErrBadOptions},
		{"profile and system", func(o *Options) { o.Profile, o.System = "/p", true }, ErrBadOptions},
		{"profile on windows", func(o *Options) { o.Profile, o.GOOS = "/p", "windows" }, ErrBadOptions},
		{"unknown OS", func(o *Options) { o.GOOS = "plan9" }, ErrUnsupportedOS},
	} {
		opts := m.options("linux")
		tc.edit(&opts)
		if _, err := Install(opts); !errors.Is(err, tc.want) {
			t.Errorf("%s: Install error %v, want %v", tc.name, err, tc.want)
		}
	}
	if d := diffSnapshots(before, m.snapshot(true)); d != "" {
		t.Errorf("a refused install wrote:\n%s", d)
	}
}

func TestSystemWithoutFolderNotes(t *testing.T) {
	m := newMachine(t)
	opts := m.options("linux", "vivaldi")
	opts.System = true
	rep := mustInstall(t, opts)
	if len(rep.Actions) != 0 || len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "vivaldi: no machine-wide folder") {
		t.Errorf("report: %+v", rep)
	}
}

func TestReportPrint(t *testing.T) {
	m := newMachine(t)
	m.mkdir("~/.var/app/org.chromium.Chromium")
	rep := mustInstall(t, m.options("linux", "chrome"))
	var b bytes.Buffer
	if err := rep.Print(&b); err != nil {
		t.Fatal(err)
	}
	file := m.path("~/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json")
	for _, want := range []string{
		"chrome    written   manifest     " + file + "\n",
		"note: flatpak Chromium (org.chromium.Chromium) cannot start nidan from its sandbox: run nidan doctor for the workaround\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
