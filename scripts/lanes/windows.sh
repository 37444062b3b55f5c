#!/usr/bin/env bash
# The Windows lane: nidan's Windows builds run under Wine in a throwaway
# prefix. Go 1.24+ binaries need bcryptprimitives.dll (ProcessPrng), which
# Wine 8 lacks: scripts/lanes/windows/bcryptprimitives.c, a test-only shim
# that never ships, goes into the prefix's system32.
#
#   bash scripts/test.sh windows     (or: bash scripts/lanes/windows.sh)
#
# Wine does not enforce ACLs, and does not honour FILE_SHARE_DELETE: what the
# lane cannot show, unit tests of the DACL builder and of the retries show.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
if ! declare -F apt_install >/dev/null; then
	apt_install() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || { echo "missing Debian package $p" >&2; exit 1; }; done; }
fi
apt_install wine wine64 gcc-mingw-w64-x86-64 oathtool

work=$(mktemp -d /tmp/nidan-wine-XXXXXX)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
cleanup() {
	timeout 30 wineserver -k 2>/dev/null || true # this prefix's server only
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n-- %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# w CMD...: a Windows program under Wine, bounded so that a hang fails the lane.
w() { timeout 120 wine "$@"; }

say "a fresh Wine prefix"
timeout 300 wineboot -i >/dev/null 2>&1 || fail "wineboot -i did not finish"
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	scripts/lanes/windows/bcryptprimitives.c -ladvapi32

say "building the Windows binaries"
bin=$work/bin
export GOOS=windows GOARCH=amd64 CGO_ENABLED=0
go build -o "$bin/nidan.exe" ./host
go build -o "$bin/nidan-host.exe" ./host/nativehost
unset GOOS GOARCH

say "nidan version"
w "$bin/nidan.exe" version | tee "$work/version" | grep -q '^nidan ' || fail "nidan version: $(cat "$work/version")"

say "init, add, code against oathtool (the default home, %AppData%\\nidan)"
seed=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
w "$bin/nidan.exe" init
echo "$seed" | w "$bin/nidan.exe" add shop --marketplace jp >/dev/null
w "$bin/nidan.exe" list | grep -q shop || fail "list does not show the account"
before=$(oathtool --totp -b "$seed")
code=$(w "$bin/nidan.exe" code shop | tr -d '\r')
after=$(oathtool --totp -b "$seed")
[ "$code" = "$before" ] || [ "$code" = "$after" ] || fail "nidan code $code, oathtool $before/$after"
[ -f "$WINEPREFIX/drive_c/users/${USER:-$(id -un)}/AppData/Roaming/nidan/vault.age" ] || fail "the vault is not in %AppData%\\nidan"
echo "codes agree: $code"

say "the Windows lane passed"
