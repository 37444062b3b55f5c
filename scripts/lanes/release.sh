#!/usr/bin/env bash
# Lane "release" (issue 14): builds a release once and checks what it wrote,
# then builds it again with the same SOURCE_DATE_EPOCH and compares every
# file byte for byte.
#
# Targets: linux/amd64 (archive, .deb, .rpm, `nidan version`, install.sh
# run from the unpacked archive without Go) and windows/amd64 (the .zip, the
# .msi when scripts/msi/build.sh exists), not all six: each cross-build
# compiles the standard library anew, minutes on CI's busy cores. The
# packer's own tests (scripts/release) cover the formula and the archive
# format for every target. NIDAN_RELEASE_TARGETS overrides the list.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

version=9.8.7
targets=${NIDAN_RELEASE_TARGETS:-linux/amd64 windows/amd64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)

# wixl and msibuild build the MSI; dpkg-deb reads the .deb.
if ! declare -F apt_install >/dev/null; then
	apt_install() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || { echo "missing Debian package $p" >&2; exit 1; }; done; }
fi
apt_install wixl msitools dpkg unzip

say() { printf '\n== %s\n' "$*"; }
fail() {
	printf 'release lane: FAIL: %s\n' "$*" >&2
	exit 1
}
has() { grep -qxF -- "$2" <<<"$1" || fail "$3 lacks $2"; }
lacks() { ! grep -qE -- "$2" <<<"$1" || fail "$3 holds $(grep -E -- "$2" <<<"$1" | head -3 | tr '\n' ' ')"; }

say "the packer's unit tests (scripts/release)"
(cd scripts/release && go vet ./... && go test ./...)

say "release $version for $targets"
NIDAN_TARGETS=$targets NIDAN_DIST=$work/a bash scripts/release.sh "$version"
a=$work/a

say "the linux/amd64 archive"
name=nidan-$version-linux-amd64
got=$(tar -tzvf "$a/$name.tar.gz" | awk '{print $1, $2, $6}')
for want in "drwxr-xr-x 0/0 $name/" "-rwxr-xr-x 0/0 $name/nidan" "-rwxr-xr-x 0/0 $name/nidan-host" \
	"-rwxr-xr-x 0/0 $name/install.sh" "-rw-r--r-- 0/0 $name/README.md" "-rw-r--r-- 0/0 $name/LICENSE"; do
	has "$got" "$want" "$name.tar.gz"
done
[ "$(wc -l <<<"$got")" = 6 ] || fail "$name.tar.gz holds more than the six entries: $got"
mkdir "$work/unpacked"
tar -xzf "$a/$name.tar.gz" -C "$work/unpacked"
bin=$work/unpacked/$name
out=$("$bin/nidan" version)
[[ $out == "nidan $version "* ]] || fail "nidan version printed '$out', want 'nidan $version …'"
for b in nidan nidan-host; do
	info=$(go version -m "$bin/$b")
	grep -q 'CGO_ENABLED=0' <<<"$info" && grep -q -- '-trimpath=true' <<<"$info" || fail "$b is not built static with -trimpath: $info"
	# Read whole first: grep -q leaves early, and under pipefail the writer's
	# SIGPIPE would fail (or, negated, pass) the check.
	headers=$(readelf -l "$bin/$b")
	! grep -q 'INTERP' <<<"$headers" || fail "$b is dynamically linked"
done

say "install.sh from the unpacked archive, without Go, in a fresh home"
home=$work/home
mkdir -p "$home/.config/google-chrome"
touch "$home/.config/google-chrome/Local State" # marks Chrome as present
! env -i PATH=/usr/bin:/bin sh -c 'command -v go' >/dev/null || echo "note: go is on /usr/bin:/bin here; the install does not call it"
env -i HOME="$home" PATH=/usr/bin:/bin NIDAN_HOME="$home/nidan" sh "$bin/install.sh" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "install.sh failed"; }
for f in .local/bin/nidan .local/bin/nidan-host nidan/vault.age; do
	[ -e "$home/$f" ] || { cat "$work/install.log"; fail "install.sh did not make ~/$f"; }
done
manifest=$home/.config/google-chrome/NativeMessagingHosts/dev.nidan.host.json
grep -qF "\"path\": \"$home/.local/bin/nidan-host\"" "$manifest" || fail "Chrome's manifest does not name the installed host: $(cat "$manifest")"
grep -q 'nidan doctor' "$work/install.log" || fail "install.sh did not run nidan doctor"

say "the .deb"
deb=$a/nidan_${version}_amd64.deb
got=$(dpkg-deb -c "$deb" | awk '{print $1, $2, $6}')
for want in "-rwxr-xr-x root/root ./usr/bin/nidan" "-rwxr-xr-x root/root ./usr/bin/nidan-host" \
	"-rw-r--r-- root/root ./etc/chromium/native-messaging-hosts/dev.nidan.host.json" \
	"-rw-r--r-- root/root ./etc/opt/chrome/native-messaging-hosts/dev.nidan.host.json" \
	"-rw-r--r-- root/root ./etc/opt/edge/native-messaging-hosts/dev.nidan.host.json" \
	"-rw-r--r-- root/root ./usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.json"; do
	has "$got" "$want" "$(basename "$deb")"
done
lacks "$got" '/home/|/root/|vault' "$(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')" = "Package: nidan Version: $version Architecture: amd64 " ] ||
	fail "control fields: $(dpkg-deb -f "$deb" Package Version Architecture)"
