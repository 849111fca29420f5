#!/bin/sh
# End-to-end tests of trace_tcp (see tests/e2e/README.md):
#
#   TRACE_TCP=path TCPSCEN=path BACKEND=kprobe|tracepoint \
#       [SCENARIOS="connect-ok ipv6 ..."] sh tests/e2e/run.sh
#
# POSIX sh: it also runs under busybox sh in the QEMU guest. Prints only
# PASS:/FAIL:/SKIP: lines, the full-rate phase's INFO: line and, for a
# failed check, an INFO: line saying where its files are, on stdout
# (details go to stderr) and exits 1 if anything failed. Every wait is bounded; processes it started are ended
# on exit.

set -u

TRACE_TCP=${TRACE_TCP:-./trace_tcp}
TCPSCEN=${TCPSCEN:-build/e2e/tcpscen}
BACKEND=${BACKEND:-kprobe}
TRACER_FLAGS=${TRACER_FLAGS:-}	# e.g. "--btf none" (with TT_EXPECT=fallback)
RUN_SCENARIOS="connect-ok connect-refused nonblock-ok nonblock-refused timeout
	nonblock-timeout nonblock-timeout-raced unreach icmp-unreach
	abort-close abort-kill ipv6 v4mapped nonroot exit-close dup2-close
	reset-close shared-close shared-exit-close lifetime lifetime-shutdown"
PHASES="blocked-accept flags kernel-filter conflicting-flags probe-hygiene timeout-exits
	tables sandbox unseen-outcome full-rate"
SCENARIOS=${SCENARIOS:-$RUN_SCENARIOS $PHASES}
# A close's sent_bytes and received_bytes need BTF: tcpscen expects them
# absent (TT_EXPECT_BYTES=absent) under --btf none or without the
# kernel's own BTF and no --btf file.
if [ -z "${TT_EXPECT_BYTES:-}" ]; then
	case " $TRACER_FLAGS " in
	*" --btf none "*) TT_EXPECT_BYTES=absent ;;
	*" --btf "*) TT_EXPECT_BYTES=exact ;;
	*) TT_EXPECT_BYTES=absent
	   [ -f /sys/kernel/btf/vmlinux ] && TT_EXPECT_BYTES=exact ;;
	esac
fi
export TT_EXPECT_BYTES
# Scenarios a kernel cannot pass for a reason outside trace_tcp, and the
# reason: each is reported as a SKIP, not run.
UNSUPPORTED=${UNSUPPORTED:-}
UNSUPPORTED_WHY=${UNSUPPORTED_WHY:-}

READY_SECONDS=60	# for the tracer's "trace_tcp: backend" line
STOP_SECONDS=20		# for the tracer to exit after SIGINT
SCENARIO_SECONDS=120	# for one tcpscen run (it has its own 90 s watchdog)
# full-rate: loopback connections as fast as they come, this many or for
# this long, whichever ends first (the time bounds the slow guests)
FULL_RATE_CYCLES=${FULL_RATE_CYCLES:-5000}
FULL_RATE_SECONDS=${FULL_RATE_SECONDS:-2}

FAILED=0
PIDS=""			# our background processes that may still run
TRACER=""
REAPED=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILED=1; }
skip() { echo "SKIP: $*"; }
note() { echo "run.sh: $*" >&2; }

# show FILE LABEL: the lines of FILE on stderr, labelled
show() {
	[ -s "$1" ] && sed "s|^|    $2: |" "$1" >&2
	return 0
}

wanted() {
	case " $(echo $UNSUPPORTED) " in *" $1 "*) return 1 ;; esac
	case " $(echo $SCENARIOS) " in *" $1 "*) return 0 ;; esac
	return 1
}

for _name in $UNSUPPORTED; do
	skip "$_name: $UNSUPPORTED_WHY"
done

now() { date +%s; }
nap() { sleep 0.1 2>/dev/null || sleep 1; }

# wait_until SECONDS COMMAND...: succeeds as soon as COMMAND does, fails
# once SECONDS have passed
wait_until() {
	_deadline=$(($(now) + $1))
	shift
	until "$@"; do
		[ "$(now)" -lt "$_deadline" ] || return 1
		nap
	done
}

# alive PID: running, and not a zombie waiting to be reaped
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z* | X*) return 1 ;;
	esac
	return 0
}

forget() {
	_keep=""
	for _p in $PIDS; do
		[ "$_p" = "$1" ] || _keep="$_keep $_p"
	done
	PIDS=$_keep
}

