#!/usr/bin/env bash
# See nidan fill Amazon's two-step verification page, with no Amazon account
# and nothing set up: everything it makes is thrown away at the end, except
# the screenshots.
#
#   scripts/demo.sh [FOLDER]    screenshots go to FOLDER
#                               (default: ./nidan-demo-screenshots)
#
# Steps: build nidan and nidan-host; make a throwaway nidan home with demo
# accounts; install the host into a throwaway Chromium profile; open Debian's
# Chromium with the extension (in a window when there is a display, headless
# otherwise) on Amazon's 2SV page served at its real URL, in Japanese and in
# English; save screenshots of the filled page and of the popup.
#
# Needs: Go, Node.js and npm, Debian's chromium, chromium-l10n and fonts-noto-cjk (for the
# Japanese run). Installs the npm packages (npm ci) when they are missing.
# NIDAN_DEMO_PAUSE=N keeps a window on each view for N seconds (default 3).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shots=$(realpath -m "${1:-nidan-demo-screenshots}")
cd "$repo"

say() { printf 'demo: %s\n' "$*"; }
fail() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }
# quietly runs a command and shows its output only when it fails.
quietly() {
	local out
	out=$("$@" 2>&1) || fail "$* failed: $out"
}

command -v go >/dev/null || fail "Go is missing: install Go 1.26 or later from https://go.dev/dl/"
command -v node >/dev/null || fail "Node.js is missing: sudo apt-get install nodejs npm"
[ -x /usr/bin/chromium ] || fail "Debian's Chromium is missing: sudo apt-get install chromium chromium-l10n"
dpkg -s chromium-l10n >/dev/null 2>&1 ||
	fail "Chromium's translations are missing (the demo runs it in Japanese too): sudo apt-get install chromium-l10n"
if [ ! -d node_modules/playwright-core ]; then
	say "installing the npm packages the demo drives Chromium with (npm ci; no browser is downloaded)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/nidan-demo.XXXXXX")
cleanup() {
	say "removing everything the demo made ($work)"
	rm -rf "$work"
}
trap cleanup EXIT

say "building nidan and nidan-host into $work/bin"
go build -o "$work/bin/nidan" ./host
go build -o "$work/bin/nidan-host" ./host/nativehost
nidan=$work/bin/nidan

export NIDAN_HOME=$work/home
say "making a throwaway nidan home with demo accounts ($NIDAN_HOME)"
quietly "$nidan" init
# A fresh random key shaped like Amazon's (52 Base32 characters); it is never
# printed, and it dies with the home.
demo_key() { head -c 32 /dev/urandom | base32 -w0 | tr -d '='; }
add() { # NAME MARKETPLACES LABEL
	printf 'otpauth://totp/Amazon:%s?secret=%s&issuer=Amazon\n' "$3" "$(demo_key)" |
		quietly "$nidan" add "$1" --marketplace "$2"
	say "  added $1 (bound to $2)"
}
add my-shop jp shop%40example.co.jp
add us-store us shop%40example.com
add eu-seller uk,de,fr shop%40example.co.uk
# As advised, two of them also live in a phone app; the popup marks the one
# that does not.
quietly "$nidan" edit my-shop --phone-backup=true
quietly "$nidan" edit us-store --phone-backup=true

# install_host PROFILE installs the native host into a Chromium profile.
install_host() {
	local profile=$1 out
	mkdir -p "$profile"
	if out=$("$nidan" install --browser chromium --profile "$profile" 2>&1); then
		printf '%s\n' "$out" | sed 's/^/demo:   /'
		return
	fi
	case $out in
	*'unknown command "install"'*)
		# Until `nidan install` is wired into the CLI: the manifest it writes.
		mkdir -p "$profile/NativeMessagingHosts"
		cat >"$profile/NativeMessagingHosts/dev.nidan.host.json" <<-EOF
			{
			  "name": "dev.nidan.host",
			  "description": "nidan: TOTP codes for Amazon two-step verification",
			  "path": "$work/bin/nidan-host",
			  "type": "stdio",
			  "allowed_origins": ["chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"]
			}
		EOF
		say "  (nidan install is not in this build yet: wrote the host manifest directly)"
		;;
	*) fail "nidan install failed: $out" ;;
	esac
}
# One profile per language, so that each run starts as a first visit.
profiles=$work/chromium-profiles
for lang in ja en; do
	say "installing the native host into a throwaway Chromium profile ($profiles/$lang)"
	install_host "$profiles/$lang"
done

mkdir -p "$shots"
headed=0
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && headed=1
NIDAN_DEMO_NIDAN=$nidan NIDAN_DEMO_PROFILES=$profiles NIDAN_DEMO_SHOTS=$shots \
	NIDAN_DEMO_ACCOUNT=my-shop NIDAN_DEMO_HEADED=$headed \
	node scripts/demo.mjs

say "done. Screenshots: $shots"
ls -1 "$shots" | sed 's/^/demo:   /'
