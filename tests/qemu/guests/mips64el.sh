#!/bin/sh
# Inside the mips64el guest (no BTF, the JIT off at boot): five
# scenarios with the JIT on, then the whole suite with it off, on the
# backend trace_tcp picks.
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
# The backend auto picked, named, so that its own checks (the kprobe
# hygiene after SIGINT and kill -9) run too.
backend=$(sed -n 's/^trace_tcp: backend \([a-z]*\).*/\1/p' start.err)
if [ -z "$backend" ]; then
	echo "FAIL: guest-mips64el/start-up: $(tail -n 1 start.err)"
	exit 1
fi
# The JIT on first: the programs go through the MIPS JIT. (Switched on
# after the whole suite's kprobe churn instead, Debian's 6.1.0-50 twice
# in four boots oopsed with "Break instruction in kernel code" at a
# kprobe's single-step slot, in tcp_close or tcp_v4_connect, and hung.)
if echo 1 >$jit 2>/dev/null && [ "$(cat $jit)" = 1 ]; then
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$backend \
		SCENARIOS="connect-ok connect-refused nonblock-refused ipv6 blocked-accept" \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-mips64el-jit" -f ./label.awk || status=1
	echo 0 >$jit
else
	echo "FAIL: guest-mips64el-jit: cannot switch the JIT on"
	status=1
fi
# Then every scenario with the JIT off, as the kernel boots.
TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$backend sh ./e2e.sh 2>&1 |
	awk -v LABEL="guest-mips64el-$backend" -f ./label.awk || status=1
# No oops on the way.
oops='Oops|BUG:|Break instruction in kernel code'
if dmesg | grep -qE "$oops"; then
	echo "FAIL: guest-mips64el/kernel-clean: $(dmesg | grep -m1 -E "$oops")"
	status=1
else
	echo "PASS: guest-mips64el/kernel-clean"
fi
exit $status
