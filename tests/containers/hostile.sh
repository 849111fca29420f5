#!/bin/sh
# Hostile runtime state (issue 22): /docker/<id> cgroups made by hand,
# like fake-runtime.sh, each with a Docker config.v2.json that whoever
# starts a container could make hostile: control characters, quotes and
# backslashes in the name, labels and image; UTF-8 and bytes that are not
# UTF-8; names of 300 bytes and of 1 MB; 10 MB of config; JSON nested
# 10,000 deep; a FIFO, a symlink to /dev/zero, a directory; a file just
# under and just over the size cap; a file replaced and removed while it
# is read. One busybox wget runs in each cgroup, created while the
# tracers run (the lookup happens then), against a host httpd; a steady
# stream of refused host connects (three processes, each one a ms) keeps
# the event loop busy (a drain every 2 ms), so that a stall shows.
# Three tracers (-o json, columns, -o yaml); hostile-check.py judges:
# every event printed, named safely or by its id only, output that
# parses, one line per event, no control character, exit 0, 0 lost, and
# from 100 ms before each case's connect to 5 ms after, no batch of
# events later from drain to print than the benign ones' by more than
# a few ms.
# env: TRACE_TCP, BACKEND. Root. Prints PASS/FAIL/INFO lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
BACKEND=${BACKEND:-auto}
PORT=18779
REFUSED_PORT=18780
WORK=$(mktemp -d /tmp/tt-hostile.XXXXXX)
ROOT=$WORK/docker
SERVER_PID=""
STREAM_PID=""
STAMP_PID=""
TRACERS=""

pass() { echo "PASS: hostile/$1"; }
fail() { echo "FAIL: hostile/$1"; }
note() { echo "INFO: hostile/$1"; }
. tests/containers/checks.sh
CG=$(cgroup2_mount)

