package install

import (
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
)

// TestDoctorSystemWide: a .deb or .rpm puts manifests only in the
// machine-wide folders; the per-user doctor must report them as the
// manifests the browsers read, and still fail when neither level has one.
func TestDoctorSystemWide(t *testing.T) {
	packaged := map[string]manifests.Family{
		"/etc/opt/chrome/native-messaging-hosts/dev.nidan.host.json":  manifests.Chromium,
		"/usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.json": manifests.Firefox,
	}
	for _, tc := range []struct {
		name    string
		install bool
		ok      bool
	}{
		{"package only", true, true},
		{"nothing installed", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(t)
			if tc.install {
				for file, family := range packaged {
					data, err := manifests.Render(family, m.binary)
					if err != nil {
						t.Fatal(err)
					}
					m.write(m.path(file), string(data), 0o644)
				}
			}
			rep, out := doctor(t, m.options("linux", "chrome", "firefox"))
			if rep.OK() != tc.ok {
				t.Fatalf("doctor OK = %v, want %v:\n%s", rep.OK(), tc.ok, out)
			}
			if !tc.ok {
				return
			}
			for _, want := range []string{
				"✓ chrome: manifest present", "native-messaging-hosts/dev.nidan.host.json (system-wide)",
				"✓ chrome: host is this nidan's", "✓ firefox: allowed extension",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
