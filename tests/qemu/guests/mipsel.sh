#!/bin/sh
# Inside the mipsel guest (32-bit MIPS: 4-byte pointers in the records,
# no BTF, the JIT off at boot). trace_tcp's start-up on the backend it
# picks (tracepoint: on MIPS, auto leaves kprobes alone); then, on the
# tracepoint backend, a few scenarios with the JIT on and the whole suite
# with it off; then no oops allowed.
#
# The kprobe backend's runs are reported as skipped: under QEMU this
# kernel oopses at a kprobe's single-step slot ("Break instruction in
# kernel code", the current kprobe gone when the copied instruction's
# break is reached) once processes come and go while kprobes are hit,
# with tracefs kprobes alone, no BPF (tests/qemu/README.md). Booted with
# TT_KPROBES=1 (QEMU_APPEND), the guest runs them too, after the rest.
cd /payload
status=0
jit=/proc/sys/net/core/bpf_jit_enable
btf=absent
[ -f /sys/kernel/btf/vmlinux ] && btf=present
echo "INFO: kernel $(uname -r) $(uname -m), BTF $btf, JIT $(cat $jit)"
echo "INFO: $(./trace_tcp --version)"
./trace_tcp -v --timeout 1 >/dev/null 2>start.err
sed -nE 's/^trace_tcp: ((attached|backend).*)/INFO: guest-mipsel auto: \1/p' \
	start.err
backend=$(sed -n 's/^trace_tcp: backend \([a-z]*\).*/\1/p' start.err)
if [ -z "$backend" ]; then
	echo "FAIL: guest-mipsel/start-up: $(tail -n 1 start.err)"
	exit 1
fi
JIT_SCENARIOS="connect-ok connect-refused nonblock-refused unreach ipv6
	shared-close blocked-accept"
KPROBE_WHY="under QEMU this kernel oopses at a kprobe's single-step slot"
KPROBE_WHY="$KPROBE_WHY as processes come and go (tracefs kprobes alone;"
KPROBE_WHY="$KPROBE_WHY tests/qemu/README.md)"

# expect B: what tcpscen expects of backend B without BTF (the tracepoint
# backend's accept and close fallbacks: tests/e2e/tcpscen).
expect() {
	[ "$1" = tracepoint ] && [ "$btf" = absent ] && echo fallback
	return 0
}
# runs B: does this boot run backend B?
runs() {
	[ "$1" != kprobe ] || [ "${TT_KPROBES:-0}" = 1 ]
}
# suite LABEL B [SCENARIOS]: the e2e suite on backend B, its lines
# labelled; one skip where this boot does not run B.
suite() {
	if ! runs "$2"; then
		echo "SKIP: guest-mipsel-$1: $KPROBE_WHY"
		return
	fi
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$2 \
		TT_EXPECT=$(expect "$2") SCENARIOS="${3:-}" \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-mipsel-$1" -f ./label.awk || status=1
}
# jitted B: do B's programs run as MIPS code? With bpf_jit_kallsyms each
# JIT image is a bpf_prog_ symbol while trace_tcp runs.
jitted() {
	./trace_tcp --backend "$1" --timeout 5 >/dev/null 2>jit.err &
	_pid=$!
	_n=0
	while [ $_n -lt 40 ] && ! grep -q '^trace_tcp: backend' jit.err; do
		sleep 0.5
		_n=$((_n + 1))
	done
	_progs=$(grep -c ' bpf_prog_' /proc/kallsyms)
	wait $_pid
	if [ "$_progs" -gt 0 ]; then
		echo "PASS: guest-mipsel-jit-$1/jitted ($_progs JIT images)"
	else
		echo "FAIL: guest-mipsel-jit-$1/jitted: no bpf_prog_ symbol" \
			"in /proc/kallsyms: $(tail -n 1 jit.err)"
		status=1
	fi
}
# jit_suite B: B's programs through the MIPS32 JIT.
jit_suite() {
	if ! runs "$1"; then
		echo "SKIP: guest-mipsel-jit-$1: $KPROBE_WHY"
		return
	fi
	if echo 1 >$jit 2>/dev/null && [ "$(cat $jit)" = 1 ]; then
		echo 1 >/proc/sys/net/core/bpf_jit_kallsyms 2>/dev/null
		jitted "$1"
		suite "jit-$1" "$1" "$JIT_SCENARIOS"
		echo 0 >$jit
	else
		echo "FAIL: guest-mipsel-jit-$1: cannot switch the JIT on"
		status=1
	fi
}

# What does not need kprobes first, the JIT on, then off as the kernel
# boots; the kprobe backend's runs last.
for b in tracepoint kprobe; do
	jit_suite "$b"
	suite "$b" "$b"
done
# No oops on the way.
oops='Oops|BUG:|Break instruction in kernel code'
if dmesg | grep -qE "$oops"; then
	echo "FAIL: guest-mipsel/kernel-clean: $(dmesg | grep -m1 -E "$oops")"
	status=1
else
	echo "PASS: guest-mipsel/kernel-clean"
fi
exit $status
