// Package install puts nidan's native-messaging host where each browser looks
// for it (a manifest file, plus a registry key on Windows), takes it away
// again, and diagnoses what stops a browser from starting nidan.
//
// Nothing here prints: Install and Uninstall return a Report, Doctor a
// DoctorReport, and the CLI writes them where it likes.
package install

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"nidan.dev/nidan/manifests"
	"nidan.dev/nidan/otp/atomicfile"
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

// Install writes nidan's manifest for each selected browser (and, on
// Windows, the registry keys naming it), records what it wrote in the nidan
// home, and leaves everything already right untouched.
func Install(opts Options) (rep Report, err error) {
	o, err := resolve(opts)
	if err != nil {
		return rep, err
	}
	var browsers []Browser
	if o.Profile == "" {
		browsers = o.selection()
		if len(browsers) == 0 {
			return rep, fmt.Errorf("%w: name one with --browser (known: %s)", ErrNoBrowser, strings.Join(Names(o.GOOS), ", "))
		}
	}
	targets, placeless := o.targets(browsers)
	if len(targets) > 0 {
		if err := o.checkSystemPrograms(); err != nil {
			return rep, err
		}
	}
	rec, err := loadRecord(o.recordPath())
	if err != nil {
		return rep, err
	}
	// Whatever was written before a failure stays recorded for uninstall.
	defer func() {
		if serr := rec.save(o.recordPath()); serr != nil && err == nil {
			err = serr
		}
	}()
	for _, name := range placeless {
		rep.Notes = append(rep.Notes, o.noSystemFolder(name))
	}
	rep.Notes = append(rep.Notes, o.sandboxNotes()...)
	if o.windowsSystem() && len(targets) > 0 {
		var names []string
		for _, b := range browsers {
			names = append(names, b.Name)
		}
		if err := o.copyPrograms(&rec, &rep, names); err != nil {
			return rep, err
		}
	}
	for _, t := range targets {
		content, err := manifests.Render(t.family, o.hostPath())
		if err != nil {
			return rep, err
		}
		if err := o.installFile(&rec, &rep, t, content); err != nil {
			return rep, err
		}
		if t.key != "" {
			if err := o.installKey(&rec, &rep, t); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

func (o *resolved) installFile(rec *record, rep *Report, t target, content []byte) error {
	created, err := mkdirAll(filepath.Dir(t.file))
	for _, d := range created {
		rec.add(item{Kind: kindDir, System: o.System, Path: d}, t.browser)
		rep.add(t.browser, Created, "folder", d)
	}
	if err != nil {
		return err
	}
	rec.claimAncestors(kindDir, o.System, t.file, string(filepath.Separator), t.browser)
	change := Unchanged
	if old, err := os.ReadFile(t.file); err != nil || !bytes.Equal(old, content) {
		if err := atomicfile.Write(t.file, content, 0o644); err != nil {
			return err
		}
		change = Written
	}
	rec.add(item{Kind: kindFile, System: o.System, Path: t.file, Digest: digest(content)}, t.browser)
	// Two browsers can share a file (Brave and Chrome on macOS, every
	// browser of a family on Windows): report it once.
	if !slices.ContainsFunc(rep.Actions, func(a Action) bool { return a.Path == t.file && a.Browser == t.browser }) {
		rep.add(t.browser, change, "manifest", t.file)
	}
	return nil
}

// mkdirAll is os.MkdirAll that returns the folders it made, outermost first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return created, fmt.Errorf("create folder: %w", err)
		}
		created = append(created, d)
	}
	return created, nil
}

