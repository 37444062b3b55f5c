package install

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"nidan.dev/nidan/manifests"
)

// snapWorkarounds: a snap browser cannot start a program outside its snap,
// except snap Firefox through xdg-desktop-portal's WebExtensions portal,
// which recent Ubuntu releases provide; so only that one is advisory.
var snapWorkarounds = map[string]struct {
	advisory bool
	hint     string
}{
	"chromium": {hint: "snap Chromium cannot start programs outside its snap, so it cannot start nidan.\n" +
		"use Google Chrome's .deb (https://www.google.com/chrome/) or a Chromium that is not a snap (Debian: sudo apt install chromium),\n" +
		"then run: nidan install"},
	"brave": {hint: "snap Brave cannot start programs outside its snap, so it cannot start nidan.\n" +
		"use Brave from its APT repository (https://brave.com/linux/), then run: nidan install --browser brave"},
	"firefox": {advisory: true, hint: "snap Firefox reaches nidan only through xdg-desktop-portal's WebExtensions portal (Ubuntu 22.04 or later):\n" +
		"keep the manifest in ~/.mozilla/native-messaging-hosts (nidan install --browser firefox) and allow the prompt Firefox shows.\n" +
		"if the extension still cannot reach nidan, use Firefox from Mozilla's APT repository (https://packages.mozilla.org/apt)\n" +
		"instead of the snap (sudo snap remove firefox), then run: nidan install --browser firefox"},
}

// sandbox is a sandboxed install of a browser found on the machine.
type sandbox struct {
	browser Browser
	kind    string // "flatpak" or "snap"
	id      string // Flatpak app id or snap name
}

// sandboxes returns the Flatpak and snap installs of the browsers (Linux).
func (o *resolved) sandboxes(browsers []Browser) []sandbox {
	if o.GOOS != "linux" {
		return nil
	}
	var found []sandbox
	for _, b := range browsers {
		if b.Flatpak != "" && slices.ContainsFunc([]string{
			"~/.var/app/" + b.Flatpak,
			"~/.local/share/flatpak/app/" + b.Flatpak,
			"/var/lib/flatpak/app/" + b.Flatpak,
		}, o.exists) {
			found = append(found, sandbox{b, "flatpak", b.Flatpak})
		}
		if b.Snap != "" && o.exists("/snap/"+b.Snap) {
			found = append(found, sandbox{b, "snap", b.Snap})
		}
	}
	return found
}

// sandboxRows are the doctor's rows for the sandboxed browsers among those
// named (every browser of the table when none is).
func (o *resolved) sandboxRows(named []Browser) []Row {
	if named == nil {
		named = o.table
	}
	var rows []Row
	for _, s := range o.sandboxes(named) {
		row := Row{Name: s.browser.Name + ": " + s.kind + " " + s.id}
		row.Detail = s.kind + " " + s.browser.Title + " is sandboxed and cannot start nidan as installed"
		if s.kind == "snap" {
			w := snapWorkarounds[s.id]
			row.Advisory, row.Hint = w.advisory, w.hint
		} else if o.flatpakWorkaroundInPlace(s.browser) {
			row.OK, row.Detail = true, "flatpak "+s.browser.Title+": nidan-host wrapper and manifest in place; "+flatpakRisk(s.browser.Flatpak)
		} else {
			row.Hint = o.flatpakWorkaround(s.browser)
			// With the same browser also installed natively, the user may
			// well use that one: say so, without failing the doctor. (Not
			// for snaps: Ubuntu's /usr/bin/chromium-browser launches the
			// snap, so a snap's native twin cannot be told apart.)
			if o.found(s.browser) {
				row.Advisory = true
				row.Detail += "; the " + s.browser.Title + " installed outside Flatpak is fine"
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// sandboxNotes point install's user to the doctor for sandboxed browsers.
func (o *resolved) sandboxNotes() []string {
	var notes []string
	for _, s := range o.sandboxes(o.table) {
		notes = append(notes, fmt.Sprintf("%s %s (%s) cannot start nidan from its sandbox: run nidan doctor for the workaround", s.kind, s.browser.Title, s.id))
	}
	return notes
}

// flatpakPaths returns the folder where the Flatpak browser looks for
// manifests and the wrapper the workaround puts in the app's folder.
func (o *resolved) flatpakPaths(b Browser) (dir, wrapper string) {
	app := filepath.Join(o.UserHome, ".var", "app", b.Flatpak)
	// The app sees ~/.config as ~/.var/app/<id>/config, and keeps dot
	// folders such as ~/.mozilla under ~/.var/app/<id>/ as they are.
	inner := strings.TrimPrefix(b.UserDirs[0], "~/")
	if rest, ok := strings.CutPrefix(inner, ".config/"); ok {
		inner = "config/" + rest
	}
	return filepath.Join(app, filepath.FromSlash(inner)), filepath.Join(app, "nidan-host")
}

// flatpakWorkaroundInPlace reports whether the workaround's manifest names
// an executable wrapper, so the doctor stops flagging a fixed browser.
func (o *resolved) flatpakWorkaroundInPlace(b Browser) bool {
	dir, wrapper := o.flatpakPaths(b)
	data, err := os.ReadFile(filepath.Join(dir, manifests.HostName+".json"))
	if err != nil {
		return false
	}
	m, err := manifests.Parse(data)
	if err != nil || m.Path != wrapper || m.CheckCallers(b.Family) != nil {
		return false
	}
	info, err := os.Stat(wrapper)
	return err == nil && info.Mode().Perm()&0o111 != 0
}

// flatpakRisk says plainly what the workaround's override costs: the right
// to talk to org.freedesktop.Flatpak is the right to spawn any command on
// the host (flatpak-spawn --host), so the browser, and any page that
// breaks out of its renderer, is no longer sandboxed from the user's files.
func flatpakRisk(app string) string {
	return "--talk-name=org.freedesktop.Flatpak lets the sandboxed browser run any program on this computer as you, not only nidan " +
		"(undo: flatpak override --user --no-talk-name=org.freedesktop.Flatpak " + app + ")"
}

// flatpakWorkaround is the exact commands that let a Flatpak browser start
// nidan: allow the sandbox to spawn host commands, put a wrapper inside the
// app's folder that runs this nidan on the host, and a manifest naming the
// wrapper where the sandboxed browser looks.
func (o *resolved) flatpakWorkaround(b Browser) string {
	dir, wrapper := o.flatpakPaths(b)
	manifest, err := manifests.Render(b.Family, wrapper)
	var compact bytes.Buffer
	if err == nil {
		err = json.Compact(&compact, manifest)
	}
	if err != nil {
		return "use " + b.Title + " installed from your distribution, not Flatpak"
	}
	return strings.Join([]string{
		"use " + b.Title + " installed from your distribution or its vendor (not Flatpak), then run: nidan install --browser " + b.Name,
		"or let the Flatpak start nidan outside its sandbox. This gives the sandbox up: " + flatpakRisk(b.Flatpak) + ". If you accept that:",
		"  flatpak override --user --talk-name=org.freedesktop.Flatpak " + b.Flatpak,
		"  mkdir -p " + shellQuote(dir),
		`  printf '#!/bin/sh\nexec flatpak-spawn --host "%s" "$@"\n' ` + shellQuote(o.Binary) + " > " + shellQuote(wrapper),
		"  chmod +x " + shellQuote(wrapper),
		"  printf '%s\\n' " + shellQuote(compact.String()) + " > " + shellQuote(filepath.Join(dir, manifests.HostName+".json")),
		"then restart " + b.Title,
	}, "\n")
}