# reap PID SECONDS: waits for our child PID, SIGKILLing it after SECONDS;
# its exit status goes to REAPED (137 if it had to be killed). The watchdog
# is one sleep, nothing that wakes while it waits: in a slow guest a busy
# one keeps the CPU in the tracer's syscall programs, and the kernel skips
# the programs of a softirq (a TCP timer) that interrupts one. Once PID
# is reaped, SIGPIPE (its wait takes it at once; no shell reports a job
# it kills) ends it and its sleep. It is not waited for: a signal that
# comes before its trap is set can be lost, and then it sleeps on. Waking
# with PID reaped (marker file) or this shell gone, it kills nothing.
reap() {
	_marker=$WORK/reaped.$1
	rm -f "$_marker"
	(
		_sleep=""
		trap '[ -n "$_sleep" ] && kill "$_sleep"; exit 0' PIPE
		sleep "$2" &
		_sleep=$!
		wait "$_sleep"
		[ ! -e "$_marker" ] && kill -0 $$ && kill -9 "$1"
	) >/dev/null 2>&1 &
	_watchdog=$!
	wait "$1"
	REAPED=$?
	: >"$_marker"
	kill -PIPE "$_watchdog" 2>/dev/null
	forget "$1"
}

cleanup() {
	if [ -n "$(echo $PIDS)" ]; then
		note "ending leftover processes:$PIDS"
		for _p in $PIDS; do kill -INT "$_p" 2>/dev/null; done
		sleep 1
		for _p in $PIDS; do kill -9 "$_p" 2>/dev/null; done
	fi
	if [ "$FAILED" = 0 ] && [ -z "${KEEP_WORK:-}" ]; then
		rm -rf "$WORK"
	else
		echo "INFO: this run's outputs kept in $WORK"
	fi
}

# suffix TAG: how result names of a tracer run are qualified ("" for main)
suffix() {
	case $1 in
	main) echo "" ;;
	*) echo "/$1" ;;
	esac
}

# ---------------------------------------------------------------------
# The tracer
# ---------------------------------------------------------------------

tracer_ready() { grep -q '^trace_tcp: backend ' "$WORK/$1.stderr" 2>/dev/null; }
tracer_ready_or_gone() { tracer_ready "$1" || ! alive "$TRACER"; }

# start_tracer TAG [FLAGS...]: output goes to $WORK/TAG.events and
# $WORK/TAG.stderr; returns once it is ready. Sets TRACER.
start_tracer() {
	_tag=$1
	shift
	# shellcheck disable=SC2086 # TRACER_FLAGS: extra flags, word-split
	"$TRACE_TCP" -o json --backend "$BACKEND" $TRACER_FLAGS "$@" \
		>"$WORK/$_tag.events" 2>"$WORK/$_tag.stderr" &
	TRACER=$!
	PIDS="$PIDS $TRACER"
	wait_until "$READY_SECONDS" tracer_ready_or_gone "$_tag"
	tracer_ready "$_tag" && return 0
	kill -INT "$TRACER" 2>/dev/null
	reap "$TRACER" 5
	fail "tracer-start$(suffix "$_tag"): no 'trace_tcp: backend' line on stderr" \
		"within ${READY_SECONDS}s (exit status $REAPED)"
	show "$WORK/$_tag.stderr" "tracer stderr"
	return 1
}

# stop_tracer TAG: SIGINT, then it must drain and exit 0 by itself
stop_tracer() {
	kill -INT "$TRACER" 2>/dev/null
	reap "$TRACER" "$STOP_SECONDS"
	if [ "$REAPED" = 0 ]; then
		pass "tracer-exit-0$(suffix "$1")"
		note "tracer$(suffix "$1"): $(tail -n 1 "$WORK/$1.stderr")"
	else
		fail "tracer-exit-0$(suffix "$1"): exit status $REAPED" \
			"(137: still running ${STOP_SECONDS}s after SIGINT)"
		show "$WORK/$1.stderr" "tracer stderr"
	fi
}

# check TAG EXPECT_FILE: tcpscen's verdict on the run's events
check() {
	_sfx=$(suffix "$1")
	if [ -n "$_sfx" ]; then
		"$TCPSCEN" check --tag "${_sfx#/}" "$2" "$WORK/$1.events" ||
			keep_failed "$1" "$2"
	else
		"$TCPSCEN" check "$2" "$WORK/$1.events" || keep_failed "$1" "$2"
	fi
}

