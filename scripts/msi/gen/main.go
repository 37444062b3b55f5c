// Command gen prepares the inputs of nidan's MSI (scripts/msi/build.sh):
// the native-messaging manifests, rendered by the manifests package as
// `nidan install` renders them, and nidan.wxs with the registry keys of
// host/install's Windows browser table. One source of truth: the installer
// registers exactly what `nidan install` would.
//
//	go run ./scripts/msi/gen -version 1.2.3 -template scripts/msi/nidan.wxs -out DIR
//
// The manifests' path is "nidan-host.exe", relative: Chromium and Firefox on
// Windows resolve it against the manifest's own folder, the install folder,
// which only Windows Installer knows at install time.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/manifests"
)

type manifest struct{ ID, Name string }

type key struct {
	Key, Manifest string
	KeyPath       bool
}

func main() {
	version := flag.String("version", "", "the release version (1.2.3; a leading v and a -suffix are dropped)")
	tmpl := flag.String("template", "scripts/msi/nidan.wxs", "the .wxs template")
	out := flag.String("out", "", "the folder to write nidan.wxs and the manifests into")
	flag.Parse()
	if err := run(*version, *tmpl, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// msiVersion is the version as Windows Installer takes it: three numbers.
var msiVersion = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)`)

func run(version, tmplPath, out string) error {
	m := msiVersion.FindStringSubmatch(version)
	if m == nil || out == "" {
		return fmt.Errorf("usage: gen -version 1.2.3 -template FILE -out DIR (got version %q)", version)
	}
	browsers, err := install.Browsers("windows")
	if err != nil {
		return err
	}
	var files []manifest
	var keys []key
	for _, b := range browsers {
		name := manifests.HostName + "-" + b.Family.String() + ".json"
		if !slices.ContainsFunc(files, func(f manifest) bool { return f.Name == name }) {
			data, err := manifests.Render(b.Family, "nidan-host.exe")
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
				return err
			}
			files = append(files, manifest{ID: "manifest_" + b.Family.String(), Name: name})
		}
		for _, k := range b.Keys {
			k += `\` + manifests.HostName
			if !slices.ContainsFunc(keys, func(x key) bool { return x.Key == k }) {
				keys = append(keys, key{Key: k, Manifest: name, KeyPath: len(keys) == 0})
			}
		}
	}
	t, err := template.ParseFiles(tmplPath)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, "nidan.wxs"))
	if err != nil {
		return err
	}
	defer f.Close()
	return t.Execute(f, map[string]any{"Version": m[1], "ProductCode": productCode(version), "Manifests": files, "Keys": keys})
}

// productCode derives the MSI's ProductCode from the release version
// instead of wixl's random one (Id="*"), so that two builds of one release
// are byte-identical: a name-based UUID (version 5 layout) of the SHA-256 of
// "nidan ProductCode VERSION". Each release still gets its own code, which a
// major upgrade needs.
func productCode(version string) string {
	sum := sha256.Sum256([]byte("nidan ProductCode " + version))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(sum[:16]))
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
