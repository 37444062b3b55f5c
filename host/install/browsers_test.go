package install

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
)

// TestTables pins each OS's folders and keys to the ones the browsers
// document (issue 4 lists them).
func TestTables(t *testing.T) {
	type want struct {
		family   manifests.Family
		user     []string
		system   []string
		keys     []string
		flatpak  string
		snap     string
		markSome string // one of the marks
	}
	const mac = "~/Library/Application Support/"
	tables := map[string]map[string]want{
		"linux": {
			"chrome":    {manifests.Chromium, []string{"~/.config/google-chrome/NativeMessagingHosts"}, []string{"/etc/opt/chrome/native-messaging-hosts"}, nil, "com.google.Chrome", "", "~/.config/google-chrome/Local State"},
			"chromium":  {manifests.Chromium, []string{"~/.config/chromium/NativeMessagingHosts"}, []string{"/etc/chromium/native-messaging-hosts"}, nil, "org.chromium.Chromium", "chromium", "/usr/bin/chromium"},
			"edge":      {manifests.Chromium, []string{"~/.config/microsoft-edge/NativeMessagingHosts"}, []string{"/etc/opt/edge/native-messaging-hosts"}, nil, "com.microsoft.Edge", "", "~/.config/microsoft-edge/Local State"},
			"brave":     {manifests.Chromium, []string{"~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts"}, nil, nil, "com.brave.Browser", "brave", "~/.config/BraveSoftware/Brave-Browser/Local State"},
			"vivaldi":   {manifests.Chromium, []string{"~/.config/vivaldi/NativeMessagingHosts"}, nil, nil, "com.vivaldi.Vivaldi", "", "~/.config/vivaldi/Local State"},
			"firefox":   {manifests.Firefox, []string{"~/.mozilla/native-messaging-hosts"}, []string{"/usr/lib/mozilla/native-messaging-hosts"}, nil, "org.mozilla.firefox", "firefox", "/usr/bin/firefox-esr"},
			"librewolf": {manifests.Firefox, []string{"~/.librewolf/native-messaging-hosts"}, nil, nil, "io.gitlab.librewolf-community", "", "~/.librewolf/profiles.ini"},
		},
		"darwin": {
			"chrome":    {manifests.Chromium, []string{mac + "Google/Chrome/NativeMessagingHosts"}, []string{"/Library/Google/Chrome/NativeMessagingHosts"}, nil, "", "", "/Applications/Google Chrome.app"},
			"chromium":  {manifests.Chromium, []string{mac + "Chromium/NativeMessagingHosts"}, []string{"/Library/Application Support/Chromium/NativeMessagingHosts"}, nil, "", "", "/Applications/Chromium.app"},
			"edge":      {manifests.Chromium, []string{mac + "Microsoft Edge/NativeMessagingHosts"}, []string{"/Library/Microsoft/Edge/NativeMessagingHosts"}, nil, "", "", "/Applications/Microsoft Edge.app"},
			"brave":     {manifests.Chromium, []string{mac + "BraveSoftware/Brave-Browser/NativeMessagingHosts", mac + "Google/Chrome/NativeMessagingHosts"}, []string{"/Library/Google/Chrome/NativeMessagingHosts"}, nil, "", "", "/Applications/Brave Browser.app"},
			"vivaldi":   {manifests.Chromium, []string{mac + "Vivaldi/NativeMessagingHosts"}, nil, nil, "", "", "/Applications/Vivaldi.app"},
			"firefox":   {manifests.Firefox, []string{mac + "Mozilla/NativeMessagingHosts"}, []string{"/Library/Application Support/Mozilla/NativeMessagingHosts"}, nil, "", "", "/Applications/Firefox.app"},
			"librewolf": {manifests.Firefox, []string{mac + "LibreWolf/NativeMessagingHosts"}, nil, nil, "", "", "/Applications/LibreWolf.app"},
		},
		"windows": {
			"chrome":    {manifests.Chromium, nil, nil, []string{`Software\Google\Chrome\NativeMessagingHosts`}, "", "", "%LOCALAPPDATA%/Google/Chrome/User Data"},
			"chromium":  {manifests.Chromium, nil, nil, []string{`Software\Chromium\NativeMessagingHosts`}, "", "", "%LOCALAPPDATA%/Chromium/User Data"},
			"edge":      {manifests.Chromium, nil, nil, []string{`Software\Microsoft\Edge\NativeMessagingHosts`}, "", "", "%LOCALAPPDATA%/Microsoft/Edge/User Data"},
			"brave":     {manifests.Chromium, nil, nil, []string{`Software\BraveSoftware\Brave-Browser\NativeMessagingHosts`}, "", "", "%LOCALAPPDATA%/BraveSoftware/Brave-Browser/User Data"},
			"vivaldi":   {manifests.Chromium, nil, nil, []string{`Software\Vivaldi\NativeMessagingHosts`}, "", "", "%LOCALAPPDATA%/Vivaldi/User Data"},
			"firefox":   {manifests.Firefox, nil, nil, []string{`Software\Mozilla\NativeMessagingHosts`}, "", "", "%APPDATA%/Mozilla/Firefox"},
			"librewolf": {manifests.Firefox, nil, nil, []string{`Software\LibreWolf\NativeMessagingHosts`, `Software\Mozilla\NativeMessagingHosts`}, "", "", "%APPDATA%/librewolf"},
		},
	}
	for goos, wants := range tables {
		table, err := Browsers(goos)
		if err != nil {
			t.Fatal(err)
		}
		if len(table) != len(wants) {
			t.Errorf("%s: %d browsers, want %d", goos, len(table), len(wants))
		}
		for _, b := range table {
			t.Run(goos+"/"+b.Name, func(t *testing.T) {
				w, ok := wants[b.Name]
				if !ok {
					t.Fatalf("unexpected browser %q", b.Name)
				}
				if b.Family != w.family || !slices.Equal(b.UserDirs, w.user) || !slices.Equal(b.SystemDirs, w.system) ||
					!slices.Equal(b.Keys, w.keys) || b.Flatpak != w.flatpak || b.Snap != w.snap {
					t.Errorf("got %+v\nwant %+v", b, w)
				}
				if !slices.Contains(b.Marks, w.markSome) {
					t.Errorf("marks %q lack %q", b.Marks, w.markSome)
				}
				if b.Title == "" {
					t.Error("no title")
				}
			})
		}
	}
	if _, err := Browsers("plan9"); !errors.Is(err, ErrUnsupportedOS) {
		t.Errorf("Browsers(plan9) = %v, want ErrUnsupportedOS", err)
	}
}