# keep_failed TAG EXPECT_FILE: a failed check's events, the tracer's
# stderr and tcpscen's record, copied to a folder of their own; with
# SHOW_FAILED=1 (a QEMU guest, whose files go with it) also on stderr.
keep_failed() {
	FAILED=1
	_kept=${KEEP_FAILED_DIR:-${TMPDIR:-/tmp}}/trace_tcp_failed.$$.$1
	mkdir -p "$_kept" &&
		cp "$WORK/$1.events" "$WORK/$1.stderr" "$2" "$_kept/" 2>/dev/null
	echo "INFO: check$(suffix "$1") failed: events, tracer stderr and" \
		"tcpscen's record kept in $_kept"
	[ "${SHOW_FAILED:-}" = 1 ] || return 0
	show "$2" "record"
	show "$WORK/$1.stderr" "tracer stderr"
	show "$WORK/$1.events" "events"
}

# ---------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------

# tcpscen_bounded OUT ARGS...: tcpscen ARGS with stdout in OUT, bounded in time
tcpscen_bounded() {
	_out=$1
	shift
	"$TCPSCEN" "$@" >"$_out" 2>"$_out.err" &
	PIDS="$PIDS $!"
	reap $! "$SCENARIO_SECONDS"
	show "$_out.err" "tcpscen $1"
}

# run_scenario NAME EXPECT_FILE [FILTER FLAGS...]
run_scenario() {
	_name=$1
	_expect=$2
	shift 2
	tcpscen_bounded "$WORK/scenario.out" run "$@" "$_name"
	cat "$WORK/scenario.out" >>"$_expect"
	grep -q '^# scenario ' "$WORK/scenario.out" ||
		fail "$_name: tcpscen run exited $REAPED without expectations"
}

# The server must already be blocked in accept() when the tracer starts.
start_blocked_server() {
	rm -f "$WORK/port"
	"$TCPSCEN" serve-blocked "$WORK/port" >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVER=$!
	PIDS="$PIDS $SERVER"
	wait_until 10 test -s "$WORK/port" && return 0
	fail "blocked-accept: serve-blocked wrote no port file"
	kill "$SERVER" 2>/dev/null
	reap "$SERVER" 5
	show "$WORK/serve.err" "serve-blocked"
	SERVER=""
}

finish_blocked_server() {
	tcpscen_bounded "$WORK/connect.out" connect-to "$(cat "$WORK/port")"
	cat "$WORK/connect.out" >>"$1"
	grep -q '^# scenario ' "$WORK/connect.out" ||
		fail "blocked-accept: tcpscen connect-to exited $REAPED without expectations"
	reap "$SERVER" 30
	cat "$WORK/serve.out" >>"$1"
	[ "$REAPED" = 0 ] || fail "blocked-accept: serve-blocked exited $REAPED"
	show "$WORK/serve.err" "serve-blocked"
}

main_run() {
	_expect=$WORK/main.expect
	: >"$_expect"
	SERVER="" HOLDER=""
	wanted blocked-accept && start_blocked_server
	if ! start_tracer main -v; then
		[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && reap "$SERVER" 5
		return
	fi
	for _name in $RUN_SCENARIOS; do
		wanted "$_name" || continue
		if [ "$_name" = icmp-unreach ] && ! command -v iptables >/dev/null; then
			skip "icmp-unreach: no iptables here to answer a SYN with ICMP"
			continue
		fi
		run_scenario "$_name" "$_expect"
	done
	[ -n "$SERVER" ] && finish_blocked_server "$_expect"
	start_holder
	sleep 1
	stop_tracer main
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null && reap "$HOLDER" 5
	check main "$_expect"
	socket_books main
}

# A connection both of whose ends stay open past the tracer's exit: the
# books must count them open.
start_holder() {
	rm -f "$WORK/hold.port"
	"$TCPSCEN" hold "$WORK/hold.port" 2>"$WORK/hold.err" &
	HOLDER=$!
	PIDS="$PIDS $HOLDER"
	wait_until 10 test -s "$WORK/hold.port" && return 0
	fail "socket-books: tcpscen hold wrote no port file"
	show "$WORK/hold.err" "tcpscen hold"
	kill "$HOLDER" 2>/dev/null
	reap "$HOLDER" 5
	HOLDER=""
}

# The closes the no-BTF fallback cannot see (tcpscen's documented
# differences): a release by dup2, and by a process the socket was shared
# with. trace_tcp counts each as lost.
fallback_unseen() {
	_n=0
	if [ "${TT_EXPECT:-}" = fallback ]; then
		for _name in dup2-close shared-close shared-exit-close; do
			wanted "$_name" && _n=$((_n + 1))
		done
	fi
	echo $_n
}

# socket_books TAG: the sockets table's books (-v) balance, and every
# socket that ended without its close seen is one we expected.
socket_books() {
	_books=$(grep '^trace_tcp: sockets followed:' "$WORK/$1.stderr")
	note "books$(suffix "$1"): ${_books#trace_tcp: }"
	echo "$_books" | awk -v unseen="$(fallback_unseen)" '{
		gsub(/[:,]/, " ")
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) v[++n] = $i
	}
	END {
		# followed, closed, still open, unseen, unaccounted
		exit !(n == 5 && v[1] == v[2] + v[3] + v[4] && v[3] >= 2 && v[4] == unseen && v[5] == 0)
	}' && pass "socket-books$(suffix "$1")" ||
		fail "socket-books$(suffix "$1"): want followed = closed + open + unseen, 2+ open," \
			"$(fallback_unseen) unseen, none unaccounted: '${_books:-no books line}'"
}

