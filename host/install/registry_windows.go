//go:build windows

package install

import (
	"fmt"

	"golang.org/x/sys/windows/registry"
)

type winRegistry struct{}

func systemRegistry() Registry { return winRegistry{} }

func hive(system bool) registry.Key {
	if system {
		return registry.LOCAL_MACHINE
	}
	return registry.CURRENT_USER
}

func (winRegistry) Value(system bool, key string) (string, error) {
	k, err := registry.OpenKey(hive(system), key, registry.QUERY_VALUE)
	if err != nil {
		// ERROR_FILE_NOT_FOUND matches fs.ErrNotExist.
		return "", fmt.Errorf("open %s\\%s: %w", hiveName(system), key, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue("")
	if err != nil {
		return "", fmt.Errorf("read %s\\%s: %w", hiveName(system), key, err)
	}
	return v, nil
}

func (winRegistry) Exists(system bool, key string) bool {
	k, err := registry.OpenKey(hive(system), key, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	k.Close()
	return true
}

func (winRegistry) SetValue(system bool, key, value string) error {
	k, _, err := registry.CreateKey(hive(system), key, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("create %s\\%s: %w", hiveName(system), key, err)
	}
	defer k.Close()
	if err := k.SetStringValue("", value); err != nil {
		return fmt.Errorf("set %s\\%s: %w", hiveName(system), key, err)
	}
	return nil
}

func (winRegistry) DeleteKey(system bool, key string) error {
	k, err := registry.OpenKey(hive(system), key, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return fmt.Errorf("open %s\\%s: %w", hiveName(system), key, err)
	}
	info, err := k.Stat()
	if err != nil {
		k.Close()
		return fmt.Errorf("stat %s\\%s: %w", hiveName(system), key, err)
	}
	names, err := k.ReadValueNames(-1)
	k.Close()
	if err != nil {
		return fmt.Errorf("read %s\\%s: %w", hiveName(system), key, err)
	}
	if info.SubKeyCount > 0 || len(names) > 1 || (len(names) == 1 && names[0] != "") {
		return fmt.Errorf("%w: %s\\%s", ErrKeyNotEmpty, hiveName(system), key)
	}
	if err := registry.DeleteKey(hive(system), key); err != nil {
		return fmt.Errorf("delete %s\\%s: %w", hiveName(system), key, err)
	}
	return nil
}
