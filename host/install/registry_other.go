//go:build !windows

package install

// systemRegistry is nil off Windows: the Windows table then needs
// Options.Registry (tests give a fake).
func systemRegistry() Registry { return nil }