# flag_run FLAG: the tracer with FLAG; tcpscen expects with the same flag
flag_run() {
	_tag=${1#--}
	: >"$WORK/$_tag.expect"
	start_tracer "$_tag" "$1" || return
	for _name in connect-ok connect-refused; do
		run_scenario "$_name" "$WORK/$_tag.expect" "$1"
	done
	sleep 1
	stop_tracer "$_tag"
	check "$_tag" "$WORK/$_tag.expect"
}

# filter_run TAG FLAG RULES...: the tracer with -F/--comm RULES that mean
# FLAG for these scenarios, judged in the kernel; tcpscen expects with
# FLAG. -v must count events the kernel left out, none in user space.
filter_run() {
	_tag=$1 _flag=$2
	shift 2
	: >"$WORK/$_tag.expect"
	start_tracer "$_tag" -v "$@" || return
	for _name in connect-ok connect-refused; do
		run_scenario "$_name" "$WORK/$_tag.expect" "$_flag"
	done
	sleep 1
	stop_tracer "$_tag"
	check "$_tag" "$WORK/$_tag.expect"
	_left=$(sed -n 's/^trace_tcp: \([0-9]*\) events left out by the filters in the kernel$/\1/p' \
		"$WORK/$_tag.stderr")
	if [ "${_left:-0}" -gt 0 ] && grep -q '^trace_tcp: in-kernel filter: [0-9]* tests$' "$WORK/$_tag.stderr" &&
		! grep -q 'left out by the filters in user space' "$WORK/$_tag.stderr"; then
		pass "kernel-filter-counted/$_tag: $_left left out in the kernel"
	else
		fail "kernel-filter-counted/$_tag: want a count of events left out in the kernel" \
			"and none in user space"
		show "$WORK/$_tag.stderr" "tracer stderr"
	fi
}

conflicting_flags() {
	"$TRACE_TCP" -o json --backend "$BACKEND" --accept-only --connect-only \
		>"$WORK/conflict.out" 2>"$WORK/conflict.err" &
	PIDS="$PIDS $!"
	reap $! 10
	_lines=$(wc -l <"$WORK/conflict.err")
	_lines=$((_lines + 0))
	if [ "$REAPED" != 0 ] && [ "$REAPED" != 137 ] && [ "$_lines" = 1 ]; then
		pass "conflicting-flags"
	else
		fail "conflicting-flags: exit status $REAPED with $_lines stderr line(s);" \
			"want a non-zero exit and exactly one line"
		show "$WORK/conflict.err" "stderr"
	fi
}

# tables: the connection tables allocated on use only where the kernel's
# allocation keeps up (6.1+, and an IRQ work interrupt to refill its
# caches: loader/kernel/features.h), preallocated elsewhere; -v says which.
tables_policy() {
	_want=preallocated
	case ",${TRACE_TCP_HIDE:-}," in
	*,irq_work,*) ;;
	*)	uname -r | awk -F. '{ exit !($1 > 6 || ($1 == 6 && $2 >= 1)) }' &&
			grep -q 'IRQ work interrupts' /proc/interrupts &&
			_want="allocated on use" ;;
	esac
	# shellcheck disable=SC2086 # TRACER_FLAGS: extra flags, word-split
	"$TRACE_TCP" -v --timeout 1 --backend "$BACKEND" $TRACER_FLAGS \
		>/dev/null 2>"$WORK/tables.err"
	if grep -qx "trace_tcp: connection tables $_want" "$WORK/tables.err"; then
		pass "tables: $_want"
	else
		fail "tables: want '$_want', got:" \
			"$(grep 'connection tables' "$WORK/tables.err" ||
				tail -n 1 "$WORK/tables.err")"
	fi
}

