#!/bin/sh
# The end-to-end suite on this machine's own kernel, as root. Runs the
# backend this kernel selects by itself, then the same suite without BTF
# (the fallback a kernel without kprobes and BTF gets, with its documented
# differences asserted), and checks that forcing an unavailable backend
# fails cleanly. Prints PASS/FAIL/SKIP lines.
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: host-e2e: needs root"
	exit 0
fi
if ! ./trace_tcp --timeout 1 >/dev/null 2>build/host-probe.err; then
	echo "FAIL: host-e2e: trace_tcp cannot run here: $(head -n 1 build/host-probe.err)"
	exit 1
fi
backend=$(sed -n 's/^trace_tcp: backend \([a-z]*\).*/\1/p' build/host-probe.err)
echo "INFO: kernel $(uname -r), auto backend: $backend"

# A failed check keeps its events, the tracer's stderr and the scenario's
# record here (tests/e2e/run.sh), and says so.
KEEP_FAILED_DIR=$PWD/build/failed
export KEEP_FAILED_DIR

suite() {	# label, then env assignments for tests/e2e/run.sh
	label=$1; shift
	env TRACE_TCP=./trace_tcp TCPSCEN=build/e2e/tcpscen "$@" sh tests/e2e/run.sh 2>&1 |
		awk -v LABEL="$label" -f tests/label.awk
}

suite "host-$backend" BACKEND="$backend"
suite "host-tracepoint-nobtf" BACKEND=tracepoint TRACER_FLAGS="--btf none" TT_EXPECT=fallback

# A kernel before inet_sk_error_report (5.14), hidden here (see
# loader/kernel/inject.h): a failed connect's errno from sock.sk_err (BTF),
# and without that member an RST's from tcp_receive_reset; what neither
# tells (a non-blocking connect timing out) comes as error "unknown".
FAILURES="connect-refused nonblock-refused timeout nonblock-timeout
	nonblock-timeout-raced unreach
	icmp-unreach abort-close abort-kill"
suite "host-$backend-no-error-report" BACKEND="$backend" \
	TRACE_TCP_HIDE=error-report SCENARIOS="$FAILURES"
suite "host-$backend-no-errno-source" BACKEND="$backend" \
	TRACE_TCP_HIDE=error-report,sock-err TT_EXPECT_ERRNO=unknown \
	SCENARIOS="$FAILURES"

# A kernel before the BPF ring buffer (5.8), hidden likewise: every event
# through the per-CPU perf rings (full-rate: none lost from them at this
# machine's loopback rate).
suite "host-$backend-perf-rings" BACKEND="$backend" TRACE_TCP_HIDE=ringbuf \
	SCENARIOS="connect-ok nonblock-refused ipv6 shared-close blocked-accept flags
	full-rate"

# A kernel whose IRQ work waits for the timer tick (MIPS), hidden
# likewise: the connection tables preallocated, not allocated on use.
suite "host-$backend-preallocated" BACKEND="$backend" TRACE_TCP_HIDE=irq_work \
	SCENARIOS="connect-ok nonblock-refused shared-close lifetime tables full-rate"

# The command line ig users know: output modes, --fields, filters.
TRACE_TCP=./trace_tcp python3 tests/e2e/run-cli.py 2>&1 | awk -v LABEL=host -f tests/label.awk

TRACE_TCP=./trace_tcp TCPSCEN=build/e2e/tcpscen sh tests/e2e/run-errors.sh 2>&1 | awk -v LABEL=host -f tests/label.awk

# Syscall arguments: from the registers on the tracepoint backend with the
# kernel's BTF on 5.15+ (no sys_enter tracepoint attached; the suites above
# check the fds they give), from sys_enter_* without BTF.
attached() { ./trace_tcp -v --timeout 1 "$@" 2>&1 >/dev/null | grep '^trace_tcp: attached:'; }
release=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ "$backend" != tracepoint ] || [ ! -f /sys/kernel/btf/vmlinux ] || [ "$release" -lt 5015 ]; then
	echo "SKIP: host/syscall-args-from-registers: needs the tracepoint backend, BTF and 5.15+"
else
	with=$(attached) without=$(attached --btf none)
	case $with in
	*sys_enter_*) echo "FAIL: host/syscall-args-from-registers: $with" ;;
	*"sys_exit_connect"*"sys_exit_accept4"*"from the task's registers") echo "PASS: host/syscall-args-from-registers" ;;
	*) echo "FAIL: host/syscall-args-from-registers: $with" ;;
	esac
	case $without in
	*"sys_enter_connect"*"from sys_enter tracepoints") echo "PASS: host/syscall-args-from-sys-enter-without-btf" ;;
	*) echo "FAIL: host/syscall-args-from-sys-enter-without-btf: $without" ;;
	esac
fi

# The fallbacks for a verifier that refuses BTF-typed loads (probe reads)
# and bpf_task_pt_regs (sys_enter tracepoints), where this kernel has both:
# the refusals are injected (loader/kernel/inject.h) and are the verifier's own.
# The tracer says so under -v, prints no verifier log (the fallback mended
# it), and the whole suite passes as it does without them.
modes=$(./trace_tcp -v --timeout 1 2>&1 >/dev/null)
case $modes in
*"read by BTF-typed loads"*"from the task's registers"*)
	refused=$(TRACE_TCP_REFUSE=btf-reads,regs ./trace_tcp -v --timeout 1 2>&1 >/dev/null)
	case $refused in
	*"verifier log"*) echo "FAIL: host/refusals-mended: a verifier log was printed: $refused" ;;
	*"probe reads (the verifier refused BTF-typed loads)"*"sys_enter_connect"*"sys_enter tracepoints (the verifier refused bpf_task_pt_regs)"*)
		echo "PASS: host/refusals-mended" ;;
	*) echo "FAIL: host/refusals-mended: $refused" ;;
	esac
	suite "host-$backend-refused" BACKEND="$backend" TRACE_TCP_REFUSE=btf-reads,regs
	;;
*) echo "SKIP: host/refusals-mended: this kernel has no BTF-typed loads or registers mode to refuse" ;;
esac

# A kernel without kprobes: --backend kprobe is one clear error, exit 1.
if [ "$backend" = tracepoint ]; then
	if ./trace_tcp --backend kprobe --timeout 1 >/dev/null 2>build/forced.err; then
		echo "FAIL: host/forced-kprobe-refused: it ran"
	elif [ "$(wc -l <build/forced.err)" -eq 1 ] && grep -q 'no kprobes' build/forced.err; then
		echo "PASS: host/forced-kprobe-refused"
	else
		echo "FAIL: host/forced-kprobe-refused: stderr was: $(cat build/forced.err)"
	fi
else
	echo "SKIP: host/forced-kprobe-refused: this kernel has kprobes"
fi
