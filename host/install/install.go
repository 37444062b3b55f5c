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
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"nidan.dev/nidan/manifests"
	"nidan.dev/nidan/otp/atomicfile"
)

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