kprobe_events_file() {
	for _f in /sys/kernel/tracing/kprobe_events /sys/kernel/debug/tracing/kprobe_events; do
		[ -r "$_f" ] && echo "$_f" && return 0
	done
	return 1
}

same_content() { [ "$(cat "$1")" = "$(cat "$2")" ]; }

line_count() {
	_n=$(wc -l <"$1")
	echo $((_n + 0))
}

# compare_kprobes NAME SNAPSHOT: PASS if kprobe_events is as it was at the start
compare_kprobes() {
	cat "$KPROBE_EVENTS" >"$WORK/kprobes.$2"
	if same_content "$WORK/kprobes.before" "$WORK/kprobes.$2"; then
		pass "$1"
	else
		fail "$1: kprobe_events differs from before the runs"
		diff "$WORK/kprobes.before" "$WORK/kprobes.$2" >&2 2>/dev/null
	fi
}

probe_hygiene() {
	if [ "$BACKEND" != kprobe ]; then
		skip "probe-hygiene: only with BACKEND=kprobe"
		return
	fi
	if ! KPROBE_EVENTS=$(kprobe_events_file); then
		skip "probe-hygiene: no readable kprobe_events"
		return
	fi
	cat "$KPROBE_EVENTS" >"$WORK/kprobes.before"

	# (a) a run stopped by SIGINT removes its probes
	if start_tracer hygiene-sigint; then
		run_scenario connect-ok "$WORK/hygiene.expect"
		stop_tracer hygiene-sigint
		compare_kprobes kprobes-removed-after-sigint after-sigint
	fi

	# (b) a run the verifier refuses (injected: loader/kernel/inject.h) removes
	# the probes it made before loading its programs
	TRACE_TCP_REFUSE=programs "$TRACE_TCP" --backend "$BACKEND" --timeout 1 \
		>/dev/null 2>"$WORK/hygiene-refused.err"
	if grep -q 'the kernel rejected program' "$WORK/hygiene-refused.err"; then
		compare_kprobes kprobes-removed-after-refusal after-refusal
	else
		fail "kprobes-removed-after-refusal: not refused: $(head -c 300 "$WORK/hygiene-refused.err")"
	fi

	# (c) kill -9 leaves its probes behind; the next run removes them
	start_tracer hygiene-kill || return
	kill -9 "$TRACER"
	reap "$TRACER" 10
	cat "$KPROBE_EVENTS" >"$WORK/kprobes.after-kill"
	if same_content "$WORK/kprobes.before" "$WORK/kprobes.after-kill"; then
		fail "kprobes-left-by-kill-9: kprobe_events unchanged after kill -9"
	else
		pass "kprobes-left-by-kill-9 ($(($(line_count "$WORK/kprobes.after-kill") -
			$(line_count "$WORK/kprobes.before"))) more lines)"
	fi
	start_tracer hygiene-restart || return
	stop_tracer hygiene-restart
	compare_kprobes kprobes-cleaned-by-next-run after-restart
}

timeout_exits() {
	_start=$(now)
	"$TRACE_TCP" -o json --backend "$BACKEND" --timeout 2 \
		>"$WORK/timeout.events" 2>"$WORK/timeout.stderr" &
	TRACER=$!
	PIDS="$PIDS $TRACER"
	wait_until "$READY_SECONDS" tracer_ready_or_gone timeout
	_ready=$(now)
	reap "$TRACER" 12
	_end=$(now)
	if tracer_ready timeout && [ "$REAPED" = 0 ] &&
		[ $((_end - _start)) -ge 2 ] && [ $((_end - _ready)) -le 10 ]; then
		pass "timeout-exits"
	else
		fail "timeout-exits: exit status $REAPED, $((_end - _start))s after start," \
			"$((_end - _ready))s after ready (want 0, >= 2s, <= 10s)"
		show "$WORK/timeout.stderr" "tracer stderr"
	fi
}

# status_field PID NAME: NAME's value in /proc/PID/status
status_field() {
	awk -v key="$2:" '$1 == key { print $2; exit }' "/proc/$1/status" 2>/dev/null
}

