package protocol

import (
	"slices"
	"strings"
	"testing"

	"nidan.dev/nidan/manifests"
	"nidan.dev/nidan/manifests/ids"
)

// TestCallersFromIDList keeps the caller check, the manifests nidan writes
// and ids.json in agreement: the host serves exactly the callers a rendered
// manifest allows, each id in the list, and nothing of the same shape
// besides.
func TestCallersFromIDList(t *testing.T) {
	for _, tc := range []struct {
		family manifests.Family
		args   func(string) []string
		listed []string
		other  string
	}{
		{manifests.Chromium, func(c string) []string { return []string{c} }, ids.ChromiumOrigins(), ids.Origin("aaaabbbbccccddddeeeeffffgggghhhh")},
		{manifests.Firefox, func(c string) []string {
			return []string{"/usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.json", c}
		}, ids.Firefox(), "other@nidan.dev"},
	} {
		out, err := manifests.Render(tc.family, "/usr/bin/nidan-host")
		if err != nil {
			t.Fatal(err)
		}
		m, err := manifests.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		allowed := append(m.AllowedOrigins, m.AllowedExtensions...)
		if !slices.Equal(allowed, tc.listed) {
			t.Errorf("%v manifest allows %q, ids.json lists %q", tc.family, allowed, tc.listed)
		}
		for _, c := range tc.listed {
			if got := callerOf(tc.args(c)); !got.allowed {
				t.Errorf("listed caller %s refused", c)
			}
		}
		if callerOf(tc.args(tc.other)).allowed {
			t.Errorf("unlisted caller %s served", tc.other)
		}
	}
}

func TestServedList(t *testing.T) {
	got := servedList()
	for _, c := range ids.Callers() {
		if !strings.Contains(got, c) {
			t.Errorf("servedList() = %q lacks %s", got, c)
		}
	}
}