func (o *resolved) installKey(rec *record, rep *Report, t target) error {
	if o.Registry == nil {
		return errNoRegistry
	}
	shown := hiveName(o.System) + `\` + t.key
	if cur, err := o.Registry.Value(o.System, t.key); err == nil && cur == t.file {
		rec.add(item{Kind: kindKey, System: o.System, Path: t.key, Digest: t.file}, t.browser)
		rep.add(t.browser, Unchanged, "registry key", shown)
		return nil
	}
	missing := missingKeys(o.Registry, o.System, t.key)
	if err := o.Registry.SetValue(o.System, t.key, t.file); err != nil {
		return err
	}
	for _, k := range missing {
		if k != t.key {
			rec.add(item{Kind: kindKey, System: o.System, Path: k}, t.browser)
		}
	}
	rec.claimAncestors(kindKey, o.System, t.key, `\`, t.browser)
	rec.add(item{Kind: kindKey, System: o.System, Path: t.key, Digest: t.file}, t.browser)
	rep.add(t.browser, Written, "registry key", shown)
	return nil
}

// Uninstall removes what Install wrote for the selected browsers (every
// browser when none is named) at the chosen level: recorded manifests whose
// content is still what was written, the registry keys still naming them, and
// the folders and keys install created once they are empty. Without a record
// (a lost nidan home, say) it removes only manifests byte-identical to what
// this binary would write. Anything else is left alone.
func Uninstall(opts Options) (Report, error) {
	var rep Report
	o, err := resolve(opts)
	if err != nil {
		return rep, err
	}
	scan := o.named
	if o.Profile == "" && o.named == nil {
		scan = o.table
	}
	owners := map[string]bool{}
	for _, b := range o.named {
		owners[b.Name] = true
	}
	if o.Profile != "" {
		owners = map[string]bool{profileOwner: true}
	}
	rec, err := loadRecord(o.recordPath())
	if err != nil {
		return rep, err
	}
	mine := func(it item) bool {
		if o.Profile != "" && !strings.HasPrefix(it.Path, o.Profile+string(filepath.Separator)) {
			return false // another profile's
		}
		return it.System == o.System && (len(owners) == 0 || slices.ContainsFunc(it.Owners, func(n string) bool { return owners[n] }))
	}
	// Manifests and the keys naming them go first; then what held them,
	// innermost first, so a folder is empty by the time its turn comes.
	slices.SortStableFunc(rec.Items, func(a, b item) int {
		if (a.Digest == "") != (b.Digest == "") {
			return boolCompare(a.Digest == "", b.Digest == "")
		}
		return len(b.Path) - len(a.Path)
	})
	var kept []item
	for _, it := range rec.Items {
		if !mine(it) {
			kept = append(kept, it)
			continue
		}
		was := strings.Join(it.Owners, ",")
		it.Owners = slices.DeleteFunc(it.Owners, func(n string) bool { return len(owners) == 0 || owners[n] })
		if len(it.Owners) > 0 {
			kept = append(kept, it)
			continue
		}
		if err := o.undo(&rep, it, was); err != nil {
			rec.Items = append(kept, it)
			return rep, errors.Join(err, rec.save(o.recordPath()))
		}
	}
	rec.Items = kept
	targets, _ := o.targets(scan)
	for _, t := range targets {
		if err := o.removeUnrecorded(&rec, &rep, t); err != nil {
			return rep, errors.Join(err, rec.save(o.recordPath()))
		}
	}
	if len(rep.Actions) == 0 {
		rep.Notes = append(rep.Notes, "nothing to remove: no manifest, folder or key that nidan install wrote is left")
	}
	return rep, rec.save(o.recordPath())
}

// undo takes back one recorded item whose last owners, named in the report
// as owner, are being uninstalled.
func (o *resolved) undo(rep *Report, it item, owner string) error {
	switch it.Kind {
	case kindFile, kindProgram:
		what := "manifest"
		if it.Kind == kindProgram {
			what = "program"
		}
		data, err := os.ReadFile(it.Path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", it.Path, err)
		}
		if digest(data) != it.Digest {
			rep.Actions = append(rep.Actions, Action{Browser: owner, Change: Kept, What: what, Path: it.Path, Reason: "changed since nidan wrote it"})
			return nil
		}
		if err := os.Remove(it.Path); err != nil {
			return fmt.Errorf("remove %s: %w", what, err)
		}
		rep.add(owner, Removed, what, it.Path)
	case kindDir:
		entries, err := os.ReadDir(it.Path)
		if err != nil || len(entries) > 0 {
			return nil // gone already, or holding files that are not nidan's
		}
		if err := os.Remove(it.Path); err != nil {
			return fmt.Errorf("remove folder: %w", err)
		}
		rep.add(owner, Removed, "folder", it.Path)
	case kindKey:
		if o.Registry == nil {
			return errNoRegistry
		}
		shown := hiveName(it.System) + `\` + it.Path
		if it.Digest != "" {
			cur, err := o.Registry.Value(it.System, it.Path)
			if err != nil {
				return nil
			}
			if cur != it.Digest {
				rep.Actions = append(rep.Actions, Action{Browser: owner, Change: Kept, What: "registry key", Path: shown, Reason: "changed since nidan wrote it"})
				return nil
			}
		} else if !o.Registry.Exists(it.System, it.Path) {
			return nil
		}
		err := o.Registry.DeleteKey(it.System, it.Path)
		if errors.Is(err, ErrKeyNotEmpty) {
			return nil
		}
		if err != nil {
			return err
		}
		rep.add(owner, Removed, "registry key", shown)
	}
	return nil
}

// removeUnrecorded removes a manifest (and its key) the record does not know
// of, when it is byte for byte what this binary writes there.
func (o *resolved) removeUnrecorded(rec *record, rep *Report, t target) error {
	if t.key != "" && o.Registry != nil && !rec.find(kindKey, o.System, t.key) {
		if cur, err := o.Registry.Value(o.System, t.key); err == nil && cur == t.file {
			if err := o.Registry.DeleteKey(o.System, t.key); err != nil && !errors.Is(err, ErrKeyNotEmpty) {
				return err
			}
			rep.add(t.browser, Removed, "registry key", hiveName(o.System)+`\`+t.key)
		}
	}
	if rec.find(kindFile, o.System, t.file) {
		return nil
	}
	want, err := manifests.Render(t.family, o.hostPath())
	if err != nil {
		return err
	}
	if got, err := os.ReadFile(t.file); err != nil || !bytes.Equal(got, want) {
		return nil
	}
	// On Windows a family's manifest serves several keys: keep it while any
	// of them still names it.
	if t.key != "" && o.Registry != nil && o.anyKeyNames(t.file) {
		return nil
	}
	if err := os.Remove(t.file); err != nil {
		return fmt.Errorf("remove manifest: %w", err)
	}
	rep.add(t.browser, Removed, "manifest", t.file)
	return nil
}

func (o *resolved) anyKeyNames(file string) bool {
	for _, b := range o.table {
		for _, k := range b.Keys {
			if cur, err := o.Registry.Value(o.System, k+`\`+manifests.HostName); err == nil && cur == file {
				return true
			}
		}
	}
	return false
}
