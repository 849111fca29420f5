#!/bin/sh
# Inside the mips64el guest (no BTF, the JIT off at boot): trace_tcp's
# start-up on the backend it picks (tracepoint: on MIPS, auto leaves
# kprobes alone); then, on the tracepoint backend, five scenarios with
# the JIT on and the whole suite with it off; then no oops allowed.
#
# The kprobe backend's run is reported as skipped: this kernel has
# mipsel's kprobe single-step oops under QEMU ("Break instruction in
# kernel code" at a kprobe's slot, no kprobe current) as processes come
# and go while kprobes are hit; this suite met it in 9 of 62 boots on the
# kprobe backend (tests/qemu/README.md). Booted with TT_KPROBES=1
# (QEMU_APPEND), the guest runs it too, after the rest.
cd /payload
# A failed check prints its events, tracer stderr and record (run.sh).
export SHOW_FAILED=1
status=0
jit=/proc/sys/net/core/bpf_jit_enable
btf=absent
[ -f /sys/kernel/btf/vmlinux ] && btf=present
echo "INFO: kernel $(uname -r) $(uname -m), BTF $btf, JIT $(cat $jit)"
echo "INFO: $(./trace_tcp --version)"
./trace_tcp -v --timeout 1 >/dev/null 2>start.err
sed -nE 's/^trace_tcp: ((attached|backend).*)/INFO: guest-mips64el auto: \1/p' start.err
if ! grep -q '^trace_tcp: backend ' start.err; then
	echo "FAIL: guest-mips64el/start-up: $(tail -n 1 start.err)"
	exit 1
fi
KPROBE_WHY="this kernel's kprobe single-step oops under QEMU as processes"
KPROBE_WHY="$KPROBE_WHY come and go (tests/qemu/README.md)"

# suite LABEL BACKEND [SCENARIOS]: the e2e suite, its lines labelled;
# without BTF the tracepoint backend has its fallbacks (tcpscen's
# TT_EXPECT=fallback); one skip for the kprobe backend unless
# TT_KPROBES=1.
suite() {
	if [ "$2" = kprobe ] && [ "${TT_KPROBES:-0}" != 1 ]; then
		echo "SKIP: guest-mips64el-$1: $KPROBE_WHY"
		return
	fi
	_expect=""
	[ "$2" = tracepoint ] && [ "$btf" = absent ] && _expect=fallback
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$2 TT_EXPECT=$_expect \
		SCENARIOS="${3:-}" sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-mips64el-$1" -f ./label.awk || status=1
}

# The programs through the MIPS JIT first, then through the interpreter,
# as the kernel boots; the kprobe backend last.
if echo 1 >$jit 2>/dev/null && [ "$(cat $jit)" = 1 ]; then
	suite jit-tracepoint tracepoint \
		"connect-ok connect-refused nonblock-refused ipv6 blocked-accept"
	echo 0 >$jit
else
	echo "FAIL: guest-mips64el-jit: cannot switch the JIT on"
	status=1
fi
suite tracepoint tracepoint
suite kprobe kprobe
# No oops on the way.
oops='Oops|BUG:|Break instruction in kernel code'
if dmesg | grep -qE "$oops"; then
	echo "FAIL: guest-mips64el/kernel-clean: $(dmesg | grep -m1 -E "$oops")"
	status=1
else
	echo "PASS: guest-mips64el/kernel-clean"
fi
exit $status
