#!/usr/bin/env bash
# Lints extension/ for Firefox with web-ext and packs it as an .xpi into
# dist/ (gitignored), leaving out the tests and their fixtures.
#
#   scripts/build-xpi.sh [DIR]  lint, then build DIR/nidan-VERSION.xpi
#                               (DIR defaults to dist/)
#
# web-ext comes from package.json's devDependencies (npm ci). The .xpi is
# unsigned: Firefox release loads it only as a temporary add-on
# (about:debugging) unless Mozilla signs it (web-ext sign); ESR, Developer
# Edition and Nightly install it for good once xpinstall.signatures.required
# is false in about:config.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$repo/dist}")
cd "$repo"

[ -x node_modules/.bin/web-ext ] || {
	echo "web-ext is missing: run 'npm ci' at the top of the repository" >&2
	exit 1
}

# The same list for lint and build: test code is not part of the add-on
# (its fixtures are saved Amazon pages whose inline scripts lint would flag).
ignore=(test 'test/**' e2e 'e2e/**' e2e-firefox 'e2e-firefox/**')

echo "== web-ext lint extension/"
node_modules/.bin/web-ext lint --source-dir extension --ignore-files "${ignore[@]}"

echo "== web-ext build into $out"
version=$(node -p 'JSON.parse(require("fs").readFileSync("extension/manifest.json", "utf8")).version')
node_modules/.bin/web-ext build --source-dir extension --artifacts-dir "$out" \
	--filename "nidan-${version}.xpi" --overwrite-dest --ignore-files "${ignore[@]}"
echo "built $out/nidan-${version}.xpi"
