#!/usr/bin/env bash
# The sync lane (issue 16): two PCs share one vault through two real
# Syncthing instances on 127.0.0.1, each with its own home and nidan home.
#
#   bash scripts/test.sh sync     (or: bash scripts/lanes/sync.sh)
#
# Held steady on Debian's Syncthing 1.19 on loopback: discovery, relays, NAT
# and announcements off; only PC1 dials (PC2 knows PC1's address as
# `dynamic`, which without discovery resolves to nothing), because when both
# dial they can drop both connections for 20-60 s; PCs are kept apart by
# pausing the other DEVICE on PC1, since pausing a folder sometimes drops the
# connection. Every wait polls the REST API in a bounded loop; scans are
# asked for (POST /rest/db/scan returns once the scan is done) instead of
# waiting for the file watcher.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! declare -F apt_install >/dev/null; then
	apt_install() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || { echo "missing Debian package $p" >&2; exit 1; }; done; }
fi
apt_install syncthing curl jq

work=$(mktemp -d /tmp/nidan-sync-XXXXXX)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n-- %s\n' "$*"; }
fail() {
	echo "FAIL: $*" >&2
	for n in 1 2; do echo "== syncthing $n log (tail)" >&2; tail -n 30 "$work/st$n.log" >&2 || true; done
	exit 1
}

say "building nidan"
CGO_ENABLED=0 go build -o "$work/nidan" ./host
nidan_on() { # nidan_on N ARGS...: nidan as PC N
	local n=$1
	shift
	NIDAN_HOME=$work/home$n "$work/nidan" "$@"
}

key=nidan-sync-lane-$$
base=$((20000 + $$ % 20000))
gui1=$base listen1=$((base + 1)) gui2=$((base + 2)) listen2=$((base + 3))
folder=nidan

# st N METHOD PATH [DATA]: one REST call to Syncthing N, bounded.
st() {
	local n=$1 method=$2 path=$3 port
	port=$([ "$n" = 1 ] && echo "$gui1" || echo "$gui2")
	curl -fsS --max-time 60 -X "$method" -H "X-API-Key: $key" ${4:+-H 'Content-Type: application/json' -d "$4"} \
		"http://127.0.0.1:$port$path"
}