cleanup() {
	for p in $TRACERS $SERVER_PID $STREAM_PID $STAMP_PID; do
		kill -KILL "$p" 2>/dev/null
	done
	for c in $(cut -f1 "$WORK/cases" 2>/dev/null); do
		rmdir "$CG/docker/$(id_of "$c")" 2>/dev/null
	done
	rmdir "$CG/docker" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# id_of CASE: its container id, 64 hex digits, a distinct short id
id_of() {
	printf '%s' "$1" | sha256sum | cut -c1-64
}

# repeat N TEXT: TEXT N times
repeat() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

# state CASE NAME_JSON [CONFIG_JSON_MEMBERS]: a config.v2.json whose
# "Name" is NAME_JSON (raw JSON text inside the quotes)
state() {
	_d=$ROOT/containers/$(id_of "$1")
	mkdir -p "$_d"
	printf '{"ID":"%s","Name":"/%s","Config":{%s}}' "$(id_of "$1")" "$2" \
		"${3:-\"Image\":\"busybox:hostile\"}" >"$_d/config.v2.json"
}

state_path() { echo "$ROOT/containers/$(id_of "$1")/config.v2.json"; }

# case_expects CASE EXPECTED: CASE is run, and its events must carry the name
# EXPECTED, a JSON value: a string, null for the id only, or a list of
# what may be (hostile-check.py reads $WORK/cases).
case_expects() {
	printf '%s\t%s\t%s\n' "$1" "$(id_of "$1")" "$2" >>"$WORK/cases"
}

make_states() {
	state benign benign
	case_expects benign '"benign"'
	state controls 'ctl\u001b[31mred\u0007\r\n2026-12-07 FORGED\t\"q\"\\end' \
		'"Image":"busy\"box\\:1","Labels":{"io.kubernetes.pod.name":"pod\u001b]0;owned\u0007","io.kubernetes.pod.namespace":"ns\"x\\","io.kubernetes.container.name":"c\u009b2J"}'
	case_expects controls '"ctl?[31mred???2026-12-07 FORGED?\"q\"\\end"'
	state benign3 benign3
	case_expects benign3 '"benign3"'
	state utf8 'caf\u00e9-名前\u009b\u0085'
	case_expects utf8 '"caf\u00e9-名前\u009b\u0085"'
	state badutf8 "$(printf 'bad\377\376utf8')"
	case_expects badutf8 null
	state name300 "$(repeat 300 n)"
	case_expects name300 null
	state longname "$(repeat 1000000 x)"
	case_expects longname null
	state big10m big "\"Image\":\"busybox\",\"Env\":[\"$(repeat 10000000 v)\"]"
	case_expects big10m null
	state deep deep "\"Image\":\"busybox\",\"Deep\":$(repeat 10000 '[')$(repeat 10000 ']')"
	case_expects deep null
	# Just under and just over the 256 KiB cap, of the structure slowest
	# to scan ([1,1,...] takes the most work per byte).
	state atcap at-cap "\"Env\":[1$(repeat 130900 x | sed 's/x/,1/g')],\"Image\":\"busybox\""
	case_expects atcap '"at-cap"'
	state overcap over-cap "\"Env\":[1$(repeat 131200 x | sed 's/x/,1/g')],\"Image\":\"busybox\""
	case_expects overcap null
	for c in fifo zero dir churn; do mkdir -p "$(dirname "$(state_path $c)")"; done
	mkfifo "$(state_path fifo)"
	case_expects fifo null
	ln -s /dev/zero "$(state_path zero)"
	case_expects zero null
	mkdir "$(state_path dir)"
	case_expects dir null
	case_expects churn '["churn", null]'
	state benign2 benign2
	case_expects benign2 '"benign2"'
}

# churn: the churn case's file written, replaced and removed, over and
# over, until $WORK/churn.done
churn() {
	_p=$(state_path churn)
	_doc=$(printf '{"ID":"%s","Name":"/churn","Config":{}}' "$(id_of churn)")
	until [ -e "$WORK/churn.done" ]; do
		echo "$_doc" >"$_p.tmp"
		mv "$_p.tmp" "$_p"
		rm -f "$_p"
	done
}

# run_case CASE: its cgroup made, one wget in it at once, the cgroup gone
run_case() {
	_cg=$CG/docker/$(id_of "$1")
	mkdir "$_cg" || { fail "$1/cgroup: mkdir $_cg"; return; }
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$_cg" \
		"$WORK/bin/wget" -q -O /dev/null "http://127.0.0.1:$PORT/" ||
		fail "$1/wget: status $?"
	rmdir "$_cg"
}

# stop TAG: SIGINT; it must exit 0 within 10 s (a tracer hung on a state
# file would not)
stop() {
	_pid=""
	eval "_pid=\$TRACER_PID_$1"
	kill -INT "$_pid" 2>/dev/null
	for _i in $(seq 100); do
		kill -0 "$_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$_pid" 2>/dev/null; then
		fail "$1/exit: still running 10 s after SIGINT"
		kill -KILL "$_pid"
		return
	fi
	wait "$_pid"
	echo "$?" >"$WORK/$1.status"
}

if [ "$(id -u)" != 0 ]; then
	fail "setup: needs root"
	exit 0
fi
if [ -z "$CG" ]; then
	fail "setup: no cgroup2 mount"
	exit 0
fi
mkdir -p "$CG/docker" "$WORK/www" "$WORK/bin" || { fail "setup: mkdir in $CG"; exit 0; }
bb=$(command -v busybox)
ln -s "$bb" "$WORK/bin/wget"
echo hi >"$WORK/www/index.html"
chmod -R 755 "$WORK"
busybox httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" &
SERVER_PID=$!
t0=$(date +%s%N)
make_states
note "setup: state files made in $((($(date +%s%N) - t0) / 1000000)) ms"

# The JSON tracer's lines, stamped with their arrival time.
mkfifo "$WORK/json.out"
python3 tests/containers/hostile-check.py stamp <"$WORK/json.out" >"$WORK/json.stamped" &
STAMP_PID=$!
tracer_start json -o json --backend "$BACKEND" --docker-root "$ROOT" || exit 0
tracer_start columns --backend "$BACKEND" --docker-root "$ROOT" || exit 0
tracer_start yaml -o yaml --backend "$BACKEND" --docker-root "$ROOT" || exit 0
# The JSON tracer's delays are measured: the other two, whose lookups
# come at the same moments, yield it the CPU.
# shellcheck disable=SC2154  # set by tracer_start
renice -n 19 -p "$TRACER_PID_columns" "$TRACER_PID_yaml" >/dev/null
for _i in 1 2 3; do
	python3 -c '
import socket, sys, time
end = time.time() + 60
while time.time() < end:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        pass
    s.close()
    time.sleep(0.001)
' "$REFUSED_PORT" &
	STREAM_PID="$STREAM_PID $!"
done
# The streams' first events make the tracers look up the host's cgroups.
sleep 1

for c in $(cut -f1 "$WORK/cases"); do
	if [ "$c" = churn ]; then
		churn &
		_churn=$!
		sleep 0.05
		run_case churn
		touch "$WORK/churn.done"
		wait "$_churn"
	else
		run_case "$c"
	fi
	sleep 0.3
done
sleep 0.5
kill $STREAM_PID 2>/dev/null
wait $STREAM_PID 2>/dev/null
STREAM_PID=""
for t in json columns yaml; do stop "$t"; done
TRACERS=""
wait "$STAMP_PID"
STAMP_PID=""

python3 tests/containers/hostile-check.py check "$WORK"