dpkg-deb -e "$deb" "$work/deb-control"
[ ! -s "$work/deb-control/conffiles" ] || fail "the manifests are conffiles, which removal would leave behind"
ls "$work/deb-control" | grep -qE '^(pre|post)(inst|rm)$' && fail "the .deb has maintainer scripts; none may touch a home"
dpkg-deb -x "$deb" "$work/deb"
check_manifests() { # ROOT WHAT
	local f
	for f in etc/chromium etc/opt/chrome etc/opt/edge usr/lib/mozilla; do
		f=$1/$f/native-messaging-hosts/dev.nidan.host.json
		node -e '
			const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
			const ids = require(process.argv[2]);
			const want = process.argv[1].includes("mozilla")
				? ids.firefox.filter((e) => e.id).map((e) => e.id)
				: ids.chromium.filter((e) => e.id).map((e) => `chrome-extension://${e.id}/`);
			const got = m.allowed_extensions ?? m.allowed_origins;
			if (m.name !== "dev.nidan.host" || m.path !== "/usr/bin/nidan-host" || JSON.stringify(got) !== JSON.stringify(want))
				throw new Error(`${process.argv[1]}: ${JSON.stringify(m)}`);
		' "$f" "$repo/manifests/ids/ids.json" || fail "$2: manifest $f"
	done
}
check_manifests "$work/deb" "the .deb"

say "the .rpm"
rpm=$a/nidan-$version-1.x86_64.rpm
go run -C scripts/release . rpmx "$rpm" "$work/rpm"
check_manifests "$work/rpm" "the .rpm"
for f in usr/bin/nidan usr/bin/nidan-host; do
	cmp -s "$work/rpm/$f" "$work/deb/$f" || fail "the .rpm's $f differs from the .deb's"
done

say "the windows/amd64 archive"
name=nidan-$version-windows-amd64
got=$(unzip -Z1 "$a/$name.zip")
for want in "$name/" "$name/nidan.exe" "$name/nidan-host.exe" "$name/install.ps1" "$name/README.md" "$name/LICENSE"; do
	has "$got" "$want" "$name.zip"
done
if [ -f scripts/msi/build.sh ] && command -v wixl >/dev/null; then
	msi=$a/nidan-$version-windows-amd64.msi
	[ -s "$msi" ] || fail "no MSI though scripts/msi/build.sh exists"
	files=$(msiinfo export "$msi" File) # whole, as readelf's above
	grep -q 'nidan-host.exe' <<<"$files" || fail "the MSI lacks nidan-host.exe"
else
	echo "no MSI check: scripts/msi/build.sh or wixl is missing"
fi

say "the extension for the stores"
for pkg in chrome.zip firefox.xpi; do
	f=$a/nidan-$version-$pkg
	got=$(unzip -Z1 "$f")
	has "$got" manifest.json "$pkg"
	has "$got" background.js "$pkg"
	lacks "$got" '(^|/)(test|e2e|e2e-firefox|fixtures)/|\.test\.|README' "$pkg"
	unzip -p "$f" manifest.json | node -e '
		const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
		if ("key" in m) throw new Error("manifest has a key");
		const gecko = m.browser_specific_settings?.gecko?.id;
		if (process.argv[1] === "firefox.xpi" ? gecko !== "nidan@nidan.dev" : gecko !== undefined)
			throw new Error(`gecko id ${gecko}`);
	' "$pkg" || fail "$pkg's manifest"
done
f=$a/nidan-$version-extension-unpacked.zip
got=$(unzip -Z1 "$f")
has "$got" "nidan-$version-extension/manifest.json" "the unpacked extension"
lacks "$got" '(^|/)(test|e2e|e2e-firefox|fixtures)/|\.test\.' "the unpacked extension"
unzip -p "$f" "nidan-$version-extension/manifest.json" | cmp - extension/manifest.json ||
	fail "the unpacked extension's manifest is not extension/manifest.json (it must keep the key)"
got=$(unzip -Z1 "$a/nidan-$version-store-listing.zip")
for want in store-listing/en.md store-listing/ja.md store-listing/screenshots/popup-ja.png; do
	has "$got" "$want" "the store listing"
done

say "SHA256SUMS"
(cd "$a" && sha256sum --quiet -c SHA256SUMS) || fail "a checksum does not match"
listed=$(awk '{print $2}' "$a/SHA256SUMS")
[ "$listed" = "$(cd "$a" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort)" ] ||
	fail "SHA256SUMS does not list exactly the files of dist"

say "reproducibility: the same release again, compared byte for byte"
NIDAN_TARGETS=$targets NIDAN_DIST=$work/b bash scripts/release.sh "$version" >"$work/b.log" 2>&1 ||
	{ cat "$work/b.log"; fail "the second build failed"; }
diff <(cd "$a" && find . -type f | sort) <(cd "$work/b" && find . -type f | sort) || fail "the two builds wrote different files"
differ=$(cd "$a" && find . -type f -printf '%P\n' | sort | while read -r f; do cmp -s "$a/$f" "$work/b/$f" || echo "$f"; done)
[ -z "$differ" ] || fail "these differ between two builds with SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH: $(echo $differ)"
echo "release lane: every check passed ($(find "$a" -type f | wc -l) files, reproducible)"
