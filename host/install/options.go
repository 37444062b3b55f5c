package install

// Options and what they resolve to on this machine: the browser table of the
// OS, the browsers named, the defaults filled in, and the targets — the
// manifest files (and Windows keys) those browsers read at the chosen level.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"nidan.dev/nidan/manifests"
)

// Options says what to install, uninstall or check, and where the machine's
// roots are. The zero value of every field but Home means this machine as it
// is; tests point the roots at temporary folders.
type Options struct {
	// Browsers are --browser values: names from Names, comma-separated or
	// not, or "all" for every browser of the OS's table. None means every
	// browser found on the machine.
	Browsers []string
	// System selects the machine-wide folders (HKLM on Windows).
	System bool
	// Profile is a Chromium user-data-dir: the manifest goes into its own
	// NativeMessagingHosts folder, and nowhere else.
	Profile string
	// Binary is the nidan the manifests point to; default this executable.
	Binary string
	// Home is the nidan home, where the install record lives (required).
	Home string

	UserHome string                                            // default os.UserHomeDir()
	Root     string                                            // prefix of absolute paths; default none ("/")
	GOOS     string                                            // default runtime.GOOS
	Getenv   func(string) string                               // Windows folder variables; default os.Getenv
	Registry Registry                                          // default the Windows registry, on Windows
	Now      func() time.Time                                  // doctor's clock; default time.Now
	Command  func(name string, args ...string) ([]byte, error) // doctor's commands (timedatectl); default exec
	// SystemOwner is the user id that must own a --system program and every
	// folder above it (Linux, macOS); default 0, root. Tests set their own.
	SystemOwner int
}

// ErrBadOptions is wrapped by every error about a combination of options.
var ErrBadOptions = errors.New("bad install options")

type resolved struct {
	Options
	table []Browser
	named []Browser // the browsers of Options.Browsers; nil when none is named
}

func resolve(opts Options) (*resolved, error) {
	o := &resolved{Options: opts}
	if o.Home == "" {
		return nil, fmt.Errorf("%w: no nidan home", ErrBadOptions)
	}
	if o.GOOS == "" {
		o.GOOS = runtime.GOOS
	}
	table, err := Browsers(o.GOOS)
	if err != nil {
		return nil, err
	}
	o.table = table
	if o.named, err = selectBrowsers(o.GOOS, o.Browsers); err != nil {
		return nil, err
	}
	if o.UserHome == "" {
		if o.UserHome, err = os.UserHomeDir(); err != nil {
			return nil, fmt.Errorf("find home folder: %w", err)
		}
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Registry == nil {
		o.Registry = systemRegistry()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Command == nil {
		o.Command = func(name string, args ...string) ([]byte, error) {
			return exec.Command(name, args...).Output()
		}
	}
	if o.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find this executable: %w", err)
		}
		if o.Binary, err = filepath.EvalSymlinks(exe); err != nil {
			return nil, fmt.Errorf("find this executable: %w", err)
		}
	}
	if !isAbs(o.GOOS, o.Binary) {
		return nil, fmt.Errorf("%w: binary path %q is not absolute", ErrBadOptions, o.Binary)
	}
	if o.Profile != "" {
		switch {
		case o.GOOS == "windows":
			return nil, fmt.Errorf("%w: --profile: Chromium on Windows finds hosts through the registry only, not in a profile folder", ErrBadOptions)
		case o.System:
			return nil, fmt.Errorf("%w: --profile and --system do not go together", ErrBadOptions)
		}
		// Naming the Chromium browser the profile belongs to is harmless;
		// a Firefox has no such folder.
		for _, b := range o.named {
			if b.Family != manifests.Chromium {
				return nil, fmt.Errorf("%w: --profile is a Chromium user-data-dir; %s reads no host manifests from a profile", ErrBadOptions, b.Name)
			}
		}
		if o.Profile, err = filepath.Abs(o.Profile); err != nil {
			return nil, fmt.Errorf("%w: --profile: %w", ErrBadOptions, err)
		}
	}
	return o, nil
}

// isAbs reports whether p is an absolute path for a browser on goos. A path
// absolute on this machine counts too: it is where the files really are when
// the Windows table is tested elsewhere.
func isAbs(goos, p string) bool {
	if filepath.IsAbs(p) {
		return true
	}
	if goos != "windows" {
		return false
	}
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

func (o *resolved) recordPath() string { return filepath.Join(o.Home, recordName) }

// selection is the browsers named, else the browsers found.
func (o *resolved) selection() []Browser {
	if o.named != nil {
		return o.named
	}
	return o.foundBrowsers()
}

// profileOwner is the owner name of a manifest installed with --profile.
const profileOwner = "profile"

// target is one place a browser reads nidan's manifest from.
type target struct {
	browser string
	family  manifests.Family
	file    string // the manifest
	key     string // the registry key naming the manifest (Windows), else ""
}

// targets returns where the browsers read manifests at the chosen level, and
// the names of the browsers that have no such place.
func (o *resolved) targets(browsers []Browser) ([]target, []string) {
	if o.Profile != "" {
		return []target{{browser: profileOwner, family: manifests.Chromium,
			file: filepath.Join(o.Profile, "NativeMessagingHosts", manifests.HostName+".json")}}, nil
	}
	var ts []target
	var placeless []string
	for _, b := range browsers {
		if o.GOOS == "windows" {
			file := filepath.Join(o.manifestDir(), manifests.HostName+"-"+b.Family.String()+".json")
			for _, k := range b.Keys {
				ts = append(ts, target{browser: b.Name, family: b.Family, file: file, key: k + `\` + manifests.HostName})
			}
			continue
		}
		dirs := b.UserDirs
		if o.System {
			dirs = b.SystemDirs
		}
		if len(dirs) == 0 {
			placeless = append(placeless, b.Name)
		}
		for _, d := range dirs {
			if dir := o.expand(d); dir != "" {
				ts = append(ts, target{browser: b.Name, family: b.Family, file: filepath.Join(dir, manifests.HostName+".json")})
			}
		}
	}
	return ts, placeless
}

// noSystemFolder says why a browser got no machine-wide manifest.
func (o *resolved) noSystemFolder(browser string) string {
	return fmt.Sprintf("%s: no machine-wide folder is known on %s; install it per user (without --system)", browser, o.GOOS)
}
