package install

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"nidan.dev/nidan/manifests"
)

// Browser is one row of a per-OS table: where that browser looks for native
// host manifests and how to tell it is on the machine. Paths are written with
// forward slashes and start with "~/" (the user's home), "%NAME%/" (a Windows
// folder variable) or "/" (an absolute path, under Options.Root).
type Browser struct {
	Name   string // the --browser name
	Title  string // how the user knows it
	Family manifests.Family

	UserDirs   []string // folders of user-level manifests (not Windows)
	SystemDirs []string // folders of machine-wide manifests (not Windows)
	// Keys are the registry keys (under HKCU, or HKLM with --system) whose
	// subkey dev.nidan.host names the manifest (Windows only).
	Keys []string
	// Marks are paths of which any one existing means the browser is on the
	// machine: its profile folder or its program.
	Marks []string

	Flatpak string // Flatpak application id, "" when there is none
	Snap    string // snap name, "" when there is none
}

// tables holds every OS's browsers as plain data, rather than one table per
// build-tagged file, so that all three are tested on any machine; only the
// registry calls are build-tagged.
var tables = map[string][]Browser{
	"linux":   linuxBrowsers,
	"darwin":  darwinBrowsers,
	"windows": windowsBrowsers,
}

// ErrUnknownBrowser is returned for a --browser name the OS's table lacks.
var ErrUnknownBrowser = errors.New("unknown browser")

// ErrNoBrowser is returned when no browser was named and none was found.
var ErrNoBrowser = errors.New("no browser found on this machine")

// ErrUnsupportedOS is returned for an OS without a browser table.
var ErrUnsupportedOS = errors.New("unsupported operating system")

// Browsers returns the browser table of goos, in a fixed order.
func Browsers(goos string) ([]Browser, error) {
	table, ok := tables[goos]
	if !ok {
		return nil, fmt.Errorf("%w: %s (nidan knows linux, darwin and windows)", ErrUnsupportedOS, goos)
	}
	return table, nil
}

// Names returns the --browser names of goos's table, "all" last.
func Names(goos string) []string {
	var names []string
	for _, b := range tables[goos] {
		names = append(names, b.Name)
	}
	return append(names, "all")
}

// selectBrowsers turns --browser values ("chrome,firefox", "all", repeated
// flags) into table rows, in table order. No names means nil.
func selectBrowsers(goos string, values []string) ([]Browser, error) {
	table, err := Browsers(goos)
	if err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if name == "all" {
				return table, nil
			}
			if !slices.ContainsFunc(table, func(b Browser) bool { return b.Name == name }) {
				return nil, fmt.Errorf("%w %q on %s (known: %s)", ErrUnknownBrowser, name, goos, strings.Join(Names(goos), ", "))
			}
			wanted[name] = true
		}
	}
	var picked []Browser
	for _, b := range table {
		if wanted[b.Name] {
			picked = append(picked, b)
		}
	}
	return picked, nil
}

// expand turns a table path into a path on this machine; "" when it rests on
// a Windows folder variable that is not set.
func (o *resolved) expand(p string) string {
	switch {
	case strings.HasPrefix(p, "~/"):
		return filepath.Join(o.UserHome, filepath.FromSlash(p[2:]))
	case strings.HasPrefix(p, "%"):
		name, rest, _ := strings.Cut(p[1:], "%")
		dir := o.Getenv(name)
		if dir == "" {
			return ""
		}
		return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(rest, "/")))
	default:
		return filepath.Join(o.Root, filepath.FromSlash(p))
	}
}

// exists reports whether a table path exists here.
func (o *resolved) exists(p string) bool {
	full := o.expand(p)
	if full == "" {
		return false
	}
	_, err := os.Stat(full)
	return err == nil
}

// found reports whether the browser is on the machine, outside any sandbox.
func (o *resolved) found(b Browser) bool {
	return slices.ContainsFunc(b.Marks, o.exists)
}

// foundBrowsers returns the table rows of the browsers on the machine.
func (o *resolved) foundBrowsers() []Browser {
	var found []Browser
	for _, b := range o.table {
		if o.found(b) {
			found = append(found, b)
		}
	}
	return found
}
