#!/bin/sh
# Installs nidan from this unpacked release archive for the current user; no
# Go and no administrator rights needed. It copies nidan and nidan-host into
# ~/.local/bin (or $NIDAN_BIN), creates the vault when there is none,
# registers the native-messaging host with every browser found and runs
# `nidan doctor`. Safe to run again, also to upgrade: it keeps the vault.
#
#   ./install.sh                          every browser found
#   ./install.sh --browser chrome,firefox  (arguments go to `nidan install`)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${NIDAN_BIN:-$HOME/.local/bin}

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }

say "copying nidan and nidan-host into $bin"
mkdir -p "$bin"
for f in nidan nidan-host; do
	# Copy beside the target and rename over it: a browser may be running
	# the old host, and a rename never leaves a half-written one in place.
	cp "$here/$f" "$bin/.$f.new"
	chmod 755 "$bin/.$f.new"
	if [ "$(uname -s)" = Darwin ]; then
		# A browser's download marks the archive's files as quarantined;
		# macOS would then refuse to start the host the browser launches.
		xattr -d com.apple.quarantine "$bin/.$f.new" 2>/dev/null || true
	fi
	mv -f "$bin/.$f.new" "$bin/$f"
done
nidan=$bin/nidan

# nidan knows where this PC's vault is (its home, or a synced folder):
# --keep creates it on the first install and changes nothing after.
say "the vault"
"$nidan" init --keep

say "registering the native-messaging host"
if ! "$nidan" install "$@"; then
	echo "error: nidan install failed (see above). To install for a browser that was not found, name it:" >&2
	echo "  ./install.sh --browser chrome    (or chromium, edge, brave, vivaldi, firefox, librewolf, all)" >&2
	exit 1
fi

case ":$PATH:" in
*":$bin:"*) ;;
*)
	rc=~/.profile
	[ "$(uname -s)" = Darwin ] && rc=~/.zprofile
	warn "$bin is not on your PATH: add this line to $rc, then open a new terminal:"
	# shellcheck disable=SC2016 # $PATH is printed for the user's file, not expanded
	printf '  export PATH="%s:$PATH"\n' "$bin" >&2
	;;
esac

echo
say "checking the set-up (nidan doctor)"
"$nidan" doctor || warn "nidan doctor found problems: each ✗ above has a hint"
echo
echo "Next: add the nidan extension to your browser (README.md, \"The extension\"),"
echo "then add an account with \`nidan add NAME --marketplace jp\`."
