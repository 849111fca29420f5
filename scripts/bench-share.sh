#!/bin/sh
# The share of the load's CPU time spent tracing it, sampled by perf: a
# figure for the host that its noise barely moves (scripts/bench.sh).
#
#   sh scripts/bench-share.sh        (as root; needs perf: linux-perf)
#
# trace_tcp runs on one CPU, loadgen on another (LOAD_CPU, the last one by
# default), and perf samples LOAD_CPU with call chains while loadgen runs.
# Of those samples, the share whose chain passes through a tracepoint's
# perf/BPF dispatch (perf_trace_*, perf_syscall_*, trace_call_bpf) is the
# time the load lost to tracing; the share inside trace_tcp's programs
# (bpf_prog_*) is the part the programs themselves cost. Both come from
# the same run, so a host that slows down moves them little, while the
# throughput ratio of two runs moves with it. 1 - share is roughly the
# throughput ratio the tracing alone would give: the reader's work on
# the other CPU is not in it.
#
# Prints one line per run: SHARE run=R tracing_pct=.. programs_pct=..
# samples=..; "ERROR ..." (exit 1) when it cannot measure.
# Settings: RUNS (3), N (30000), M (N/10), LOAD_CPU, LOADGEN, TRACE_TCP.
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
N=${N:-30000}
M=${M:-$((N / 10))}
LOADGEN=${LOADGEN:-build/bench/loadgen}
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
ncpu=$(grep -c '^processor' /proc/cpuinfo)
LOAD_CPU=${LOAD_CPU:-$((ncpu - 1))}
TRACER_CPU=$(( (LOAD_CPU + ncpu - 1) % ncpu ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v perf >/dev/null 2>&1 || { echo "ERROR perf not found (apt-get install linux-perf)"; exit 1; }
[ "$ncpu" -ge 2 ] || { echo "ERROR needs two CPUs: the load's and the tracer's"; exit 1; }

# share PERF_DATA: "tracing_pct=.. programs_pct=.. samples=.."
share() {
	perf script -i "$1" -F ip,sym 2>/dev/null | awk '
		BEGIN { RS = ""; FS = "\n" }
		{
			all++; tracing = 0; prog = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ / bpf_prog_[0-9a-f]+_/) prog = 1
				if ($i ~ /perf_trace_|trace_call_bpf|perf_syscall_enter|perf_syscall_exit/) tracing = 1
			}
			t += tracing; p += prog
		}
		END {
			if (all == 0) exit 1
			printf "tracing_pct=%.2f programs_pct=%.2f samples=%d\n", 100 * t / all, 100 * p / all, all
		}'
}

r=1
status=0
while [ $r -le "$RUNS" ]; do
	rm -f "$work/err"	# the last run's ready line must not count
	taskset -c "$TRACER_CPU" "$TRACE_TCP" -o json >"$work/out" 2>"$work/err" &
	tpid=$!
	i=0
	while ! grep -q '^trace_tcp: backend' "$work/err" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.05; i=$((i + 1))
	done
	if ! kill -0 "$tpid" 2>/dev/null; then
		echo "ERROR trace_tcp did not start: $(head -c 300 "$work/err")"
		exit 1
	fi
	# -F 10000 samples per second; loadgen pinned where perf looks
	if ! perf record -q -C "$LOAD_CPU" -F 10000 -g -o "$work/perf.data" -- \
		"$LOADGEN" -c "$LOAD_CPU" -n "$N" -m "$M" >"$work/lg" 2>"$work/perf.err"; then
		echo "ERROR perf record failed: $(head -c 300 "$work/perf.err")"
		status=1
	fi
	sleep 0.3
	kill -INT "$tpid"; wait "$tpid"
	line=$(share "$work/perf.data") || { echo "ERROR no samples in run $r"; status=1; }
	echo "SHARE run=$r $line"
	r=$((r + 1))
done
exit $status
