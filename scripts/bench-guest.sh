#!/bin/sh
# The measuring half of trace_tcp's benchmark (scripts/bench.sh drives it).
# POSIX sh: it runs as /payload/run.sh in the QEMU guest (busybox) and, for
# the host part, on this machine's kernel (sh scripts/bench-guest.sh).
#
# Per tool in TOOLS, PAIRS pairs of runs, alternating: loadgen alone, then
# loadgen with the tool attached (started through `loadgen -w`, which times
# exec -> ready line). After each traced run: the tool's output is let
# settle, its VmHWM read, then SIGINT. Prints one machine-readable line per
# pair ("RUN ..."), one per overload check ("OVERLOAD ..."), "INFO ..."
# lines, and "ERROR ..." lines for anything that went wrong (exit 1).
#
# Settings: environment, or ./bench.env next to this script (the guest gets
# its settings that way):
#   TOOLS      "trace_tcp tcptracer" (default: those found)
#   PAIRS N M  pairs per tool, loadgen -n and -m (5, 20000, 2000)
#   OVERLOAD   1: also the --buffer-pages 1 check with a blocked reader (1)
#   DIAG       1: also one pair per trace_tcp variant (output to /dev/null,
#              columns, --failure-only, --btf none, and --backend kprobe
#              where the kernel has kprobes): where the cost is (1)
#   OV_N OV_M  loadgen size for the overload check (N/4, M/4)
#   LOADGEN TRACE_TCP TCPTRACER   paths (next to this script by default)
#   LOAD_CPU   the CPU loadgen is pinned to, alone and traced alike (the
#              last one): the pairs then differ only by the tool, not by
#              where the scheduler happened to put the load
#   STDBUF_LIB libstdbuf.so: tcptracer's stdout is made line-buffered like
#              trace_tcp's (its header is then its ready line)
#   WORK       scratch directory (default: mktemp -d)
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/bench.env" ] && . "$here/bench.env"

PAIRS=${PAIRS:-5}
N=${N:-20000}
M=${M:-2000}
OVERLOAD=${OVERLOAD:-1}
DIAG=${DIAG:-1}
OV_N=${OV_N:-$((N / 4))}
OV_M=${OV_M:-$((M / 4))}
LOADGEN=${LOADGEN:-$here/loadgen}
TRACE_TCP=${TRACE_TCP:-$here/trace_tcp}
TCPTRACER=${TCPTRACER:-$here/tcptracer}
STDBUF_LIB=${STDBUF_LIB:-$here/lib/libstdbuf.so}
if [ -z "${TOOLS:-}" ]; then
	TOOLS=trace_tcp
	[ -x "$TCPTRACER" ] && TOOLS="$TOOLS tcptracer"
fi
LOAD_CPU=${LOAD_CPU:-$(awk '/^processor/ { n = $3 } END { print n + 0 }' /proc/cpuinfo)}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
T=$WORK
STATUS=0

err() { echo "ERROR $*"; STATUS=1; }
nap() { sleep 0.1 2>/dev/null || sleep 1; }

# value KEY FILE: the value of KEY=value on the loadgen line in FILE
value() { sed -n "s/^loadgen .*[ ]$1=\([^ ]*\).*/\1/p" "$2" | tail -n 1; }

# settle FILE: wait until FILE has stopped growing (0.3 s), at most 120 s
settle() {
	_prev=-1 _same=0 _i=0
	while [ $_i -lt 1200 ]; do
		_cur=$(wc -c <"$1" 2>/dev/null || echo 0)
		if [ "$_cur" = "$_prev" ]; then
			_same=$((_same + 1))
			[ $_same -ge 3 ] && return 0
		else
			_same=0
		fi
		_prev=$_cur
		nap
		_i=$((_i + 1))
	done
	return 1
}

# stop PID: SIGINT, then wait for it (SIGKILL after 30 s)
stop() {
	kill -INT "$1" 2>/dev/null
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 300 ]; do
		# a zombie child counts as gone once wait reaps it below
		case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in Z*) break ;; esac
		nap
		_i=$((_i + 1))
	done
	kill -0 "$1" 2>/dev/null && [ $_i -ge 300 ] && { kill -9 "$1" 2>/dev/null; err "stop: $1 ignored SIGINT for 30 s"; }
	wait "$1" 2>/dev/null
	return 0
}

# wait_ready FILE: prints the ready_ms value (or "timeout")
wait_ready() {
	_i=0
	while [ ! -f "$1" ] && [ $_i -lt 1200 ]; do nap; _i=$((_i + 1)); done
	[ -f "$1" ] && sed -n 's/^ready_ms=//p' "$1" || echo timeout
}

# cpu_times CPU: "busy idle" jiffies of one CPU from /proc/stat
cpu_times() {
	awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat
}

