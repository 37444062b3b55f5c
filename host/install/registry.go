package install

import (
	"errors"
	"strings"
)

// Registry is the part of the Windows registry nidan uses: the default value
// of keys under HKCU (system false) or HKLM (system true). Tests give a fake;
// on Windows the default is the real registry.
type Registry interface {
	// Value returns the key's default value; an error matching
	// fs.ErrNotExist when the key or its value is absent.
	Value(system bool, key string) (string, error)
	// Exists reports whether the key exists.
	Exists(system bool, key string) bool
	// SetValue creates the key and any missing parents and sets its default
	// value.
	SetValue(system bool, key, value string) error
	// DeleteKey deletes the key when it has no subkeys and no value but its
	// default one; otherwise it returns ErrKeyNotEmpty.
	DeleteKey(system bool, key string) error
}

// ErrKeyNotEmpty is returned by Registry.DeleteKey for a key still in use.
var ErrKeyNotEmpty = errors.New("registry key not empty")

// errNoRegistry is returned when the Windows table is used off Windows
// without a Registry.
var errNoRegistry = errors.New("the Windows registry is reachable only on Windows")

// hiveName is how the user sees the hive of a key.
func hiveName(system bool) string {
	if system {
		return "HKLM"
	}
	return "HKCU"
}

// missingKeys returns the ancestors of key (key included) that do not exist
// yet, outermost first. It never climbs to "Software" itself.
func missingKeys(reg Registry, system bool, key string) []string {
	var missing []string
	for k := key; strings.Contains(k, `\`) && !reg.Exists(system, k); k = k[:strings.LastIndex(k, `\`)] {
		missing = append([]string{k}, missing...)
	}
	return missing
}
