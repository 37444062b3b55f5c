#!/usr/bin/env bash
# Prints nidan's performance table (issue 3, "Performance"): the Go
# benchmarks of the frame reader and the host, then whole-process runs timed
# by scripts/bench/roundtrip in this one run, with ratios and PASS/FAIL
# against each target. A benchmark, not a test: nothing here fails the build.
#
#   scripts/bench.sh              300 cold runs per program
#   RUNS=1000 scripts/bench.sh
#   TODAY=REF scripts/bench.sh    the "today's host" row built from REF (default:
#                                 the commit before the vault folder of issue 16)
#
# The host binaries are built as scripts/install.sh should build them:
# CGO_ENABLED=0. zerolog imports net, and with cgo on (Go's default when a C
# compiler is present) net links the C resolver, so the binary becomes
# dynamic and every start pays the dynamic loader and libc's start-up. The
# table shows such a build beside the others (…-cgo).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }

if ! command -v oathtool >/dev/null; then
	echo "oathtool is missing (the C floor of the table): apt-get install oathtool"; exit 1
fi

step "machine"
echo "$(nproc) cores, $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "uptime at the start: $(uptime)"

step "Go benchmarks"
go test -run '^$' -bench . -benchmem ./host/frame ./host/protocol | grep -E '^(Benchmark|ok)'

step "building"
CGO_ENABLED=0 go build -trimpath -o "$work/nidan-host" ./host/nativehost
CGO_ENABLED=0 go build -trimpath -o "$work/nidan" ./host
CGO_ENABLED=1 go build -trimpath -o "$work/nidan-host-cgo" ./host/nativehost
CGO_ENABLED=0 go build -trimpath -o "$work/echohost" ./scripts/bench/echohost
CGO_ENABLED=0 go build -trimpath -o "$work/libfloor" ./scripts/bench/libfloor
CGO_ENABLED=0 go build -trimpath -o "$work/roundtrip" ./scripts/bench/roundtrip
# Today's host, for the row of issue 16 (a vault folder and three devices
# against the host as it was): built from TODAY, its home made by its own CLI
# (it cannot read the newer vault format).
today=${TODAY:-$(git log --format=%H -1 --grep='^vault: a vault folder apart from the home' 2>/dev/null || true)}
[ -z "${TODAY:-}" ] && [ -n "$today" ] && today=$today^
today_args=()
if [ -n "$today" ] && git rev-parse -q --verify "$today^{commit}" >/dev/null; then
	mkdir -p "$work/today-src"
	git archive "$today" | tar -x -C "$work/today-src"
	(cd "$work/today-src" && CGO_ENABLED=0 go build -trimpath -o "$work/nidan-host-today" ./host/nativehost &&
		CGO_ENABLED=0 go build -trimpath -o "$work/nidan-today" ./host)
	export NIDAN_HOME=$work/today-home
	"$work/nidan-today" init >/dev/null 2>&1
	printf 'otpauth://totp/Amazon:user0%%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Amazon' |
		"$work/nidan-today" add seller-00000 --marketplace jp --label user0@example.com >/dev/null 2>&1
	unset NIDAN_HOME
	today_args=(-today "$work/nidan-host-today" -today-home "$work/today-home")
	rm -rf "$work/today-src"
fi
ls -l "$work" | awk 'NR > 1 { printf "%-16s %5.1f MB\n", $9, $5 / 1048576 }'

step "whole process: $runs cold round trips per program, and sessions"
"$work/roundtrip" -host "$work/nidan-host" -echo "$work/echohost" -floor "$work/libfloor" \
	"${today_args[@]}" -also "$work/nidan" -also "$work/nidan-host-cgo" -runs "$runs" -work "$work/homes"
echo "uptime at the end: $(uptime)"