// TestSameNamesEverywhere: a --browser name means the same on every OS.
func TestSameNamesEverywhere(t *testing.T) {
	want := []string{"chrome", "chromium", "edge", "brave", "vivaldi", "firefox", "librewolf", "all"}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		if got := Names(goos); !slices.Equal(got, want) {
			t.Errorf("Names(%s) = %q, want %q", goos, got, want)
		}
	}
}

func TestSelectBrowsers(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   []string
		err    error
	}{
		{nil, nil, nil},
		{[]string{""}, nil, nil},
		{[]string{"firefox,chrome"}, []string{"chrome", "firefox"}, nil},
		{[]string{" Chrome ", "firefox"}, []string{"chrome", "firefox"}, nil},
		{[]string{"chrome,chrome"}, []string{"chrome"}, nil},
		{[]string{"all"}, []string{"chrome", "chromium", "edge", "brave", "vivaldi", "firefox", "librewolf"}, nil},
		{[]string{"chrome,all"}, []string{"chrome", "chromium", "edge", "brave", "vivaldi", "firefox", "librewolf"}, nil},
		{[]string{"safari"}, nil, ErrUnknownBrowser},
		{[]string{"chrome,netscape"}, nil, ErrUnknownBrowser},
	} {
		got, err := selectBrowsers("linux", tc.values)
		if !errors.Is(err, tc.err) {
			t.Errorf("selectBrowsers(%q) error %v, want %v", tc.values, err, tc.err)
			continue
		}
		var names []string
		for _, b := range got {
			names = append(names, b.Name)
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("selectBrowsers(%q) = %q, want %q", tc.values, names, tc.want)
		}
	}
	_, err := selectBrowsers("linux", []string{"safari"})
	if msg := err.Error(); !strings.Contains(msg, `"safari"`) || !strings.Contains(msg, "chrome, chromium, edge, brave, vivaldi, firefox, librewolf, all") {
		t.Errorf("unknown browser error does not name it and the known ones: %s", msg)
	}
}

func TestDetection(t *testing.T) {
	for _, tc := range []struct {
		goos  string
		marks []string
		want  []string
	}{
		{"linux", nil, nil},
		{"linux", []string{"~/.config/google-chrome/Local State", "/usr/bin/firefox-esr"}, []string{"chrome", "firefox"}},
		{"linux", []string{"~/.config/google-chrome/NativeMessagingHosts"}, nil}, // what install makes is no sign
		{"linux", []string{"/usr/bin/chromium"}, []string{"chromium"}},
		{"linux", []string{"~/.var/app/com.google.Chrome"}, nil}, // sandboxed only: not found
		{"darwin", []string{"/Applications/Brave Browser.app"}, []string{"brave"}},
		{"darwin", []string{"~/Library/Application Support/Firefox"}, []string{"firefox"}},
		{"windows", []string{"~/AppData/Local/Microsoft/Edge/User Data", "~/AppData/Roaming/Mozilla/Firefox"}, []string{"edge", "firefox"}},
		{"windows", []string{"/Program Files/Google/Chrome/Application/chrome.exe"}, []string{"chrome"}},
	} {
		m := newMachine(t)
		for _, mark := range tc.marks {
			m.mkdir(mark)
		}
		o, err := resolve(m.options(tc.goos))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range o.foundBrowsers() {
			names = append(names, b.Name)
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("%s with %q: found %q, want %q", tc.goos, tc.marks, names, tc.want)
		}
	}
}

// TestInstallDoesNotFindBrowsers: the folders install creates never make a
// browser look installed, or the doctor would check browsers nobody has.
func TestInstallDoesNotFindBrowsers(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		m := newMachine(t)
		mustInstall(t, m.options(goos, "all"))
		o, err := resolve(m.options(goos))
		if err != nil {
			t.Fatal(err)
		}
		if found := o.foundBrowsers(); len(found) != 0 {
			t.Errorf("%s: after install --browser all, found %d browsers: %+v", goos, len(found), found[0])
		}
	}
}

func TestIsAbs(t *testing.T) {
	for _, tc := range []struct {
		goos, path string
		want       bool
	}{
		{"linux", "/usr/bin/nidan", true},
		{"linux", "bin/nidan", false},
		{"linux", "~/bin/nidan", false},
		{"windows", `C:\Users\u\nidan.exe`, true},
		{"windows", `c:/Users/u/nidan.exe`, true},
		{"windows", `\\server\share\nidan.exe`, true},
		{"windows", `nidan.exe`, false},
		{"windows", `C:nidan.exe`, false},
	} {
		if got := isAbs(tc.goos, tc.path); got != tc.want {
			t.Errorf("isAbs(%s, %q) = %v", tc.goos, tc.path, got)
		}
	}
}
