#!/bin/sh
# The whole test suite: installs what it needs, builds, runs the unit
# tests, a few seconds of fuzzing of every parser of outside input, the
# end-to-end suite on this machine's kernel, the container scenarios
# with real Podman and Docker, and the kprobe suite in QEMU guests
# running Debian's kernels (6.1 and 5.10, and 6.1 for arm64, mips64el,
# armhf and mipsel, with trace_tcp cross-built by make
# ARCH=arm64|mips64el|armhf|mipsel). Every test prints
# "PASS: name", "FAIL: name: why" or "SKIP: name: why"; the last line is
# "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
log=build/test-results.txt
mkdir -p build
rm -rf build/failed	# a failed check's files, of this run only
: > "$log"
: > "$log.raw"

run_stage() {	# name command...: run it, keep its PASS/FAIL/SKIP lines
	stage=$1; shift
	echo "== $stage"
	started=$(date +%s)
	"$@" 2>&1 | tee -a "$log.raw" | grep -E '^(PASS|FAIL|SKIP|INFO): ' | tee -a "$log"
	echo "INFO: stage $stage took $(($(date +%s) - started)) s" | tee -a "$log"
	return 0
}

stage_build() {
	if sh scripts/install-deps.sh test >build/install.log 2>&1 && make -s all >build/make.log 2>&1; then
		echo "PASS: build"
		grep -h '^trace_tcp:' build/make.log || true
	else
		echo "FAIL: build: see build/install.log and build/make.log"
		tail -20 build/install.log build/make.log >&2
	fi
}

stage_build_cross() {	# ARCH: its packages and its static binary
	if sh scripts/install-deps.sh test "$1" >"build/install-$1.log" 2>&1 &&
		make -s all ARCH="$1" >"build/make-$1.log" 2>&1; then
		echo "PASS: build-$1"
		grep -h "^build/$1/trace_tcp:" "build/make-$1.log" || true
	else
		echo "FAIL: build-$1: see build/install-$1.log and build/make-$1.log"
		tail -20 "build/install-$1.log" "build/make-$1.log" >&2
	fi
}

# The soak and the flood, short (tests/soak/run.sh; make soak for the long
# form).
stage_soak() {
	if make -s build/soak/flood build/bench/loadgen >build/make-soak.log 2>&1; then
		SHORT=1 sh tests/soak/run.sh
	else
		echo "FAIL: soak: build failed, see build/make-soak.log"
	fi
}

stage_fuzz() {	# each target a few seconds, after its regression inputs
	if make -s -j2 fuzz-build >build/make-fuzz.log 2>&1; then
		make -s fuzz FUZZ_SECONDS=3
	else
		echo "FAIL: fuzz-build: see build/make-fuzz.log"
		tail -20 build/make-fuzz.log >&2
	fi
}

run_stage build stage_build
run_stage build-arm64 stage_build_cross arm64
run_stage build-mips64el stage_build_cross mips64el
run_stage build-armhf stage_build_cross armhf
run_stage build-mipsel stage_build_cross mipsel
run_stage unit make -s unit
# Each parser of outside input fuzzed (tests/fuzz/README.md).
run_stage fuzz stage_fuzz
[ -x tests/dist/run.sh ] && run_stage dist sh tests/dist/run.sh
[ -x tests/e2e/run-host.sh ] && run_stage e2e-host sh tests/e2e/run-host.sh
run_stage soak stage_soak
[ -x tests/containers/run.sh ] && run_stage containers sh tests/containers/run.sh
# The OCI image (make image) and the Kubernetes DaemonSet (tests/image/README.md).
[ -x tests/image/run.sh ] && run_stage image sh tests/image/run.sh
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu sh tests/qemu/run-e2e.sh
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu-5.10 sh tests/qemu/run-e2e.sh 5.10
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu-arm64 sh tests/qemu/run-e2e.sh arm64
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu-armhf sh tests/qemu/run-e2e.sh armhf
# mipsel: the kprobe backend's scenarios are reported as skipped there
# (tests/qemu/guests/mipsel.sh says why).
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu-mipsel sh tests/qemu/run-e2e.sh mipsel
[ -x tests/qemu/run-e2e.sh ] && run_stage e2e-qemu-mips64el sh tests/qemu/run-e2e.sh mips64el

passed=$(grep -c '^PASS: ' "$log")
failed=$(grep -c '^FAIL: ' "$log")
skipped=$(grep -c '^SKIP: ' "$log")
if [ "$failed" -gt 0 ]; then
	echo "INFO: what the suite printed, details included: build/test-results.txt.raw"
	[ -d build/failed ] &&
		echo "INFO: failed checks' events, tracer stderr and scenario records: build/failed/"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