# sandbox_status TAG: the running tracer's Seccomp and NoNewPrivs, as
# "Seccomp N NoNewPrivs N"
sandbox_status() {
	echo "Seccomp $(status_field "$TRACER" Seccomp)" \
		"NoNewPrivs $(status_field "$TRACER" NoNewPrivs)"
}

# sandbox: a run is under its seccomp filter with no_new_privs once
# ready, and -v says so; with --no-sandbox it is not; a call the filter
# refuses (injected: loader/kernel/inject.h) is reported on one line and
# the run exits 1, its kprobes removed, while --no-sandbox lets it pass.
sandbox() {
	if [ "$(status_field $$ Seccomp)" != 0 ]; then
		skip "sandbox: this shell already runs under seccomp"
		return
	fi
	start_tracer sandbox -v || return
	_status=$(sandbox_status)
	stop_tracer sandbox
	if grep -q '^trace_tcp: sandbox: no seccomp filter' "$WORK/sandbox.stderr"; then
		skip "sandbox: this kernel has no seccomp filters"
		return
	fi
	if [ "$_status" = "Seccomp 2 NoNewPrivs 1" ] &&
		grep -q '^trace_tcp: sandbox: on: seccomp filter allows [0-9]* system calls' \
			"$WORK/sandbox.stderr"; then
		pass "sandbox-on"
	else
		fail "sandbox-on: $_status (want Seccomp 2 NoNewPrivs 1)" \
			"and a 'trace_tcp: sandbox: on' line"
		show "$WORK/sandbox.stderr" "tracer stderr"
	fi
	start_tracer no-sandbox --no-sandbox || return
	_status=$(sandbox_status)
	stop_tracer no-sandbox
	if [ "$_status" = "Seccomp 0 NoNewPrivs 0" ]; then
		pass "sandbox-off-by-flag"
	else
		fail "sandbox-off-by-flag: $_status with --no-sandbox (want 0 and 0)"
	fi
	sandbox_refusal
}

# injected_run TAG [FLAGS...]: a --timeout 2 run making the forbidden
# call; its exit status in REAPED
injected_run() {
	_tag=$1
	shift
	# shellcheck disable=SC2086 # TRACER_FLAGS: extra flags, word-split
	TRACE_TCP_INJECT=forbidden-call "$TRACE_TCP" --backend "$BACKEND" \
		--timeout 2 $TRACER_FLAGS "$@" >/dev/null 2>"$WORK/$_tag.stderr" &
	PIDS="$PIDS $!"
	reap $! "$READY_SECONDS"
}

sandbox_refusal() {
	_events=""
	if [ "$BACKEND" = kprobe ] && _events=$(kprobe_events_file); then
		cat "$_events" >"$WORK/kprobes.before-refusal"
	fi
	injected_run refused
	_err=$WORK/refused.stderr
	if [ "$REAPED" = 1 ] && [ "$(grep -vc '^trace_tcp: backend ' "$_err")" = 1 ] &&
		tail -n 1 "$_err" | grep -q '^trace_tcp: socket(2) in the event loop .* failed: Operation not permitted$'; then
		pass "sandbox-refuses-injected-call"
	else
		fail "sandbox-refuses-injected-call: exit status $REAPED (want 1)," \
			"want one error line ending 'Operation not permitted'"
		show "$_err" "tracer stderr"
	fi
	if [ -n "$_events" ]; then
		cat "$_events" >"$WORK/kprobes.after-refusal"
		if same_content "$WORK/kprobes.before-refusal" "$WORK/kprobes.after-refusal"; then
			pass "kprobes-removed-after-sandbox-refusal"
		else
			fail "kprobes-removed-after-sandbox-refusal: kprobe_events differs"
			diff "$WORK/kprobes.before-refusal" "$WORK/kprobes.after-refusal" >&2
		fi
	fi
	injected_run allowed --no-sandbox
	if [ "$REAPED" = 0 ] && ! grep -q 'socket(2)' "$WORK/allowed.stderr"; then
		pass "sandbox-off-allows-injected-call"
	else
		fail "sandbox-off-allows-injected-call: exit status $REAPED (want 0)"
		show "$WORK/allowed.stderr" "tracer stderr"
	fi
}

