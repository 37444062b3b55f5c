#!/usr/bin/env bash
# Runs every nidan test: Go formatting, vet, the other platforms' builds, the
# Go tests with the race detector, the extension's unit tests, the end-to-end
# tests in real Chromium and Firefox, then every lane in scripts/lanes/.
# Installs what it needs when missing (Debian packages: oathtool, chromium,
# firefox-esr, openssl, and what each lane names; npm packages from
# package-lock.json). Ends with one summary: each step, its time, and the step
# that failed.
#
#   scripts/test.sh           everything
#   scripts/test.sh go        only the Go side
#   scripts/test.sh js        only the extension (unit + end-to-end)
#   scripts/test.sh lanes     only the lanes
#   scripts/test.sh NAME      only the lane scripts/lanes/NAME.sh
#
# A lane is a script in scripts/lanes/ that tests one thing end to end (the
# release, Windows under Wine, Syncthing): dropping a file there adds it to
# every run. With more than one lane, the lanes run at the same time (their
# output kept in .cache/test/NAME.log and printed when one fails), after the
# browser tests, which never share the machine with them.
# NIDAN_TEST_SERIAL=1 runs the lanes one after the other, output shown live.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

# The steps run so far: "STATUS|NAME|SECONDS" each, printed by summary.
done_steps=()
current=
started=$SECONDS
lane_pids=()

clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

summary() {
	local rc=$? status name secs
	# Lanes still running when another step failed: stop them (ours only).
	for pid in "${lane_pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
	if [ -n "$current" ]; then
		done_steps+=("FAIL|$current|$((SECONDS - step_started))")
	fi
	printf '\n== summary\n'
	for s in "${done_steps[@]}"; do
		IFS='|' read -r status name secs <<<"$s"
		printf '  %-4s  %6s  %s\n' "$status" "$(clock "$secs")" "$name"
	done
	if [ "$rc" -eq 0 ]; then
		printf 'all tests passed in %s\n' "$(clock $((SECONDS - started)))"
	else
		local failed=
		for s in "${done_steps[@]}"; do
			IFS='|' read -r status name secs <<<"$s"
			[ "$status" = FAIL ] && failed+="${failed:+, }$name"
		done
		printf 'FAILED after %s: %s\n' "$(clock $((SECONDS - started)))" "${failed:-an error outside any step (exit $rc)}"
	fi
	exit "$rc"
}

# step NAME COMMAND...: runs COMMAND as the step NAME, timed. A failure ends
# the run (set -e), and the trap's summary names the step.
step() {
	local name=$1
	shift
	printf '\n== %s\n' "$name"
	current=$name
	step_started=$SECONDS
	"$@"
	done_steps+=("ok|$name|$((SECONDS - step_started))")
	current=
}

apt_install() {
	local missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing ${missing[*]} (Debian packages)"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	# Lanes start together and may install at the same moment: one apt at a
	# time (flock), and apt itself waits for a dpkg lock another tool holds.
	(
		flock 9
		$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	) 9>"${TMPDIR:-/tmp}/nidan-apt.lock"
}
export -f apt_install # lanes install their own packages with it

need_go() {
	command -v go >/dev/null || { echo "Go is missing: install it from https://go.dev/dl/ (1.26 or later)"; exit 1; }
}

need_node() {
	command -v node >/dev/null || { echo "node is missing: apt-get install nodejs npm"; exit 1; }
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	fi
}

gofmt_check() {
	local unformatted
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change:"; echo "$unformatted"; return 1
	fi
}

other_platforms() {
	for os in windows darwin; do
		GOOS=$os GOARCH=amd64 go build -o /dev/null ./...
		GOOS=$os GOARCH=amd64 go vet ./...
	done
}

go_tests() {
	need_go
	step "Debian packages for Go (oathtool)" apt_install oathtool
	# Fetched once, quietly, so that vet and the builds print only findings.
	step "Go modules (go mod download)" go mod download
	step "gofmt" gofmt_check
	step "go vet" go vet ./...
	step "builds for the other platforms" other_platforms
	step "go test -race" go test -race -count=1 ./...
}

