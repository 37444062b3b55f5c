package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSlimDependencies fails when a package that only the CLI needs is
// linked into the host, where its init would run on every code request.
func TestSlimDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{
		"nidan.dev/nidan/host/cli",      // the command line
		"nidan.dev/nidan/host/install",  // browser install and doctor
		"github.com/makiuchi-d/gozxing", // QR decoding
		"golang.org/x/crypto/ssh",       // SSH recipients
		"filippo.io/age/agessh",
		"filippo.io/age/plugin",
		"google.golang.org/protobuf", // Google Authenticator migration
		"golang.org/x/term",
		"text/tabwriter",
		"github.com/spf13/cobra", // command line, help and completion
		"github.com/spf13/pflag",
		"github.com/trustelem/zxcvbn", // backup passphrase strength
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, b := range banned {
			if pkg == b || strings.HasPrefix(pkg, b+"/") {
				t.Errorf("nidan-host links %s", pkg)
			}
		}
	}
}
