#!/bin/sh
# Soak and flood through one trace_tcp each, on this machine's kernel (root):
#
#   sh tests/soak/run.sh            (make soak: 1,000,000 + 100,000 refused; 100,000 open)
#   SHORT=1 sh tests/soak/run.sh    (the test command's form: 100,000 + 10,000; 70,000 open)
#
# Soak: loadgen's connect/accept/close iterations and refused connects at
# full rate, in two runs (a tenth, then the rest): every event printed,
# counted against loadgen's own counts; the tracer's peak RSS after the
# first tenth and at the end within 5%; its sockets table back to empty.
# Flood: more connections open at once than the sockets table holds
# (65536 entries; two sockets per connection): the tracer stays up, its
# summary says how many connections it could not follow (each loses its
# close event, and the counts add up, short by no more than the probe
# hits the kernel skipped and reported), and a load after the flood is
# traced whole. Prints PASS/FAIL/INFO lines; a failed run's files are
# kept in build/failed/soak.
set -u
cd "$(dirname "$0")/../.."
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
LOADGEN=${LOADGEN:-build/bench/loadgen}
FLOOD=${FLOOD:-build/soak/flood}
if [ "${SHORT:-0}" = 1 ]; then
	ITERATIONS=100000 OPEN=70000
else
	ITERATIONS=1000000 OPEN=100000
fi
TABLE=65536		# bpf/maps.h: the sockets table
AFTER=1000		# iterations after the flood
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trace_tcp_soak.XXXXXX")
TT=""
FAILED=""
KEPT=build/failed/soak	# a failed run's outputs, as the suite keeps them
trap 'finish' EXIT

pass() { echo "PASS: soak/$*"; }
fail() { echo "FAIL: soak/$*"; FAILED=1; }

finish() {
	[ -n "$TT" ] && kill -INT "$TT" 2>/dev/null
	if [ -n "$FAILED" ] && [ -z "${KEEP:-}" ]; then
		rm -rf "$KEPT" && mkdir -p "$KEPT" && cp "$WORK"/*.err "$WORK"/*.txt "$KEPT/" 2>/dev/null
		echo "INFO: soak: the failed run's tracer stderr and load outputs: $KEPT"
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: soak: needs root"
	exit 0
fi

# start_tracer NAME ARGS...: trace_tcp -v ARGS, stdout to NAME.out,
# stderr to NAME.err, until its ready line
start_tracer() {
	_name=$1
	shift
	"$TRACE_TCP" -v "$@" >"$WORK/$_name.out" 2>"$WORK/$_name.err" &
	TT=$!
	for _ in $(seq 1 600); do
		grep -q '^trace_tcp: backend ' "$WORK/$_name.err" && return 0
		kill -0 "$TT" 2>/dev/null || break
		sleep 0.1
	done
	fail "$_name: the tracer did not start: $(tail -n 1 "$WORK/$_name.err")"
	return 1
}

stop_tracer() {
	kill -INT "$TT"
	wait "$TT"
	_status=$?
	TT=""
	return $_status
}

peak_rss_kib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$TT/status"; }

# summary NAME WHAT: a number from the tracer's exit lines
summary() {
	case $2 in
	printed) sed -n 's/^trace_tcp: \([0-9]*\) events printed.*/\1/p' "$WORK/$1.err" ;;
	lost) sed -n 's/^trace_tcp: [0-9]* events printed, \([0-9]*\) lost$/\1/p' "$WORK/$1.err" ;;
	untracked) sed -n 's/^trace_tcp: \([0-9]*\) of the lost: connections not followed, their table was full$/\1/p' "$WORK/$1.err" ;;
	open) sed -n 's/^trace_tcp: sockets followed: .*still open \([0-9]*\),.*/\1/p' "$WORK/$1.err" ;;
	skipped) sed -n 's/^trace_tcp: the kernel skipped \([0-9]*\) probe hits.*/\1/p' "$WORK/$1.err" ;;
	esac
}

# losses NAME: the tracer's lines on what was lost and why, as INFO
losses() {
	grep -E '^trace_tcp: ([0-9]+ of the lost|the kernel skipped)' "$WORK/$1.err" |
		sed "s/^trace_tcp: /INFO: $1: /"
}

# load N M: loadgen's expected event count
load() {
	"$LOADGEN" -n "$1" -m "$2" >"$WORK/load.txt" || return 1
	sed -n 's/.*events_expected=\([0-9]*\).*/\1/p' "$WORK/load.txt"
}

