#!/usr/bin/env bash
# Runs every nidan test: Go formatting, vet, the other platforms' builds, the
# Go tests with the race detector, the extension's unit tests and the
# end-to-end tests in real Chromium. Installs what it needs when missing
# (Debian packages: oathtool, chromium; npm packages from package-lock.json).
#
#   scripts/test.sh           everything
#   scripts/test.sh go        only the Go side
#   scripts/test.sh js        only the extension (unit + end-to-end)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

step() { printf '\n== %s\n' "$*"; }

apt_install() {
	local missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	step "installing ${missing[*]} (Debian packages)"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

go_tests() {
	command -v go >/dev/null || { echo "Go is missing: install it from https://go.dev/dl/ (1.26 or later)"; exit 1; }
	apt_install oathtool

	step "gofmt"
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change:"; echo "$unformatted"; exit 1
	fi

	step "go vet"
	go vet ./...

	step "builds for the other platforms"
	for os in windows darwin; do
		GOOS=$os GOARCH=amd64 go build -o /dev/null ./...
		GOOS=$os GOARCH=amd64 go vet ./...
	done

	step "go test -race"
	go test -race -count=1 ./...
}

js_tests() {
	command -v node >/dev/null || { echo "node is missing: apt-get install nodejs npm"; exit 1; }
	apt_install chromium chromium-l10n firefox-esr firefox-esr-l10n-ja openssl
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		step "npm ci"
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	fi

	step "extension unit tests (node --test)"
	node --test extension/test/

	step "building bin/nidan and bin/nidan-host for the end-to-end tests"
	CGO_ENABLED=0 go build -o bin/nidan ./host
	CGO_ENABLED=0 go build -o bin/nidan-host ./host/nativehost

	step "end-to-end tests in Debian's Chromium"
	node --test --test-concurrency=1 extension/e2e/

	step "end-to-end tests in Debian's Firefox ESR (and web-ext lint of the .xpi)"
	node --test --test-concurrency=1 extension/e2e-firefox/
}

case $what in
	go) go_tests ;;
	js) js_tests ;;
	all) go_tests; js_tests ;;
	*) echo "usage: scripts/test.sh [all|go|js]"; exit 2 ;;
esac
step "all tests passed"