# cpu_busy_pct CPU: how busy CPU was over one second, in percent. Before
# the pairs nothing of ours runs: anything here is another process, which
# the pairs would share the load's CPU with.
cpu_busy_pct() {
	_t0=$(cpu_times "$1")
	sleep 1
	echo "$_t0 $(cpu_times "$1")" |
		awk '{ b = $3 - $1; t = b + $4 - $2; printf "%d\n", (t > 0 ? 100 * b / t : 0) }'
}

# loadgen_alone: sets alone (iterations per second of loadgen by itself)
loadgen_alone() {
	alone=0
	if ! "$LOADGEN" -c "$LOAD_CPU" -n "$N" -m "$M" >"$T/lg.txt" 2>"$T/lg.err"; then
		err "loadgen failed: $(cat "$T/lg.err")"
		return
	fi
	alone=$(value iter_per_sec "$T/lg.txt")
}

# start TOOL: starts TOOL behind the start-up timer; sets TPID
start() {
	rm -f "$T/out" "$T/err" "$T/ready"
	case $1 in
	trace_tcp)
		"$LOADGEN" -w 'trace_tcp: backend' -r "$T/ready" -f "$T/err" -- \
			"$TRACE_TCP" -o json >"$T/out" 2>"$T/err" &
		;;
	tcptracer)
		# tcptracer prints its column header once every probe is attached
		# and its perf buffer is open: that is its ready line.
		(
			if [ -f "$STDBUF_LIB" ]; then
				LD_PRELOAD=$STDBUF_LIB _STDBUF_O=L
				export LD_PRELOAD _STDBUF_O
			fi
			exec "$LOADGEN" -w 'COMM' -r "$T/ready" -f "$T/out" -- "$TCPTRACER"
		) >"$T/out" 2>"$T/err" &
		;;
	esac
	TPID=$!
}

# count TOOL: prints "delivered=.. printed=.. lost=.. types=.." for loadgen's events
count() {
	case $1 in
	trace_tcp)
		awk -v errf="$T/err" '
			index($0, "\"comm\":\"loadgen\"") {
				n++
				if (index($0, "\"type\":\"accept\"")) a++
				else if (index($0, "\"type\":\"close\"")) x++
				else if (index($0, "\"error\":\"\"")) c++
				else f++
			}
			END {
				while ((getline l < errf) > 0)
					if (l ~ /^trace_tcp: [0-9]+ events printed, [0-9]+ lost/) {
						split(l, w, " "); printed = w[2]; lost = w[5]
					}
				printf "delivered=%d lines=%d printed=%s lost=%s types=connect:%d,refused:%d,accept:%d,close:%d\n",
					n, NR, printed == "" ? "?" : printed, lost == "" ? "?" : lost, c, f, a, x
			}' "$T/out"
		;;
	tcptracer)
		awk -v errf="$T/err" '
			$3 == "loadgen" { n++; t[$1]++ }
			END {
				lost = 0
				while ((getline l < errf) > 0)
					if (l ~ /^Lost [0-9]+ events on CPU/) { split(l, w, " "); lost += w[2] }
				printf "delivered=%d lines=%d printed=%d lost=%d types=C:%d,A:%d,X:%d\n",
					n, NR, NR - 1, lost, t["C"], t["A"], t["X"]
			}' "$T/out"
		;;
	esac
}

traced() {
	tool=$1 pair=$2
	start "$tool"
	ready=$(wait_ready "$T/ready")
	if [ "$ready" = timeout ] || ! kill -0 "$TPID" 2>/dev/null; then
		err "$tool did not become ready: $(head -c 400 "$T/err" | tr '\n' ' ')"
		stop "$TPID"
		return
	fi
	[ "$pair" = 1 ] && echo "INFO $tool ready line: $(grep -m1 -e 'trace_tcp: backend' -e COMM "$T/err" "$T/out" | sed 's/^[^:]*://')"
	if ! "$LOADGEN" -c "$LOAD_CPU" -n "$N" -m "$M" >"$T/lg.txt" 2>"$T/lg.err"; then
		err "loadgen under $tool failed: $(cat "$T/lg.err")"
	fi
	settle "$T/out" || err "$tool output never settled"
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$TPID/status" 2>/dev/null)
	stop "$TPID"
	echo "RUN tool=$tool pair=$pair alone_ips=$alone traced_ips=$(value iter_per_sec "$T/lg.txt")" \
		"ready_ms=$ready generated=$(value events_expected "$T/lg.txt") $(count "$tool")" \
		"hwm_kb=${hwm:-?} iterations=$(value iterations "$T/lg.txt") refused=$(value refused "$T/lg.txt")"
	grep -v -e '^trace_tcp: backend' -e '^trace_tcp: [0-9]* events printed' -e '^Lost [0-9]* events' "$T/err" |
		head -n 3 | sed "s/^/INFO $tool stderr: /"
	rm -f "$T/out"
}

