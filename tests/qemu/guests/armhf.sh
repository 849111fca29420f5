#!/bin/sh
# Inside the armhf guest (4-byte pointers in the records, no BTF): the
# whole suite on the backend trace_tcp picks, then on each backend
# forced, with the JIT off (the kernel's default); then with the JIT on
# (arm32's refuses BPF atomics: the object has none).
cd /payload
status=0
btf=absent
[ -f /sys/kernel/btf/vmlinux ] && btf=present
echo "INFO: kernel $(uname -r) $(uname -m), BTF $btf, JIT $(cat /proc/sys/net/core/bpf_jit_enable)"
echo "INFO: $(./trace_tcp --version)"
./trace_tcp -v --timeout 1 >/dev/null 2>start.err
sed -nE 's/^trace_tcp: ((attached|backend).*)/INFO: guest-armhf auto: \1/p' start.err
# expect B: what tcpscen expects of backend B without BTF (the tracepoint
# backend's accept and close fallbacks: tests/e2e/tcpscen).
expect() {
	[ "$1" = tracepoint ] && echo fallback
	return 0
}
# blocked_fd B: this kernel gives no sys_exit to a syscall entered before
# the syscall tracepoints were enabled: the kprobe backend reports an
# accept() blocked before its start at the graft, accept_fd -1.
blocked_fd() {
	[ "$1" = tracepoint ] || echo unknown
	return 0
}
for b in auto kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b TT_EXPECT=$(expect $b) \
		TT_EXPECT_BLOCKED_ACCEPT_FD=$(blocked_fd $b) \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-armhf-$b" -f ./label.awk || status=1
done
echo 1 > /proc/sys/net/core/bpf_jit_enable
echo "INFO: JIT $(cat /proc/sys/net/core/bpf_jit_enable)"
for b in kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b TT_EXPECT=$(expect $b) \
		TT_EXPECT_BLOCKED_ACCEPT_FD=$(blocked_fd $b) \
		SCENARIOS="connect-ok connect-refused unreach ipv6 shared-close blocked-accept" \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-armhf-jit-$b" -f ./label.awk || status=1
done
exit $status
