#!/bin/sh
# Usage: tests/fuzz/run.sh SECONDS build/fuzz/TARGET...
# Each target first runs its regression inputs (tests/fuzz/regressions/
# TARGET/, each must pass), then fuzzes for SECONDS from a copy of its
# seed corpus (tests/fuzz/corpus/TARGET/; what it finds stays in the
# copy, build/fuzz/work/TARGET). One line per target: PASS with its
# executions and coverage, or FAIL and where the input that failed is.
# FUZZ_RUNS=N in the environment runs each target for N executions
# instead of SECONDS (the long runs: FUZZ_RUNS=10000000).
set -u
cd "$(dirname "$0")/../.." || exit 1
seconds=$1
shift
status=0

stat_of() {	# name log: libFuzzer's final statistic "stat::name: N"
	sed -n "s/^stat::$1: *//p" "$2" | tail -1
}

for bin in "$@"; do
	name=${bin##*/}
	work=build/fuzz/work/$name
	artifacts=build/fuzz/artifacts/$name
	log=build/fuzz/$name.log
	regressions=$(ls -d tests/fuzz/regressions/"$name"/* 2>/dev/null)
	nregressions=$(printf '%s' "$regressions" | grep -c .)
	rm -rf "$work" "$artifacts"
	mkdir -p "$work" "$artifacts"
	cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
	# shellcheck disable=SC2086 # one argument per file
	if [ -n "$regressions" ] && ! "$bin" $regressions >"$log" 2>&1; then
		echo "FAIL: fuzz-$name: a regression input fails again (see $log)"
		status=1
		continue
	fi
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit=-runs=$FUZZ_RUNS
	else
		limit=-max_total_time=$seconds
	fi
	"$bin" "$limit" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" "$work" >"$log" 2>&1
	rc=$?
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	execs=$(stat_of number_of_executed_units "$log")
	per_second=$(stat_of average_exec_per_sec "$log")
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
	crash=$(ls "$artifacts" 2>/dev/null | head -1)
	if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
		echo "FAIL: fuzz-$name: exit $rc, input $artifacts/${crash:-?} (see $log)"
		status=1
	elif [ -z "$execs" ] || [ "$execs" -eq 0 ] || [ -z "$cov" ]; then
		echo "FAIL: fuzz-$name: no executions or no coverage (see $log)"
		status=1
	else
		echo "PASS: fuzz-$name: $execs execs in ${took:-$seconds} s ($per_second/s), cov $cov, $(ls "$work" | wc -l) inputs, $nregressions regressions"
	fi
done
exit $status