# unseen-outcome: connects whose ESTABLISHED the programs do not see, as
# when the kernel skips a program (injected: loader/kernel/inject.h).
# Neither the connect nor the client's close is printed; the server's
# accept and close are. The summary counts both lost where the owner's
# close is seen in its release (BTF): exactly 2. Elsewhere the connect
# alone is counted, at tcp_destroy_sock, whose own run a kernel may skip
# (5.10 guest, kprobe backend without BTF: once 0 of 1), so 0 or 1 there,
# said in an INFO line.
unseen_outcome() {
	TRACE_TCP_INJECT=unseen-outcome
	export TRACE_TCP_INJECT
	start_tracer unseen-outcome -v --comm tcpscen
	_started=$?
	unset TRACE_TCP_INJECT
	[ "$_started" = 0 ] || return
	tcpscen_bounded "$WORK/unseen.out" run connect-ok
	stop_tracer unseen-outcome
	_ev=$WORK/unseen-outcome.events _err=$WORK/unseen-outcome.stderr
	_port=$(sed -n 's/^expect 1 type=connect .* dst.port=\([0-9]*\).*/\1/p' \
		"$WORK/unseen.out")
	_want_lost=1
	grep -q "close via release of the socket's file" "$_err" && _want_lost=2
	_lost=$(sed -n 's/^trace_tcp: 2 events printed, \([0-9]*\) lost$/\1/p' "$_err")
	if [ "$_want_lost" = 1 ] && [ "$_lost" = 0 ]; then
		echo "INFO: unseen-outcome: 0 lost, not 1: the kernel skipped tcp_destroy_sock's run, or it came after the end"
		_want_lost=0
	fi
	_got="$(seen "$_ev" connect dst "$_port") $(seen "$_ev" close dst "$_port")"
	_got="$_got $(seen "$_ev" accept src "$_port") $(seen "$_ev" close src "$_port")"
	if [ -n "$_port" ] && [ "$_got" = "0 0 1 1" ] && [ "$_lost" = "$_want_lost" ] &&
		{ [ "$_lost" = 0 ] ||
		  grep -q "^trace_tcp: $_lost of the lost: connects whose outcome was not seen" "$_err"; }; then
		pass "unseen-outcome-counted: $_lost lost"
	else
		fail "unseen-outcome-counted: port ${_port:-?}: connect, client" \
			"close, accept, server close seen: $_got (want 0 0 1 1)," \
			"want 2 printed and $_want_lost lost (${_lost:-no summary})"
		show "$_err" "tracer stderr"
		show "$_ev" "events"
	fi
}

# full-rate: the tracer with its default flags and buffer while tcpscen
# floods loopback; every event of the flood printed, none lost.
full_rate() {
	_expect=$WORK/full-rate.expect
	start_tracer full-rate || return
	tcpscen_bounded "$_expect" flood "$FULL_RATE_CYCLES" "$FULL_RATE_SECONDS"
	# What the reader had written by then: did it keep up, or did the
	# ring hold the flood until the end?
	_written=$(line_count "$WORK/full-rate.events")
	stop_tracer full-rate
	_checked=0
	"$TCPSCEN" check --tag full-rate "$_expect" "$WORK/full-rate.events" ||
		_checked=1
	[ "$_checked" = 0 ] || FAILED=1
	full_rate_books "$_expect" "$WORK/full-rate.events" \
		"$WORK/full-rate.stderr" "$_checked" "$_written"
}

# seen EVENTS TYPE SIDE PORT: events of TYPE whose SIDE (src, dst) is
# 127.0.0.1:PORT (the tracer's JSON, keys in its order)
seen() {
	grep "\"type\":\"$2\"" "$1" |
		grep -c "\"$3\":{\"addr\":\"127.0.0.1\",\"port\":$4,"
}

