#!/usr/bin/env bash
# Installs nidan for the current user on Linux or macOS, from this checkout:
# builds the binary into $PREFIX/bin (default ~/.local/bin), creates the vault
# when there is none, registers the native-messaging host with every browser
# found, and says how to load the extension into each of them. Safe to run
# again: it rebuilds, keeps the vault, and rewrites nothing that is right.
#
#   scripts/install.sh                        every browser found
#   scripts/install.sh --browser chrome,firefox
#   PREFIX=/opt/nidan scripts/install.sh
#
# Arguments are passed to `nidan install` (see `nidan help`).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$HOME/.local}
bin=$prefix/bin
nidan=$bin/nidan

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }

command -v go >/dev/null || {
	echo "error: Go is missing: install Go 1.26 or later from https://go.dev/dl/, then run this again" >&2
	exit 1
}

say "building nidan and nidan-host (the slim host browsers start) into $bin"
mkdir -p "$bin"
# Build beside the target and rename over it: a browser may be running the
# old binary, and a rename never leaves a half-written one in its place.
# CGO_ENABLED=0: zerolog imports net, which with cgo links the C resolver;
# a dynamic binary pays the loader and libc start-up on every code request.
(cd "$repo" && export CGO_ENABLED=0 && go build -trimpath -o "$nidan.new" ./host && go build -trimpath -o "$bin/nidan-host.new" ./host/nativehost)
mv -f "$bin/nidan-host.new" "$bin/nidan-host"
mv -f "$nidan.new" "$nidan"

# nidan knows where this PC's vault is (its home, or a synced folder):
# --keep creates it on the first install and changes nothing after.
say "the vault"
"$nidan" init --keep

say "registering the native-messaging host"
if ! report=$("$nidan" install "$@"); then
	echo "error: nidan install failed (see above). To install for a browser that was not found, name it:" >&2
	echo "  scripts/install.sh --browser chrome    (or chromium, edge, brave, vivaldi, firefox, librewolf, all)" >&2
	exit 1
fi
printf '%s\n' "$report"

# The browsers a manifest is now in place for: lines "BROWSER CHANGE manifest PATH".
browsers=$(printf '%s\n' "$report" | awk '$3 == "manifest" && ($2 == "written" || $2 == "unchanged") && !seen[$1]++ { print $1 }')

xpi=
for f in "$repo"/dist/*.xpi; do
	[ -e "$f" ] && xpi=$f
done
echo
echo "Load the extension (folder $repo/extension) in each browser:"
for b in $browsers; do
	case $b in
	chrome | chromium | profile) page=chrome://extensions ;;
	edge) page=edge://extensions ;;
	brave) page=brave://extensions ;;
	vivaldi) page=vivaldi://extensions ;;
	firefox | librewolf)
		echo "  $b: open about:debugging#/runtime/this-firefox → Load Temporary Add-on… → choose $repo/extension/manifest.json"
		echo "      (a temporary add-on lasts until $b restarts;"
		if [ -n "$xpi" ]; then
			echo "       to keep it, about:addons → ⚙ → Install Add-on From File… → $xpi)"
		else
			echo "       to keep it, install the packed .xpi: see the README)"
		fi
		continue
		;;
	*) continue ;;
	esac
	echo "  $b: open $page → turn on Developer mode → Load unpacked → choose $repo/extension"
done
[ -n "$browsers" ] || echo "  (no browser got the host: see the notes above)"

case ":$PATH:" in
*":$bin:"*) ;;
*)
	warn "$bin is not on your PATH: add this line to ~/.profile (or your shell's rc file), then open a new terminal:"
	# shellcheck disable=SC2016 # $PATH is printed for the user's file, not expanded
	printf '  export PATH="%s:$PATH"\n' "$bin" >&2
	;;
esac

echo
say "checking the set-up (nidan doctor)"
"$nidan" doctor || warn "nidan doctor found problems: each ✗ above has a hint"
echo
echo "Next: add an account with \`nidan add NAME --marketplace jp\` (paste the key Amazon shows under \"Can't scan the barcode?\")."
