#!/usr/bin/env bash
# Prints nidan's performance table (issue 3, "Performance"): the Go
# benchmarks of the frame reader and the host, then whole-process runs timed
# by scripts/bench/roundtrip in this one run, with ratios and PASS/FAIL
# against each target. A benchmark, not a test: nothing here fails the build.
#
#   scripts/bench.sh              300 cold runs per program
#   RUNS=1000 scripts/bench.sh
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

step "Go benchmarks"
go test -run '^$' -bench . -benchmem ./host/frame ./host/protocol | grep -E '^(Benchmark|ok)'

step "building"
CGO_ENABLED=0 go build -trimpath -o "$work/nidan-host" ./host/nativehost
CGO_ENABLED=0 go build -trimpath -o "$work/nidan" ./host
CGO_ENABLED=1 go build -trimpath -o "$work/nidan-host-cgo" ./host/nativehost
CGO_ENABLED=0 go build -trimpath -o "$work/echohost" ./scripts/bench/echohost
CGO_ENABLED=0 go build -trimpath -o "$work/libfloor" ./scripts/bench/libfloor
CGO_ENABLED=0 go build -trimpath -o "$work/roundtrip" ./scripts/bench/roundtrip
ls -l "$work" | awk 'NR > 1 { printf "%-16s %5.1f MB\n", $9, $5 / 1048576 }'

step "whole process: $runs cold round trips per program, and sessions"
"$work/roundtrip" -host "$work/nidan-host" -echo "$work/echohost" -floor "$work/libfloor" \
	-also "$work/nidan" -also "$work/nidan-host-cgo" -runs "$runs" -work "$work/homes"