# until_ok WHAT TRIES CMD...: polls CMD every 0.25 s, at most TRIES times.
until_ok() {
	local what=$1 tries=$2
	shift 2
	for ((i = 0; i < tries; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.25
	done
	fail "timed out waiting for: $what"
}

say "two Syncthing homes"
for n in 1 2; do
	syncthing generate --home="$work/st$n" --no-default-folder --skip-port-probing >/dev/null 2>&1
	mkdir -p "$work/Sync$n/.stfolder"
done
id1=$(syncthing serve --home="$work/st1" --device-id)
id2=$(syncthing serve --home="$work/st2" --device-id)

# config N SELF_LISTEN PEER_ID PEER_ADDRESS GUI: a whole config.xml, of the
# version generate wrote (so that nothing is migrated).
config() {
	local n=$1 listen=$2 peer=$3 peer_addr=$4 gui=$5 self version
	self=$([ "$n" = 1 ] && echo "$id1" || echo "$id2")
	version=$(grep -o '<configuration version="[0-9]*"' "$work/st$n/config.xml" | grep -o '[0-9]*')
	cat >"$work/st$n/config.xml" <<EOF
<configuration version="$version">
    <folder id="$folder" label="$folder" path="$work/Sync$n" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="false">
        <device id="$self"></device>
        <device id="$peer"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="$self" name="pc$n"><address>dynamic</address></device>
    <device id="$peer" name="peer"><address>$peer_addr</address></device>
    <gui enabled="true" tls="false"><address>127.0.0.1:$gui</address><apikey>$key</apikey></gui>
    <options>
        <listenAddress>tcp://127.0.0.1:$listen</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
EOF
}
config 1 "$listen1" "$id2" "tcp://127.0.0.1:$listen2" "$gui1" # PC1 dials
config 2 "$listen2" "$id1" dynamic "$gui2"                     # PC2 only answers

say "starting both"
for n in 1 2; do
	STNORESTART=1 STNOUPGRADE=1 syncthing serve --home="$work/st$n" --no-browser --no-restart \
		--no-default-folder >"$work/st$n.log" 2>&1 &
	pids+=("$!")
done
both_up() { st 1 GET /rest/system/ping && st 2 GET /rest/system/ping; }
until_ok "both REST APIs" 120 both_up

connected() { st 1 GET /rest/system/connections | jq -e --arg id "$id2" '.connections[$id].connected == true'; }
disconnected() {
	st 1 GET /rest/system/connections | jq -e --arg id "$id2" '.connections[$id].connected != true' &&
		st 2 GET /rest/system/connections | jq -e --arg id "$id1" '.connections[$id].connected != true'
}
until_ok "PC1 connected to PC2" 240 connected

# scan N: Syncthing N looks at the folder now (returns when done).
scan() { st "$1" POST "/rest/db/scan?folder=$folder" >/dev/null; }

# in_sync: both idle with nothing to pull, each 100% complete for the other,
# and the folders hold the same files with the same bytes.
files() { (cd "$1" && find . -path ./.stfolder -prune -o -type f ! -name '.syncthing.*' -print0 | sort -z | xargs -0r sha256sum); }
in_sync() {
	local n peer
	for n in 1 2; do
		st "$n" GET "/rest/db/status?folder=$folder" | jq -e '.state == "idle" and .needTotalItems == 0' || return 1
		peer=$([ "$n" = 1 ] && echo "$id2" || echo "$id1")
		st "$n" GET "/rest/db/completion?folder=$folder&device=$peer" | jq -e '.completion == 100' || return 1
	done
	[ "$(files "$work/Sync1")" = "$(files "$work/Sync2")" ]
}
sync_now() { # scan both, then wait until in sync
	scan 1
	scan 2
	until_ok "both folders in sync" 480 in_sync
}

pause_pc2() {
	st 1 PATCH "/rest/config/devices/$id2" '{"paused": true}' >/dev/null
	until_ok "PC2 paused" 120 disconnected
}
resume_pc2() {
	# Scanned first: a puller that meets a change not yet scanned waits a
	# minute before it tries again.
	scan 1
	scan 2
	st 1 PATCH "/rest/config/devices/$id2" '{"paused": false}' >/dev/null
	until_ok "PC1 reconnected to PC2" 240 connected
}

seed() { printf 'otpauth://totp/Amazon:%s?secret=%s&issuer=Amazon' "$1" "$2"; }
has() { # has N ACCOUNT...: PC N's list shows every account
	local n=$1 out
	shift
	out=$(nidan_on "$n" list) || fail "nidan list on PC$n failed"
	for a in "$@"; do grep -qw -- "$a" <<<"$out" || fail "PC$n lacks $a: $out"; done
}
lacks() {
	local n=$1 out
	shift
	out=$(nidan_on "$n" list) || fail "nidan list on PC$n failed"
	for a in "$@"; do ! grep -qw -- "$a" <<<"$out" || fail "PC$n still lists $a: $out"; done
}

say "PC1: init with the vault in the shared folder, one account"
nidan_on 1 init --vault-dir "$work/Sync1" >/dev/null
seed base JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP | nidan_on 1 add base --marketplace jp >/dev/null
for f in identity vault.lock; do [ ! -e "$work/Sync1/$f" ] || fail "$f is in the synced folder"; done
sync_now

say "PC2 joins: the vault is left as it is, the key printed"
before=$(sha256sum <"$work/Sync2/vault.age")
pc2key=$(nidan_on 2 init --vault-dir "$work/Sync2" 2>"$work/join.err")
[[ $pc2key == age1* ]] || fail "join printed $pc2key"
grep -q "nidan devices add $pc2key" "$work/join.err" || fail "join does not say the next step"
[ "$(sha256sum <"$work/Sync2/vault.age")" = "$before" ] || fail "joining changed the vault"
if nidan_on 2 list 2>"$work/list.err"; then fail "PC2 opened the vault before being added"; fi
grep -q "nidan devices add $pc2key" "$work/list.err" || fail "PC2's list does not say what to run: $(cat "$work/list.err")"

say "PC1 adds PC2"
nidan_on 1 devices add "$pc2key" --name pc2 2>/dev/null
sync_now
has 2 base
[ "$(nidan_on 1 devices list | grep -c age1)" = 2 ] || fail "PC1 does not list two devices"

say "apart: each PC adds an account"
pause_pc2
seed on-pc1 MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E | nidan_on 1 add on-pc1 >/dev/null
seed on-pc2 ONSWG4TFOQ5GK3TUONSWG4TFOQ5GK3TU | nidan_on 2 add on-pc2 >/dev/null
resume_pc2
sync_now
ls "$work/Sync1" | grep -q 'sync-conflict' || fail "no conflict copy: $(ls -A "$work/Sync1")"
has 1 base on-pc1 on-pc2
has 2 base on-pc1 on-pc2

say "a write merges the copies and removes them"
seed merged GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ | nidan_on 1 add merged >/dev/null
sync_now
if ls -A "$work/Sync1" "$work/Sync2" | grep -q 'sync-conflict'; then fail "conflict copies left: $(ls -A "$work/Sync1")"; fi
has 1 base on-pc1 on-pc2 merged
has 2 base on-pc1 on-pc2 merged

say "apart: PC1 removes an account, PC2 edits another"
pause_pc2
nidan_on 1 remove on-pc1 --yes 2>/dev/null
nidan_on 2 edit on-pc2 --label edited@example.jp 2>/dev/null
resume_pc2
sync_now
for n in 1 2; do
	lacks "$n" on-pc1
	has "$n" base on-pc2 merged
	nidan_on "$n" list | grep on-pc2 | grep -q edited@example.jp || fail "PC$n lacks the edit"
done

say "PC1 removes PC2: PC2 is locked out"
nidan_on 1 devices remove pc2 >"$work/remove.out" 2>"$work/remove.err"
grep -q 'a/settings/approval' "$work/remove.out" || fail "remove does not list the settings pages"
grep -q 'every seed' "$work/remove.err" || fail "remove does not say what it cannot undo"
sync_now
if nidan_on 2 list 2>/dev/null; then fail "the removed PC still opens the vault"; fi
has 1 base on-pc2 merged
echo "sync lane: ok"
