package install

// What Install and Uninstall tell the caller: one Action per file, folder or
// key they touched, and notes; the CLI prints it with Report.Print.

import (
	"fmt"
	"io"
	"strings"
)

// Change says what happened to one file, folder or key.
type Change string

const (
	Written   Change = "written"   // created or replaced
	Unchanged Change = "unchanged" // already exactly as it should be
	Created   Change = "created"   // a folder made to hold a manifest
	Removed   Change = "removed"
	Kept      Change = "kept" // not removed; Action.Reason says why
)

// Action is one line of a Report.
type Action struct {
	Browser string // a --browser name, or "profile"
	Change  Change
	What    string // "manifest", "folder" or "registry key"
	Path    string // a file or folder, or HKCU\… / HKLM\… for a key
	Reason  string // why something was kept
}

// Report is what Install or Uninstall did, in order, and notes for the user.
type Report struct {
	Actions []Action
	Notes   []string
}

func (r *Report) add(browser string, c Change, what, path string) {
	r.Actions = append(r.Actions, Action{Browser: browser, Change: c, What: what, Path: path})
}

// Print writes one line per action — browser, change, what, path — then the
// notes. scripts/install.sh reads the manifest lines.
func (r Report) Print(w io.Writer) error {
	var b strings.Builder
	for _, a := range r.Actions {
		fmt.Fprintf(&b, "%-9s %-9s %-12s %s", a.Browser, a.Change, a.What, a.Path)
		if a.Reason != "" {
			fmt.Fprintf(&b, " (%s)", a.Reason)
		}
		b.WriteByte('\n')
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
