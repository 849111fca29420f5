#!/bin/sh
# Inside the guest: the e2e suite on each backend.
cd /payload
status=0
echo "INFO: kernel $(uname -r)"
for backend in kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$backend sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-$backend" -f ./label.awk || status=1
	# Containers by hand (no runtime in the guest): attribution of
	# accept and close on this backend, names, filters.
	TRACE_TCP=./trace_tcp BACKEND=$backend sh ./fake-runtime.sh 2>&1 |
		awk -v LABEL="guest-$backend" -f ./label.awk
done
# Kprobes without BTF: failures before the SYN come from the
# tcp_v{4,6}_connect kprobes instead of the fd walk.
TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=kprobe TRACER_FLAGS="--btf none" \
	SCENARIOS="connect-ok connect-refused unreach" sh ./e2e.sh 2>&1 |
	awk -v LABEL="guest-kprobe-nobtf" -f ./label.awk || status=1
TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen ALLOW_UMOUNT=1 sh ./run-errors.sh 2>&1 | awk -v LABEL=guest -f ./label.awk
exit $status
