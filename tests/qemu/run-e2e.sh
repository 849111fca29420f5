#!/bin/sh
# The end-to-end suite in a QEMU guest running one of Debian's kernels,
# which have kprobes. Prints PASS/FAIL/SKIP/INFO lines.
#
# Usage: tests/qemu/run-e2e.sh [6.1|5.10]   (default 6.1)
#
#   6.1   Debian 12's kernel (this machine's release): both backends in
#         one boot, results labelled guest-*
#   5.10  Debian 11's kernel (suite bullseye): the backend trace_tcp picks
#         by itself, the other backend, and the kprobe backend with BTF
#         hidden, all scenarios each, results labelled guest510-*
#
# KERNEL=path/to/vmlinuz boots that kernel instead of Debian's.
set -eu
cd "$(dirname "$0")/../.."
generation=${1:-6.1}
case $generation in
6.1) suite="" name=qemu-guest ;;
5.10) suite=bullseye name=qemu-guest510 ;;
*) echo "run-e2e: usage: $0 [6.1|5.10]" >&2; exit 2 ;;
esac
if [ -z "${KERNEL:-}" ]; then
	KERNEL=$(sh scripts/fetch-kernel.sh ${suite:+--suite "$suite"}) || {
		echo "FAIL: $name: no kernel: scripts/fetch-kernel.sh${suite:+ --suite $suite} failed"
		exit 1
	}
fi
export KERNEL GUEST_NAME=$name

payload=$(mktemp -d)
chmod 755 "$payload"	# the not-root test runs the tracer as nobody
trap 'rm -rf "$payload"' EXIT
cp trace_tcp build/e2e/tcpscen tests/label.awk tests/e2e/run-errors.sh \
	tests/containers/fake-runtime.sh tests/containers/checks.sh "$payload/"
# The guest runs /payload/run.sh: the e2e script goes under another name.
cp tests/e2e/run.sh "$payload/e2e.sh"

if [ "$generation" = 6.1 ]; then
	cat > "$payload/run.sh" <<'GUEST'
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
GUEST
else
	export QEMU_LOG="${QEMU_LOG:-$PWD/build/qemu/console-$generation.log}"
	cat > "$payload/run.sh" <<'GUEST'
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
GUEST
fi
# Not exec: the trap above removes the payload afterwards.
status=0
bash tests/qemu/run-guest.sh "$payload" 900 || status=$?
exit $status
