#!/bin/bash
# How high the host's throughput ratio can go: two experiment builds of
# trace_tcp's programs, never shipped, and the kernel's dispatch alone,
# against the shipped build, in interleaved rounds on this machine's
# kernel.
#   noop       every program returns at once: the kernel's per-hit
#              perf/BPF dispatch by itself, as trace_tcp attaches;
#   no-output  the programs do all their work but never write to the
#              ring: following the connections, with nothing printed;
#   perf-min   tests/bench/dispatch perf: one two-instruction program on
#              the same tracepoints through perf events (noop without
#              trace_tcp's user side: the two should agree);
#   raw-min    tests/bench/dispatch raw: the same as raw tracepoints
#              (BPF_RAW_TRACEPOINT_OPEN), which trace_tcp does not use:
#              what that mechanism would spare.
# Each round runs loadgen alone, then under each (the tracer on
# TRACER_CPU, loadgen on LOAD_CPU, output to a file); per build, the
# median of the rounds' traced/alone ratios.
#
#   bash scripts/bench-floor.sh      (as root, after make; about a minute)
#
# Prints "FLOOR build=NAME median=R ratios=..." per build.
# Settings: ROUNDS (9), N (20000), M (2000), LOAD_CPU (the last CPU),
# TRACER_CPU (the one before it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
me=bench-floor
die() { echo "$me: $*" >&2; exit 1; }

ROUNDS=${ROUNDS:-9}
N=${N:-20000}
M=${M:-2000}
ncpu=$(grep -c '^processor' /proc/cpuinfo)
LOAD_CPU=${LOAD_CPU:-$((ncpu - 1))}
TRACER_CPU=${TRACER_CPU:-$(((LOAD_CPU + ncpu - 1) % ncpu))}
[ "$(id -u)" = 0 ] || die "run as root"
[ -x trace_tcp ] || die "build first (make)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

loadgen=$root/build/bench/loadgen dispatch=$root/build/bench/dispatch
make -s build/bench/loadgen build/bench/dispatch || die "building loadgen and dispatch failed"

# variant NAME PERL_EXPR WANT: a copy of the tree with the programs'
# source patched; WANT = how many places the patch must change.
variant() {
	local dir=$work/$1 changed
	mkdir -p "$dir"
	tar -c --exclude=./build --exclude=./.cache --exclude=./.git . | tar -x -C "$dir"
	changed=$(cd "$dir" && perl -0pi -e "\$n += ($2); END { print STDERR \$n + 0 }" \
		bpf/*.h bpf/*.c 2>&1 >/dev/null | awk '{ s += $1 } END { print s + 0 }')
	[ "$changed" = "$3" ] || die "$1: the patch changed $changed places, not $3: bpf/ changed shape"
	make -s -C "$dir" trace_tcp >/dev/null || die "$1: build failed"
}
nprogs=$(grep -ch '^SEC("\(tracepoint\|kprobe\)/' bpf/*.h bpf/*.c | awk '{ s += $1 } END { print s }')
variant noop 's/^(SEC\("(?:tracepoint|kprobe)\/[^"]*"\)\nint tt_\w+\([^)]*\)\n\{\n)/$1\tif (1) return 0;\n/mg' "$nprogs"
variant no-output 's/^(static __always_inline void emit\(void \*ctx, struct tt_event \*e\)\n\{\n)/$1\tif (1) return;\n/mg' 1

ips() { sed -n 's/^loadgen .*iter_per_sec=\([0-9.]*\).*/\1/p' "$1"; }
builds="shipped noop no-output perf-min raw-min"
declare -A run=(
	[shipped]="$root/trace_tcp -o json" [noop]="$work/noop/trace_tcp -o json"
	[no-output]="$work/no-output/trace_tcp -o json"
	[perf-min]="$dispatch perf" [raw-min]="$dispatch raw"
)
"$loadgen" -c "$LOAD_CPU" -n $((N / 4)) -m $((M / 4)) >/dev/null	# warm-up
for ((r = 1; r <= ROUNDS; r++)); do
	"$loadgen" -c "$LOAD_CPU" -n "$N" -m "$M" >"$work/lg" || die "loadgen failed"
	alone=$(ips "$work/lg")
	for b in $builds; do
		rm -f "$work/err"
		# shellcheck disable=SC2086 # the command and its arguments
		taskset -c "$TRACER_CPU" ${run[$b]} >"$work/out" 2>"$work/err" &
		tpid=$!
		for ((i = 0; i < 300; i++)); do
			grep -q '^trace_tcp: backend\|^dispatch: ready' "$work/err" 2>/dev/null && break
			kill -0 "$tpid" 2>/dev/null || die "$b did not start: $(head -c 300 "$work/err")"
			sleep 0.02
		done
		"$loadgen" -c "$LOAD_CPU" -n "$N" -m "$M" >"$work/lg" || die "loadgen under $b failed"
		sleep 0.2
		kill -INT "$tpid"
		wait "$tpid" || die "$b exited with an error: $(tail -n 2 "$work/err")"
		echo "$b $(awk -v t="$(ips "$work/lg")" -v a="$alone" 'BEGIN { printf "%.4f", t / a }')" >>"$work/ratios"
	done
done
for b in $builds; do
	awk -v b="$b" '$1 == b { r[++n] = $2; all = all " " $2 }
		END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
		      printf "FLOOR build=%s median=%.3f ratios=%s\n", b, r[int((n + 1) / 2)], substr(all, 2) }' "$work/ratios"
done
