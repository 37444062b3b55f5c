package protocol

import (
	"path/filepath"
	"slices"
	"strings"

	"nidan.dev/nidan/manifests/ids"
)

// The development callers (ids.json's first entries): the Chromium-family
// extension whose id the `key` in extension/manifest.json pins, and the
// Firefox add-on. The host serves every id in ids.json; these two name the
// ones a development build and the tests use.
var (
	ChromeOrigin = ids.Origin(ids.Chromium()[0])
	FirefoxID    = ids.Firefox()[0]
)

// Invoked reports whether args (the command line without the program name,
// os.Args[1:]) are a browser starting nidan as its native-messaging host:
//
//   - Chromium family: "chrome-extension://<id>/", then only flags; today
//     Chrome on Windows adds --parent-window=N, and flags a later Chrome may
//     add must not turn the host into the CLI, which would answer the
//     browser in plain text;
//   - Firefox: the absolute path of the host manifest (*.json), then the
//     add-on id.
//
// No CLI command line has either shape: the CLI's first argument is a
// command word (init, add, list, code, …), never a URL or an absolute path.
func Invoked(args []string) bool {
	return chromium(args) || firefox(args)
}

func chromium(args []string) bool {
	if len(args) == 0 || !strings.HasPrefix(args[0], "chrome-extension://") {
		return false
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "--") {
			return false
		}
	}
	return true
}

func firefox(args []string) bool {
	return len(args) == 2 && filepath.IsAbs(args[0]) &&
		strings.HasSuffix(strings.ToLower(args[0]), ".json") && ids.IsAddonID(args[1])
}

// caller is who started the host, as far as argv tells.
type caller struct {
	name    string // the extension origin or the add-on id, for the log
	allowed bool
}

func callerOf(args []string) caller {
	switch {
	case chromium(args):
		return caller{name: args[0], allowed: slices.Contains(ids.ChromiumOrigins(), args[0])}
	case firefox(args):
		return caller{name: args[1], allowed: slices.Contains(ids.Firefox(), args[1])}
	default:
		return caller{name: strings.Join(args, " ")}
	}
}

// servedList names every caller the host serves, for the refusal message:
// "a and b", "a, b and c".
func servedList() string {
	all := ids.Callers()
	if len(all) < 2 {
		return strings.Join(all, "")
	}
	return strings.Join(all[:len(all)-1], ", ") + " and " + all[len(all)-1]
}
