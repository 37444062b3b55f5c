package protocol

import (
	"path/filepath"
	"strings"
)

// The callers nidan serves: its Chromium-family extension, whose id the
// `key` in extension/manifest.json pins, and its Firefox add-on.
const (
	ChromeOrigin = "chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"
	FirefoxID    = "nidan@nidan.dev"
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
		strings.HasSuffix(strings.ToLower(args[0]), ".json") && isAddonID(args[1])
}

// caller is who started the host, as far as argv tells.
type caller struct {
	name    string // the extension origin or the add-on id, for the log
	allowed bool
}

func callerOf(args []string) caller {
	switch {
	case chromium(args):
		return caller{name: args[0], allowed: args[0] == ChromeOrigin}
	case firefox(args):
		return caller{name: args[1], allowed: args[1] == FirefoxID}
	default:
		return caller{name: strings.Join(args, " ")}
	}
}

// isAddonID reports whether s has the shape of a Firefox add-on id: e-mail
// like (name@domain) or a {GUID}.
func isAddonID(s string) bool {
	if guid, ok := strings.CutPrefix(s, "{"); ok {
		guid, ok = strings.CutSuffix(guid, "}")
		return ok && guid != "" && strings.Trim(guid, "0123456789abcdefABCDEF-") == ""
	}
	name, domain, ok := strings.Cut(s, "@")
	return ok && domain != "" && !strings.ContainsAny(name+domain, "@{} \t\r\n")
}