# full_rate_books EXPECT EVENTS STDERR CHECK_STATUS WRITTEN: the tracer's
# summary says 0 lost, and an INFO line gives the rate; on a failure, the
# counts expected and seen, and where the files are
full_rate_books() {
	_fr_expect=$1 _fr_events=$2 _fr_stderr=$3 _fr_checked=$4
	_cycles="" _ms=0 _port=0 _conn=0 _cclo=0 _acc=0 _sclo=0
	# shellcheck disable=SC2013 # the words are key=value
	for _kv in $(sed -n 's/^# full-rate-counts: //p' "$_fr_expect"); do
		case $_kv in
		cycles=*) _cycles=${_kv#*=} ;;
		ms=*) _ms=${_kv#*=} ;;
		port=*) _port=${_kv#*=} ;;
		connects=*) _conn=${_kv#*=} ;;
		client_closes=*) _cclo=${_kv#*=} ;;
		accepts=*) _acc=${_kv#*=} ;;
		server_closes=*) _sclo=${_kv#*=} ;;
		esac
	done
	_summary=$(grep -E '^trace_tcp: [0-9]+ events printed, [0-9]+ lost$' \
		"$_fr_stderr")
	_lost=$(echo "$_summary" |
		sed -n 's/.* events printed, \([0-9]*\) lost$/\1/p')
	if [ -z "$_cycles" ]; then
		fail "full-rate-none-lost: tcpscen flood gave no counts (see" \
			"full-rate); files kept: $_fr_expect, $_fr_events"
		return
	fi
	_want=$((_conn + _acc + _cclo + _sclo))
	[ "$_ms" -gt 0 ] || _ms=1
	_backend=$(sed -n 's/^trace_tcp: backend \([a-z]*\).*/\1/p' "$_fr_stderr")
	[ "$BACKEND" = auto ] && _backend="$_backend (auto)"
	echo "INFO: full-rate: $(uname -m) $(uname -r)," \
		"$(grep -c '^processor' /proc/cpuinfo 2>/dev/null) CPU(s), backend" \
		"$_backend${TRACER_FLAGS:+ $TRACER_FLAGS}${TT_EXPECT:+ ($TT_EXPECT)}:" \
		"$_cycles cycles in $_ms ms: $_want events," \
		"$((_want * 1000 / _ms)) events/s, $5 written by the flood's" \
		"end, ${_lost:-?} lost"
	if [ "$_lost" = 0 ]; then
		pass "full-rate-none-lost"
	else
		fail "full-rate-none-lost: '${_summary:-no summary line}'"
	fi
	[ "$_lost" = 0 ] && [ "$_fr_checked" = 0 ] && return
	_sc=$(seen "$_fr_events" connect dst "$_port")
	_sa=$(seen "$_fr_events" accept src "$_port")
	_scc=$(seen "$_fr_events" close dst "$_port")
	_ssc=$(seen "$_fr_events" close src "$_port")
	note "full-rate: expected/seen: connects $_conn/$_sc," \
		"accepts $_acc/$_sa, client closes $_cclo/$_scc," \
		"server closes $_sclo/$_ssc (127.0.0.1:$_port)"
	note "full-rate: tracer summary: ${_summary:-none}"
	show "$_fr_stderr" "tracer stderr"
	note "full-rate: files kept: $_fr_expect, $_fr_events, $_fr_stderr"
}

# ---------------------------------------------------------------------

[ -z "${KEEP_FAILED_DIR:-}" ] || mkdir -p "$KEEP_FAILED_DIR"
WORK=$(mktemp -d "${KEEP_FAILED_DIR:-${TMPDIR:-/tmp}}/trace_tcp_e2e.XXXXXX") || {
	echo "FAIL: setup: mktemp"
	exit 1
}
trap cleanup EXIT
trap 'FAILED=1; exit 130' INT TERM

for _name in $SCENARIOS; do
	case " $(echo $RUN_SCENARIOS $PHASES) " in
	*" $_name "*) ;;
	*) fail "setup: unknown scenario '$_name'" ;;
	esac
done
for _tool in "$TRACE_TCP" "$TCPSCEN"; do
	[ -x "$_tool" ] || fail "setup: $_tool is not an executable file"
done
[ "$FAILED" = 0 ] || exit 1
note "tracer $TRACE_TCP, backend $BACKEND, outputs in $WORK"

_main=""
for _name in $RUN_SCENARIOS blocked-accept; do
	wanted "$_name" && _main=yes
done
[ -n "$_main" ] && main_run
if wanted flags; then
	for _flag in --connect-only --accept-only --failure-only; do
		flag_run "$_flag"
	done
fi
if wanted kernel-filter; then
	filter_run F-connect --connect-only -F 'type==connect,dst.addr==127.0.0.0/8,dst.port!=0'
	filter_run F-accept --accept-only --comm tcpscen -F 'type!=close,type!=connect,src.port>=1'
	filter_run F-failure --failure-only -F 'error!=,uid<1000000'
fi
wanted conflicting-flags && conflicting_flags
wanted probe-hygiene && probe_hygiene
wanted timeout-exits && timeout_exits
wanted tables && tables_policy
wanted sandbox && sandbox
wanted unseen-outcome && unseen_outcome
wanted full-rate && full_rate

exit "$FAILED"
