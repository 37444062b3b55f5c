package install

// Uninstall: taking back what the record says Install wrote, and the
// manifests this binary would write that no record knows of.

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
)

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