build_bins() {
	CGO_ENABLED=0 go build -o bin/nidan ./host
	CGO_ENABLED=0 go build -o bin/nidan-host ./host/nativehost
}

js_tests() {
	need_go
	step "Debian packages for the browsers" apt_install chromium chromium-l10n firefox-esr firefox-esr-l10n-ja openssl
	step "npm ci" need_node
	step "extension unit tests (node --test)" node --test extension/test/
	step "building bin/nidan and bin/nidan-host for the end-to-end tests" build_bins
	step "end-to-end tests in Debian's Chromium" node --test --test-concurrency=1 extension/e2e/
	step "end-to-end tests in Debian's Firefox ESR (and web-ext lint of the .xpi)" \
		node --test --test-concurrency=1 extension/e2e-firefox/
}

lane_names() {
	local f
	for f in scripts/lanes/*.sh; do
		[ -e "$f" ] && basename "$f" .sh
	done
	return 0
}

# lanes NAME...: each lane is a step. Several run at once unless
# NIDAN_TEST_SERIAL is set; their output goes to .cache/test/NAME.log and is
# printed when the lane fails.
lanes() {
	[ $# -gt 0 ] || return 0
	if [ $# -eq 1 ] || [ -n "${NIDAN_TEST_SERIAL:-}" ]; then
		for name in "$@"; do step "lane $name" bash "scripts/lanes/$name.sh"; done
		return 0
	fi
	local logs=.cache/test name pid rc
	mkdir -p "$logs"
	declare -A pid_of began
	for name in "$@"; do
		printf '\n== lane %s (started; output in %s/%s.log)\n' "$name" "$logs" "$name"
		began[$name]=$SECONDS
		# setsid: the lane gets its own process group, so a failure elsewhere
		# stops the lane's children too, and only them.
		setsid bash "scripts/lanes/$name.sh" >"$logs/$name.log" 2>&1 </dev/null &
		pid_of[$name]=$!
		lane_pids+=("$!")
	done
	local failed=() done_pid left=$#
	declare -A name_of
	for name in "$@"; do name_of[${pid_of[$name]}]=$name; done
	while [ "$left" -gt 0 ]; do
		rc=0
		# wait -n -p: whichever lane ends first, so each lane's time is its own.
		wait -n -p done_pid "${lane_pids[@]}" || rc=$?
		name=${name_of[$done_pid]}
		for i in "${!lane_pids[@]}"; do
			[ "${lane_pids[$i]}" = "$done_pid" ] && unset 'lane_pids[i]'
		done
		left=$((left - 1))
		local secs=$((SECONDS - began[$name]))
		if [ "$rc" -eq 0 ]; then
			done_steps+=("ok|lane $name|$secs")
			printf '\n== lane %s passed (%s)\n' "$name" "$(clock "$secs")"
		else
			done_steps+=("FAIL|lane $name|$secs")
			printf '\n== lane %s FAILED (exit %d), its output:\n' "$name" "$rc"
			cat "$logs/$name.log"
			failed+=("$name")
		fi
	done
	[ ${#failed[@]} -eq 0 ]
}

case $what in
all | go | js | lanes) ;;
*)
	[ -f "scripts/lanes/$what.sh" ] || {
		echo "usage: scripts/test.sh [all|go|js|lanes|LANE]  (lanes: $(lane_names | tr '\n' ' '))" >&2
		exit 2
	}
	;;
esac
trap summary EXIT

case $what in
go) go_tests ;;
js) js_tests ;;
lanes)
	mapfile -t all_lanes < <(lane_names)
	lanes "${all_lanes[@]}"
	;;
all)
	go_tests
	js_tests
	mapfile -t all_lanes < <(lane_names)
	lanes "${all_lanes[@]}"
	;;
*) lanes "$what" ;;
esac
