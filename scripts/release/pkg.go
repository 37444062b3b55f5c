package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
	_ "github.com/goreleaser/nfpm/v2/rpm" // registers the rpm packager

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/manifests"
)

// pkgSpec is one .deb or .rpm to build.
type pkgSpec struct {
	Format  string // deb or rpm
	Arch    string // Go's name: amd64 or arm64 (nfpm maps it per format)
	Version string
	Bin     string // folder holding nidan and nidan-host for Arch
	Out     string
	MTime   time.Time
}

// hostPath is where the packages put the host, and so what their manifests
// name.
const hostPath = "/usr/bin/nidan-host"

// systemManifests returns the machine-wide manifests of every Linux browser
// that has a machine-wide folder, keyed by path: the folders come from
// host/install's table and the content from manifests.Render, the same
// sources `nidan install --system` uses.
func systemManifests() (map[string][]byte, error) {
	browsers, err := install.Browsers("linux")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, b := range browsers {
		for _, dir := range b.SystemDirs {
			data, err := manifests.Render(b.Family, hostPath)
			if err != nil {
				return nil, fmt.Errorf("manifest for %s: %w", b.Name, err)
			}
			out[filepath.ToSlash(filepath.Join(dir, manifests.HostName+".json"))] = data
		}
	}
	return out, nil
}

// buildPackage writes one package. The manifests are plain files, not
// conffiles, so removing the package removes them; nothing in a package
// touches a home folder, so the vault stays.
func buildPackage(s pkgSpec) error {
	if s.Format != "deb" && s.Format != "rpm" {
		return fmt.Errorf("package format %q (hint: deb or rpm)", s.Format)
	}
	stage, err := os.MkdirTemp("", "nidan-package-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	ms, err := systemManifests()
	if err != nil {
		return err
	}
	contents := files.Contents{
		file(filepath.Join(s.Bin, "nidan"), "/usr/bin/nidan", 0o755),
		file(filepath.Join(s.Bin, "nidan-host"), hostPath, 0o755),
	}
	paths := make([]string, 0, len(ms))
	for p := range ms {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for i, p := range paths {
		src := filepath.Join(stage, fmt.Sprintf("manifest-%d.json", i))
		if err := os.WriteFile(src, ms[p], 0o644); err != nil {
			return err
		}
		contents = append(contents, file(src, p, 0o644))
	}
	for _, doc := range []string{"README.md", "LICENSE"} {
		contents = append(contents, file(filepath.Join(s.Bin, doc), "/usr/share/doc/nidan/"+doc, 0o644))
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name:        "nidan",
		Arch:        s.Arch,
		Platform:    "linux",
		Version:     s.Version,
		Section:     "utils",
		Priority:    "optional",
		Maintainer:  "nidan <nidan@nidan.dev>",
		Description: "TOTP codes for Amazon two-step verification\nA command line and a browser native-messaging host that keep Amazon\nSeller Central two-step verification seeds in an age-encrypted vault and\nfill the codes through the nidan browser extension.",
		License:     "Apache-2.0",
		MTime:       s.MTime,
		Overridables: nfpm.Overridables{
			Contents: contents,
			Umask:    0o022,
		},
	})
	if err := nfpm.PrepareForPackager(info, s.Format); err != nil {
		return fmt.Errorf("%s package: %w", s.Format, err)
	}
	p, err := nfpm.Get(s.Format)
	if err != nil {
		return err
	}
	f, err := os.Create(s.Out)
	if err != nil {
		return err
	}
	err = p.Package(info, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(s.Out)
		return fmt.Errorf("%s package %s: %w", s.Format, s.Out, err)
	}
	return nil
}

func file(src, dst string, mode os.FileMode) *files.Content {
	return &files.Content{Source: src, Destination: dst, Type: files.TypeFile,
		FileInfo: &files.ContentFileInfo{Mode: mode, Owner: "root", Group: "root"}}
}