soak() {
	_first=$((ITERATIONS / 10))
	start_tracer soak -o columns --comm loadgen || return
	_started=$(date +%s)
	_e1=$(load "$_first" $((_first / 10))) || { fail "soak: loadgen failed"; return; }
	sleep 1
	_rss1=$(peak_rss_kib)
	_e2=$(load $((ITERATIONS - _first)) $(((ITERATIONS - _first) / 10))) ||
		{ fail "soak: loadgen failed"; return; }
	sleep 1
	_rss2=$(peak_rss_kib)
	stop_tracer || fail "soak: tracer exit status $?"
	_want=$((_e1 + _e2))
	_lines=$(($(wc -l <"$WORK/soak.out") - 1))	# the column header
	_printed=$(summary soak printed) _lost=$(summary soak lost)
	echo "INFO: soak: $ITERATIONS iterations and $((ITERATIONS / 10)) refused in" \
		"$(($(date +%s) - _started)) s: $_want events expected, $_lines printed," \
		"${_lost:-?} lost; peak RSS $_rss1 KiB after $_first iterations," \
		"$_rss2 KiB after $ITERATIONS; sockets still followed at the end:" \
		"$(summary soak open)"
	losses soak
	if [ "$_lines" = "$_want" ] && [ "$_printed" = "$_want" ] && [ "$_lost" = 0 ]; then
		pass "every-event"
	else
		fail "every-event: $_want expected, $_lines lines, tracer: $_printed printed, $_lost lost"
	fi
	if [ -n "$_rss1" ] && [ -n "$_rss2" ] && [ $((_rss2 * 100)) -le $((_rss1 * 105)) ]; then
		pass "rss-flat: $_rss1 -> $_rss2 KiB"
	else
		fail "rss-flat: peak RSS $_rss1 KiB after $_first iterations, $_rss2 KiB after $ITERATIONS"
	fi
	if [ "$(summary soak open)" = 0 ]; then
		pass "table-empty"
	else
		fail "table-empty: $(grep 'sockets followed' "$WORK/soak.err")"
	fi
}

flood() {
	mkfifo "$WORK/release"
	start_tracer flood -o json --comm flood,loadgen || return
	"$FLOOD" "$OPEN" <"$WORK/release" >"$WORK/flood.txt" 2>&1 &
	_fl=$!
	exec 3>"$WORK/release"
	for _ in $(seq 1 1200); do
		grep -q 'open=' "$WORK/flood.txt" && break
		kill -0 "$_fl" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q 'open=' "$WORK/flood.txt"; then
		fail "flood: flood did not open its connections: $(cat "$WORK/flood.txt")"
		exec 3>&-
		return
	fi
	if kill -0 "$TT" 2>/dev/null; then
		pass "flood-tracer-up: $OPEN connections open at once"
	else
		fail "flood-tracer-up: the tracer died: $(tail -n 3 "$WORK/flood.err")"
	fi
	exec 3>&-	# let them close
	wait "$_fl" || fail "flood: flood failed: $(cat "$WORK/flood.txt")"
	sleep 1
	_after=$(load "$AFTER" $((AFTER / 10))) || { fail "flood: loadgen failed"; return; }
	_after_pid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' "$WORK/load.txt")
	sleep 1
	stop_tracer || fail "flood: tracer exit status $?"
	_untracked=$(summary flood untracked)
	_lost=$(summary flood lost)
	_flood_events=$(grep -c '"comm":"flood"' "$WORK/flood.out")
	_after_events=$(grep -c "\"pid\":$_after_pid," "$WORK/flood.out")
	echo "INFO: flood: $OPEN connections open at once: $_flood_events of" \
		"$((4 * OPEN)) events printed, ${_lost:-?} lost, of which" \
		"${_untracked:-0} connections not followed (table $TABLE entries," \
		"$((2 * OPEN)) sockets); after it $_after_events of $_after events"
	losses flood
	# A probe hit the kernel skipped (another BPF program running on
	# that CPU: our own, interrupted by the softirq of the flood's
	# packets) may have been an event's, or a connection's ESTABLISHED,
	# which then was not counted as not followed either: the report
	# gives the hits, which bound both shortfalls.
	_skipped=$(summary flood skipped)
	_skipped=${_skipped:-0}
	_sum=$((_flood_events + ${_lost:-0}))
	if [ -n "$_untracked" ] &&
	   [ $((_untracked + _skipped)) -ge $((2 * OPEN - TABLE)) ] &&
	   [ "$_sum" -le $((4 * OPEN)) ] &&
	   [ $((_sum + _skipped)) -ge $((4 * OPEN)) ]; then
		pass "flood-counted: printed + lost = $_sum of $((4 * OPEN))" \
			"(kernel skipped $_skipped probe hits), $_untracked connections not followed"
	else
		fail "flood-counted: $_flood_events flood events printed, ${_lost:-?} lost (${_untracked:-no} not followed), the kernel skipped $_skipped probe hits: want a sum of $((4 * OPEN)), and at least $((2 * OPEN - TABLE)) not followed, each short by no more than the skipped hits"
	fi
	if [ "$_after_events" = "$_after" ]; then
		pass "flood-recovered: $_after of $_after events after the flood"
	else
		fail "flood-recovered: $_after_events of $_after events after the flood"
	fi
}

[ "${ONLY:-}" = flood ] || soak
flood
