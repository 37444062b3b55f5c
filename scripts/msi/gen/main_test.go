package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/manifests"
)

// TestRun: the MSI registers every key of host/install's Windows table,
// each pointing at a manifest it installs, whose host is the installed
// nidan-host.exe beside it; the version is one Windows Installer takes.
func TestRun(t *testing.T) {
	out := t.TempDir()
	if err := run("v1.2.3-rc1", "../nidan.wxs", out); err != nil {
		t.Fatal(err)
	}
	wxs, err := os.ReadFile(filepath.Join(out, "nidan.wxs"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wxs), `Version="1.2.3"`) {
		t.Error("the version is not 1.2.3")
	}
	browsers, err := install.Browsers("windows")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range browsers {
		name := manifests.HostName + "-" + b.Family.String() + ".json"
		for _, k := range b.Keys {
			want := `Key="` + k + `\` + manifests.HostName + `" Type="string" Value="[INSTALLDIR]` + name + `"`
			if !strings.Contains(string(wxs), want) {
				t.Errorf("%s: no %s", b.Name, want)
			}
		}
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := manifests.Parse(data)
		if err != nil || m.Path != "nidan-host.exe" {
			t.Errorf("%s: path %q, %v", name, m.Path, err)
		}
		if !strings.Contains(string(wxs), `Name="`+name+`"`) {
			t.Errorf("the MSI does not install %s", name)
		}
	}
	if err := run("dev", "../nidan.wxs", out); err == nil {
		t.Error("a version Windows Installer cannot take was accepted")
	}
}

// TestProductCode: one code per version, the same on every build (the
// release is reproducible), GUID-shaped as wixl takes it.
func TestProductCode(t *testing.T) {
	a, b := productCode("1.2.3"), productCode("1.2.4")
	if a != productCode("1.2.3") || a == b {
		t.Errorf("productCode: %s %s", a, b)
	}
	if !regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`).MatchString(a) {
		t.Errorf("productCode(1.2.3) = %s, not a GUID", a)
	}
}
