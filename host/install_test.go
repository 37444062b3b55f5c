package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstallCommands runs install, doctor and uninstall as a user would,
// in a temporary HOME: the manifests point at nidan-host beside nidan, the
// doctor passes, catches a broken manifest, and uninstall leaves nothing.
func TestInstallCommands(t *testing.T) {
	bin := nidanBinary(t)
	home := t.TempDir()
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HOME="+home, "NIDAN_HOME="+filepath.Join(home, "nidan"), "XDG_CONFIG_HOME=")
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Fatalf("nidan %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(true, "init")
	out := run(true, "install", "--browser", "chromium,firefox")
	chromium := filepath.Join(home, ".config/chromium/NativeMessagingHosts/dev.nidan.host.json")
	firefox := filepath.Join(home, ".mozilla/native-messaging-hosts/dev.nidan.host.json")
	for _, path := range []string{chromium, firefox} {
		if !strings.Contains(out, "written   manifest     "+path) {
			t.Errorf("install did not report %s:\n%s", path, out)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Name string `json:"name"`
			Path string `json:"path"`
			Type string `json:"type"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Name != "dev.nidan.host" || m.Type != "stdio" || m.Path != filepath.Join(filepath.Dir(bin), "nidan-host") {
			t.Errorf("%s = %+v", path, m)
		}
	}
	if again := run(true, "install", "--browser", "chromium,firefox"); strings.Contains(again, "written") {
		t.Errorf("a second install rewrote files:\n%s", again)
	}
	if out := run(true, "doctor", "--browser", "chromium,firefox"); !strings.Contains(out, "all required checks passed") {
		t.Errorf("doctor:\n%s", out)
	}

	os.WriteFile(chromium, []byte(`{"name":"dev.nidan.host","path":"/nowhere/nidan-host","type":"stdio","allowed_origins":["chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"]}`), 0o644)
	out = run(false, "doctor", "--browser", "chromium")
	if !strings.Contains(out, "✗ chromium: host exists") || !strings.Contains(out, "hint:") {
		t.Errorf("doctor missed a manifest pointing nowhere:\n%s", out)
	}
	run(true, "install", "--browser", "chromium")

	os.Rename(filepath.Join(filepath.Dir(bin), "nidan-host"), filepath.Join(filepath.Dir(bin), "nidan-host.away"))
	out = run(false, "install", "--browser", "chromium")
	os.Rename(filepath.Join(filepath.Dir(bin), "nidan-host.away"), filepath.Join(filepath.Dir(bin), "nidan-host"))
	if !strings.Contains(out, "nidan: error: nidan-host is missing") || !strings.Contains(out, "./host/nativehost") {
		t.Errorf("install without nidan-host:\n%s", out)
	}

	run(true, "uninstall")
	for _, path := range []string{chromium, firefox} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("uninstall left %s", path)
		}
	}
}
