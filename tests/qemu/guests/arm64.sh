#!/bin/sh
# Inside the arm64 guest: the whole suite on the backend trace_tcp picks,
# then on each backend forced.
cd /payload
status=0
btf=absent
[ -f /sys/kernel/btf/vmlinux ] && btf=present
echo "INFO: kernel $(uname -r) $(uname -m), BTF $btf, JIT $(cat /proc/sys/net/core/bpf_jit_enable)"
echo "INFO: $(./trace_tcp --version)"
./trace_tcp -v --timeout 1 >/dev/null 2>start.err
sed -nE 's/^trace_tcp: ((attached|backend).*)/INFO: guest-arm64 auto: \1/p' start.err
# The registers probe (include/cpu_regs.h's offset) refused: sys_enter.
TRACE_TCP_REFUSE=regs ./trace_tcp -v --timeout 1 >/dev/null 2>refused.err
if grep -q 'sys_enter tracepoints (the verifier refused bpf_task_pt_regs)' refused.err; then
	echo "PASS: guest-arm64/regs-refused"
else
	echo "FAIL: guest-arm64/regs-refused: $(grep -m1 attached refused.err)"
	status=1
fi
for b in auto kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-arm64-$b" -f ./label.awk || status=1
done
exit $status
