#!/bin/sh
# Inside the guest (an older kernel): the whole suite on the backend
# trace_tcp picks by itself, on the other one, and on the kprobe backend
# with BTF hidden.
cd /payload
status=0
btf=absent
[ -f /sys/kernel/btf/vmlinux ] && btf=present
echo "INFO: kernel $(uname -r), BTF $btf"
# start_up FLAGS...: what trace_tcp makes of this kernel, as INFO lines
start_up() {
	./trace_tcp -v --timeout 1 "$@" >/dev/null 2>start.err
	sed -nE "s/^trace_tcp: ((kernel|attached|backend).*)/INFO: guest510 ${*:-auto}: \1/p" start.err
}
start_up
backend=$(sed -n 's/^trace_tcp: backend \([a-z]*\).*/\1/p' start.err)
if [ -z "$backend" ]; then
	echo "FAIL: guest510/start-up: $(tail -n 1 start.err)"
	exit 1
fi
# The backend picked by itself first, then the other one (forced).
other=kprobe
[ "$backend" = kprobe ] && other=tracepoint
start_up --backend "$other"
start_up --backend kprobe --btf none
for b in $backend $other; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest510-$b" -f ./label.awk || status=1
	TRACE_TCP=./trace_tcp BACKEND=$b sh ./fake-runtime.sh 2>&1 |
		awk -v LABEL="guest510-$b" -f ./label.awk
done
# No error report (5.14) and no sock.sk_err without BTF: a non-blocking
# connect's timeout comes as error "unknown" (an RST still tells).
TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=kprobe TRACER_FLAGS="--btf none" \
	TT_EXPECT_ERRNO=unknown \
	sh ./e2e.sh 2>&1 | awk -v LABEL="guest510-kprobe-nobtf" -f ./label.awk || status=1
TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen ALLOW_UMOUNT=1 sh ./run-errors.sh 2>&1 |
	awk -v LABEL=guest510 -f ./label.awk
exit $status
