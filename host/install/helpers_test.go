package install

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// machine is a temporary stand-in for a computer: a root for absolute paths,
// a user's home inside it, a nidan binary and a fake registry. The binary is
// named as on Windows, where browsers start only .exe files, and executable
// as elsewhere, so one machine serves every OS's table.
type machine struct {
	t        *testing.T
	root     string
	home     string
	binary   string
	registry *fakeRegistry
	ntp      string // what timedatectl answers; "" means it is not installed
}

func newMachine(t *testing.T) *machine {
	t.Helper()
	root := t.TempDir()
	m := &machine{t: t, root: root, home: filepath.Join(root, "home", "u"), binary: filepath.Join(root, "opt", "nidan", "bin", "nidan.exe"), registry: newFakeRegistry()}
	m.write(m.binary, "#!/bin/sh\n", 0o755)
	// The nidan home exists before install: `nidan init` makes it.
	if err := os.MkdirAll(filepath.Join(m.home, ".config", "nidan"), 0o700); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *machine) options(goos string, browsers ...string) Options {
	return Options{
		Browsers: browsers,
		Binary:   m.binary,
		Home:     filepath.Join(m.home, ".config", "nidan"),
		UserHome: m.home,
		Root:     m.root,
		GOOS:     goos,
		Getenv: func(name string) string {
			return map[string]string{
				"LOCALAPPDATA": filepath.Join(m.home, "AppData", "Local"),
				"APPDATA":      filepath.Join(m.home, "AppData", "Roaming"),
				"ProgramFiles": filepath.Join(m.root, "Program Files"),
			}[name]
		},
		Registry:    m.registry,
		SystemOwner: os.Getuid(), // the test's files stand in for root's
		Now:         func() time.Time { return time.Date(2026, 11, 21, 9, 30, 0, 0, time.FixedZone("JST", 9*3600)) },
		Command: func(name string, args ...string) ([]byte, error) {
			if m.ntp == "" {
				return nil, &exec.Error{Name: name, Err: exec.ErrNotFound}
			}
			return []byte(m.ntp + "\n"), nil
		},
	}
}

// path turns "~/x" and "/x" into paths on the machine.
func (m *machine) path(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(m.home, rest)
	}
	return filepath.Join(m.root, p)
}

func (m *machine) write(path, content string, perm fs.FileMode) {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		m.t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) mkdir(p string) {
	m.t.Helper()
	if err := os.MkdirAll(m.path(p), 0o755); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) read(path string) string {
	m.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		m.t.Fatal(err)
	}
	return string(data)
}

// snapshot is every file, folder and registry key of the machine with its
// mode and content, and with withTimes its modification time.
func (m *machine) snapshot(withTimes bool) map[string]string {
	m.t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(m.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		entry := info.Mode().String()
		if withTimes {
			entry += fmt.Sprint(" ", info.ModTime().UnixNano())
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			entry += " " + string(data)
		}
		snap[path] = entry
		return nil
	})
	if err != nil {
		m.t.Fatal(err)
	}
	for k, values := range m.registry.keys {
		snap["registry:"+k] = fmt.Sprint(values)
	}
	return snap
}

func diffSnapshots(before, after map[string]string) string {
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if v, ok := after[k]; !ok {
			diff = append(diff, "- "+k)
		} else if v != before[k] {
			diff = append(diff, "~ "+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[k]; !ok {
			diff = append(diff, "+ "+k)
		}
	}
	return strings.Join(diff, "\n")
}

// fakeRegistry models what nidan uses of the Windows registry: keys are
// case-insensitive, creating one creates its parents, a key holds values.
type fakeRegistry struct {
	keys map[string]map[string]string
}

func newFakeRegistry() *fakeRegistry {
	r := &fakeRegistry{keys: map[string]map[string]string{}}
	for _, system := range []bool{false, true} {
		r.keys[r.id(system, "Software")] = map[string]string{}
		r.keys[r.id(system, `Software\Microsoft`)] = map[string]string{}
	}
	return r
}

func (r *fakeRegistry) id(system bool, key string) string {
	return hiveName(system) + `\` + strings.ToLower(key)
}

func (r *fakeRegistry) Value(system bool, key string) (string, error) {
	v, ok := r.keys[r.id(system, key)][""]
	if !ok {
		return "", fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	return v, nil
}

func (r *fakeRegistry) Exists(system bool, key string) bool {
	_, ok := r.keys[r.id(system, key)]
	return ok
}

func (r *fakeRegistry) SetValue(system bool, key, value string) error {
	parts := strings.Split(key, `\`)
	for i := range parts {
		id := r.id(system, strings.Join(parts[:i+1], `\`))
		if r.keys[id] == nil {
			r.keys[id] = map[string]string{}
		}
	}
	r.keys[r.id(system, key)][""] = value
	return nil
}

func (r *fakeRegistry) DeleteKey(system bool, key string) error {
	id := r.id(system, key)
	values, ok := r.keys[id]
	if !ok {
		return fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	for k := range r.keys {
		if strings.HasPrefix(k, id+`\`) {
			return ErrKeyNotEmpty
		}
	}
	for name := range values {
		if name != "" {
			return ErrKeyNotEmpty
		}
	}
	delete(r.keys, id)
	return nil
}

func mustInstall(t *testing.T, opts Options) Report {
	t.Helper()
	rep, err := Install(opts)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	return rep
}

func mustUninstall(t *testing.T, opts Options) Report {
	t.Helper()
	rep, err := Uninstall(opts)
	if err != nil {
		t.Fatalf("Uninstall: %v", err)
	}
	return rep
}

func isNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s still exists (%v)", path, err)
	}
}
