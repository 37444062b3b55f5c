// Package wine tells tests whether they run under Wine, which the Windows
// lane (scripts/lanes/windows.sh) uses: Wine 8 neither enforces ACLs nor
// honours FILE_SHARE_DELETE, so the few tests of exactly those skip there,
// by name, rather than fail.
package wine

// Running reports whether this Windows program runs under Wine: its ntdll
// exports wine_get_version, which Windows' does not.
func Running() bool { return running() }
