#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for a given time each (Go
# fuzzes one target per run). Their seed corpora already run in the normal
# suite (scripts/test.sh); this explores beyond them. A failing input is
# saved by Go under the package's testdata/fuzz/<Target>/, where the normal
# suite then replays it: commit it with the fix.
#
#   scripts/fuzz.sh            30s per target
#   scripts/fuzz.sh 5m         5 minutes per target
#   scripts/fuzz.sh 10s Frame  only targets whose name matches the regexp
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-30s}
match=${2:-.}

targets=()
# `go test -list` prints a package's fuzz targets, then "ok <package> …".
while read -r pkg; do
	while read -r name; do
		[[ $name == Fuzz* && $name =~ $match ]] && targets+=("$pkg $name")
	done < <(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
done < <(go list ./...)

if [ ${#targets[@]} -eq 0 ]; then
	echo "no fuzz target matches $match"; exit 1
fi
echo "fuzzing ${#targets[@]} targets for $fuzztime each"
failed=()
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	printf '\n== %s %s\n' "$pkg" "$name"
	# Minimising each new input may otherwise take up to a minute, during
	# which nothing new is explored.
	if ! go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "$pkg"; then
		failed+=("$pkg $name")
	fi
done

echo
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "all ${#targets[@]} fuzz targets ran $fuzztime without a failure"
