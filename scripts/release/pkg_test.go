package main

import (
	"maps"
	"slices"
	"testing"

	"nidan.dev/nidan/manifests"
)

// TestSystemManifests: the packages' manifests go where each browser reads
// machine-wide ones and name the packaged host, for every id nidan serves.
func TestSystemManifests(t *testing.T) {
	ms, err := systemManifests()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]manifests.Family{
		"/etc/chromium/native-messaging-hosts/dev.nidan.host.json":    manifests.Chromium,
		"/etc/opt/chrome/native-messaging-hosts/dev.nidan.host.json":  manifests.Chromium,
		"/etc/opt/edge/native-messaging-hosts/dev.nidan.host.json":    manifests.Chromium,
		"/usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.json": manifests.Firefox,
	}
	if got := slices.Sorted(maps.Keys(ms)); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("manifests at %q, want %q", got, slices.Sorted(maps.Keys(want)))
	}
	for path, family := range want {
		m, err := manifests.Parse(ms[path])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := m.CheckCallers(family); err != nil || m.Path != "/usr/bin/nidan-host" {
			t.Errorf("%s: path %q, callers: %v", path, m.Path, err)
		}
	}
}