# The overload check: 1 page per CPU, stdout into a pipe nobody reads until
# loadgen is done; then generated (loadgen's) must equal printed + lost.
# The kernel reports a ring's lost samples only inside its next successful
# write to that ring: with FLUSH=1, once the reader has drained everything,
# one refused connect per CPU (loadgen pinned there) puts that record in;
# FLUSH=0 shows what trace_tcp reports without it.
overload() {
	flush=$1
	rm -f "$T/go" "$T/ov.out" "$T/ov.err" "$T/ov.pid"
	(
		sh -c 'echo $$ >"$0"; exec "$@"' "$T/ov.pid" "$TRACE_TCP" -o json --buffer-pages 1 2>"$T/ov.err" |
			{ while [ ! -f "$T/go" ]; do nap; done; cat >"$T/ov.out"; }
	) &
	job=$!
	_i=0
	until grep -q '^trace_tcp: backend' "$T/ov.err" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt 1200 ] && { err "overload: trace_tcp never ready: $(cat "$T/ov.err")"; touch "$T/go"; return; }
		nap
	done
	"$LOADGEN" -c "$LOAD_CPU" -n "$OV_N" -m "$OV_M" >"$T/lg.txt" 2>"$T/lg.err" || err "overload loadgen failed: $(cat "$T/lg.err")"
	touch "$T/go"
	nap
	settle "$T/ov.out" || err "overload output never settled"
	extra=0
	if [ "$flush" = 1 ]; then
		for c in $(awk '/^processor/ { print $3 }' /proc/cpuinfo); do
			"$LOADGEN" -c "$c" -n 0 -m 1 >/dev/null 2>"$T/lg.err" || err "flush loadgen on CPU $c: $(cat "$T/lg.err")"
			extra=$((extra + 1))
		done
		settle "$T/ov.out"
	fi
	stop "$(cat "$T/ov.pid")"
	wait "$job" 2>/dev/null
	cp "$T/ov.err" "$T/err"
	mv "$T/ov.out" "$T/out"
	echo "OVERLOAD tool=trace_tcp buffer_pages=1 flush=$flush generated=$(($(value events_expected "$T/lg.txt") + extra)) $(count trace_tcp)"
	rm -f "$T/out" "$T/ov.out"
}

# diag WHAT ARG...: one pair, trace_tcp ARG... with its stdout to /dev/null
# (it drains its rings on exit, so no settling is needed)
diag() {
	what=$1
	shift
	loadgen_alone
	rm -f "$T/err" "$T/ready"
	"$LOADGEN" -w 'trace_tcp: backend' -r "$T/ready" -f "$T/err" -- "$TRACE_TCP" "$@" >/dev/null 2>"$T/err" &
	TPID=$!
	ready=$(wait_ready "$T/ready")
	if [ "$ready" = timeout ]; then
		err "diag $what: trace_tcp did not become ready: $(head -c 300 "$T/err")"
		stop "$TPID"
		return
	fi
	"$LOADGEN" -c "$LOAD_CPU" -n "$N" -m "$M" >"$T/lg.txt" 2>"$T/lg.err" || err "diag $what: loadgen failed: $(cat "$T/lg.err")"
	stop "$TPID"
	echo "DIAG tool=trace_tcp what=$what args=$(echo "$*" | tr ' ' '_') alone_ips=$alone" \
		"traced_ips=$(value iter_per_sec "$T/lg.txt") ready_ms=$ready generated=$(value events_expected "$T/lg.txt")" \
		"$(sed -n 's/^trace_tcp: \([0-9]*\) events printed, \([0-9]*\) lost.*/printed=\1 lost=\2/p' "$T/err")"
}

echo "INFO kernel $(uname -r) cpus $(grep -c '^processor' /proc/cpuinfo) tools: $TOOLS pairs=$PAIRS n=$N m=$M loadgen on CPU $LOAD_CPU"
echo "QUIET cpu=$LOAD_CPU busy_pct=$(cpu_busy_pct "$LOAD_CPU")"
# Warm-up (not recorded).
"$LOADGEN" -c "$LOAD_CPU" -n $((N / 4 + 1)) -m $((M / 4)) >/dev/null || err "warm-up loadgen failed"
p=1
while [ $p -le "$PAIRS" ]; do
	for tool in $TOOLS; do
		loadgen_alone
		traced "$tool" "$p"
	done
	p=$((p + 1))
done
if [ "$DIAG" = 1 ]; then
	diag json-devnull -o json
	diag columns-devnull -o columns
	diag failure-only -o json --failure-only
	diag btf-none -o json --btf none
	# With BTF the tracer picks tracepoints by itself; the kprobe plan
	# (tcp_close kprobe) for comparison, where there are kprobes.
	for f in /sys/kernel/tracing/kprobe_events /sys/kernel/debug/tracing/kprobe_events; do
		if [ -f "$f" ]; then
			diag backend-kprobe -o json --backend kprobe
			break
		fi
	done
fi
if [ "$OVERLOAD" = 1 ]; then
	overload 0
	overload 1
fi
echo "INFO tcp time-wait sockets now: $(grep -c ' 06 ' /proc/net/tcp 2>/dev/null)"
rm -rf "$WORK"
exit $STATUS
