#!/usr/bin/env bash
# The extension for the stores, called by scripts/release.sh:
#
#   scripts/release/extension.sh VERSION WORKDIR DIST PACKER
#
# writes into DIST nidan-VERSION-chrome.zip (Chrome Web Store, Edge Add-ons),
# nidan-VERSION-firefox.xpi (addons.mozilla.org),
# nidan-VERSION-extension-unpacked.zip (to load unpacked until the stores
# list nidan: it keeps the `key`, so its id is the development id the host
# serves) and nidan-VERSION-store-listing.zip (texts in English and Japanese,
# and the screenshots). The store packages leave out the tests, their
# fixtures and the `key` that pins the development id (the stores refuse it
# and give their own id: see manifests/ids/ids.json). PACKER is the scripts/release program;
# its zips are reproducible, which web-ext build's are not.
set -euo pipefail
version=$1 work=$2 dist=$3 packer=$4
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

say() { printf '==> %s\n' "$*"; }

[ -x node_modules/.bin/web-ext ] || {
	echo "web-ext is missing: run 'npm ci' at the top of the repository" >&2
	exit 1
}

# stage BROWSER: a copy of extension/ without test code, its manifest edited
# for BROWSER's store (key order kept); "unpacked" keeps the manifest as is.
stage() {
	local dir=$work/$1
	mkdir -p "$dir"
	cp -a extension/. "$dir/"
	rm -rf "$dir/test" "$dir/e2e" "$dir/e2e-firefox" "$dir/README.md"
	find "$dir" \( -name '*.test.*' -o -name '*.spec.*' \) -delete
	[ "$1" = unpacked ] && { echo "$dir"; return; }
	node - "$dir/manifest.json" "$1" <<'JS'
const fs = require('fs');
const [file, browser] = process.argv.slice(2);
const m = JSON.parse(fs.readFileSync(file, 'utf8'));
delete m.key; // the stores refuse it and assign their own id
if (browser === 'chrome') {
  delete m.browser_specific_settings; // Firefox's alone
  delete m.background.scripts; // Chrome uses the service worker
} else {
  delete m.background.service_worker; // Firefox runs background scripts
}
fs.writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
JS
	echo "$dir"
}

ext_version=$(node -p 'require("./extension/manifest.json").version')
[ "$ext_version" = "${version%%-*}" ] ||
	echo "note: extension/manifest.json is version $ext_version, the release $version: bump it before publishing to the stores (RELEASING.md)" >&2

chrome=$(stage chrome)
firefox=$(stage firefox)
unpacked=$(stage unpacked)

say "web-ext lint of the Firefox package"
node_modules/.bin/web-ext lint --source-dir "$firefox" --self-hosted=false --output text

say "packing the extension for the stores"
"$packer" flatzip "$dist/nidan-$version-chrome.zip" "$chrome"
"$packer" flatzip "$dist/nidan-$version-firefox.xpi" "$firefox"
mv "$unpacked" "$work/nidan-$version-extension"
"$packer" archive "$dist/nidan-$version-extension-unpacked.zip" "$work/nidan-$version-extension"

listing=$work/store-listing
mkdir -p "$listing/screenshots"
cp scripts/release/listing/*.md "$listing/"
cp scripts/screenshots/*.png "$listing/screenshots/"
"$packer" archive "$dist/nidan-$version-store-listing.zip" "$listing"
