#!/usr/bin/env bash
# Builds a release of nidan into dist/: for people without Go or a clone.
#
#   scripts/release.sh VERSION        e.g. scripts/release.sh 0.2.0
#
# Writes, for VERSION (semver, without a leading v):
#   nidan-VERSION-{linux,darwin}-{amd64,arm64}.tar.gz, nidan-VERSION-windows-{amd64,arm64}.zip
#       nidan and nidan-host (static, -trimpath, `nidan version` prints VERSION),
#       README.md, LICENSE and install.sh / install.ps1 (no Go needed);
#   nidan_VERSION_{amd64,arm64}.deb, nidan-VERSION-1.{x86_64,aarch64}.rpm (scripts/release, nfpm);
#   nidan-VERSION-windows-amd64.msi when scripts/msi/build.sh exists and wixl is installed;
#   nidan.rb, the Homebrew formula with the archives' checksums;
#   nidan-VERSION-chrome.zip (Chrome Web Store, Edge Add-ons) and nidan-VERSION-firefox.xpi
#       (addons.mozilla.org): the extension without tests and without `key`;
#   nidan-VERSION-store-listing.zip: the stores' texts (en, ja) and screenshots;
#   SHA256SUMS over every file above.
# Reproducible: every file's time is SOURCE_DATE_EPOCH (default: the commit's
# time), so two runs at one commit give byte-identical files.
#
# Environment:
#   NIDAN_DIST          output folder (default dist/ at the top; emptied first)
#   NIDAN_TARGETS       GOOS/GOARCH list (default the six above); the .deb/.rpm
#                       need linux/amd64 or linux/arm64, the formula all four
#                       linux/darwin archives
#   NIDAN_DOWNLOAD_URL  where the release's files will be served (for the formula)
#   NIDAN_HOMEPAGE      the project's page (for the formula)
# RELEASING.md says how to publish what this writes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

version=${1:-}
version=${version#v}
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
	echo "usage: scripts/release.sh VERSION (semver such as 0.2.0 or 0.2.0-rc.1; got '${1:-}')" >&2
	exit 2
fi
dist=$(realpath -m "${NIDAN_DIST:-$repo/dist}")
targets=${NIDAN_TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export SOURCE_DATE_EPOCH
download=${NIDAN_DOWNLOAD_URL:-https://nidan.dev/download/$version}
homepage=${NIDAN_HOMEPAGE:-https://nidan.dev}

say() { printf '==> %s\n' "$*"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$dist"
mkdir -p "$dist"

say "building the packer (scripts/release, its own module)"
(cd scripts/release && go build -trimpath -o "$work/release" .)
release=$work/release

# -buildid= and -trimpath keep paths and build ids out of the binaries;
# -buildvcs=false keeps out the checkout's state (a dirty tree would differ).
# CGO_ENABLED=0: static binaries that start without the loader.
ldflags="-s -w -buildid= -X nidan.dev/nidan/host/protocol.Version=$version"
build() { # GOOS GOARCH OUTDIR
	local exe=
	[ "$1" = windows ] && exe=.exe
	CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$3/nidan$exe" ./host
	CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$3/nidan-host$exe" ./host/nativehost
}

for t in $targets; do
	goos=${t%/*} goarch=${t#*/}
	name=nidan-$version-$goos-$goarch
	stage=$work/$name
	say "building $goos/$goarch"
	mkdir -p "$stage"
	build "$goos" "$goarch" "$stage"
	cp README.md LICENSE "$stage/"
	if [ "$goos" = windows ]; then
		cp scripts/release/files/install.ps1 "$stage/install.ps1"
		"$release" archive "$dist/$name.zip" "$stage"
	else
		cp scripts/release/files/install.sh "$stage/install.sh"
		chmod 755 "$stage/install.sh"
		"$release" archive "$dist/$name.tar.gz" "$stage"
	fi
done

for arch in amd64 arm64; do
	stage=$work/nidan-$version-linux-$arch
	[ -d "$stage" ] || continue
	rpmarch=x86_64
	[ $arch = arm64 ] && rpmarch=aarch64
	say "packaging linux/$arch as .deb and .rpm"
	"$release" package deb "$arch" "$version" "$stage" "$dist/nidan_${version}_$arch.deb"
	"$release" package rpm "$arch" "$version" "$stage" "$dist/nidan-$version-1.$rpmarch.rpm"
done

stage=$work/nidan-$version-windows-amd64
if [ -d "$stage" ] && [ -f scripts/msi/build.sh ] && command -v wixl >/dev/null; then
	say "building the MSI (scripts/msi/build.sh)"
	msi=$dist/nidan-$version-windows-amd64.msi
	# TZ: the cabinet inside records file times in local time.
	TZ=UTC bash scripts/msi/build.sh "$version" "$stage/nidan.exe" "$stage/nidan-host.exe" "$msi"
	# wixl gives each build a random package code and the build's time
	# (the product code comes from the version: scripts/msi/gen). Derive the
	# package code from what the package holds and set the times to
	# SOURCE_DATE_EPOCH, so the MSI is reproducible like the rest.
	package=$(cat "$stage/nidan.exe" "$stage/nidan-host.exe" scripts/msi/nidan.wxs <(echo "$version") | sha256sum |
		sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*/{\1-\2-5\3-8\4-\5}/' | tr a-f A-F)
	msibuild "$msi" -s "nidan $version: TOTP codes for Amazon two-step verification" nidan "x64;1033" "$package"
	"$release" msitime "$msi"
else
	say "no MSI: it needs windows/amd64 among the targets, scripts/msi/build.sh and wixl"
fi

if ls "$dist"/nidan-"$version"-{darwin,linux}-{amd64,arm64}.tar.gz >/dev/null 2>&1; then
	say "writing the Homebrew formula"
	"$release" brew "$version" "$download" "$homepage" "$dist" "$dist/nidan.rb"
else
	say "no Homebrew formula: it needs the four linux/darwin archives"
fi

bash scripts/release/extension.sh "$version" "$work/extension" "$dist" "$release"

say "writing SHA256SUMS"
(cd "$dist" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum >SHA256SUMS)
say "done: $dist"
ls -l "$dist"
