#!/bin/sh
# The end-to-end suite in a QEMU guest running one of Debian's kernels,
# which have kprobes. Prints PASS/FAIL/SKIP/INFO lines.
#
# Usage: tests/qemu/run-e2e.sh [6.1|5.10|arm64|mips64el|armhf]   (default 6.1)
#
#   6.1   Debian 12's kernel (this machine's release): both backends in
#         one boot, results labelled guest-*
#   5.10  Debian 11's kernel (suite bullseye): the backend trace_tcp picks
#         by itself, the other backend, and the kprobe backend with BTF
#         hidden, all scenarios each, results labelled guest510-*
#   arm64 Debian 12's arm64 kernel on QEMU's virt machine (Cortex-A57),
#         trace_tcp from make ARCH=arm64: all scenarios on the backend
#         trace_tcp picks (--backend auto), then with each backend
#         forced, results labelled guest-arm64-*
#   mips64el Debian 12's 5kc-malta kernel on QEMU's Malta board (5KEc,
#         no BTF, the JIT off), trace_tcp from make ARCH=mips64el: all
#         scenarios on the backend trace_tcp picks (kprobe), and five
#         with the JIT switched on first, results labelled guest-mips64el-*
#   armhf Debian 12's armmp-lpae kernel (32-bit ARM, no BTF, JIT off at
#         boot) on QEMU's virt machine (Cortex-A15), trace_tcp from make
#         ARCH=armhf: the same three runs with the JIT off, then a few
#         scenarios with it on, results labelled guest-armhf-*
#
# KERNEL=path/to/vmlinuz boots that kernel instead of Debian's.
set -eu
cd "$(dirname "$0")/../.."
generation=${1:-6.1}
case $generation in
6.1) suite="" name=qemu-guest ;;
5.10) suite=bullseye name=qemu-guest510 ;;
arm64) suite="" name=qemu-guest-arm64 ;;
mips64el) suite="" name=qemu-guest-mips64el ;;
armhf) suite="" name=qemu-guest-armhf ;;
*) echo "run-e2e: usage: $0 [6.1|5.10|arm64|mips64el|armhf]" >&2; exit 2 ;;
esac
# The guest's CPU, and where make puts the binaries for it.
arch=x86_64 bin=. e2e=build/e2e
if [ "$generation" = arm64 ]; then
	arch=arm64 bin=build/arm64 e2e=build/arm64/e2e
fi
if [ "$generation" = mips64el ]; then
	arch=mips64el bin=build/mips64el e2e=build/mips64el/e2e
fi
if [ "$generation" = armhf ]; then
	arch=armhf bin=build/armhf e2e=build/armhf/e2e
fi
fetch="${suite:+--suite $suite}"
[ "$arch" = x86_64 ] || fetch="--arch $arch"
if [ -z "${KERNEL:-}" ]; then
	# shellcheck disable=SC2086 # fetch is two words or none
	KERNEL=$(sh scripts/fetch-kernel.sh $fetch) || {
		echo "FAIL: $name: no kernel: scripts/fetch-kernel.sh $fetch failed"
		exit 1
	}
fi
export KERNEL GUEST_NAME=$name GUEST_ARCH=$arch
[ -x "$bin/trace_tcp" ] && [ -x "$e2e/tcpscen" ] || {
	echo "FAIL: $name: no $bin/trace_tcp or $e2e/tcpscen (make -s all ARCH=$arch first)"
	exit 1
}

payload=$(mktemp -d)
chmod 755 "$payload"	# the not-root test runs the tracer as nobody
trap 'rm -rf "$payload"' EXIT
cp "$bin/trace_tcp" "$e2e/tcpscen" tests/label.awk tests/e2e/run-errors.sh \
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
elif [ "$generation" = arm64 ]; then
	export QEMU_LOG="${QEMU_LOG:-$PWD/build/qemu/console-arm64.log}"
	cat > "$payload/run.sh" <<'GUEST'
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
GUEST
elif [ "$generation" = mips64el ]; then
	export QEMU_LOG="${QEMU_LOG:-$PWD/build/qemu/console-mips64el.log}"
	cat > "$payload/run.sh" <<'GUEST'
#!/bin/sh
# Inside the mips64el guest (no BTF, the JIT off at boot): five
# scenarios with the JIT on, then the whole suite with it off, on the
# backend trace_tcp picks.
cd /payload
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
GUEST
elif [ "$generation" = armhf ]; then
	export QEMU_LOG="${QEMU_LOG:-$PWD/build/qemu/console-armhf.log}"
	cat > "$payload/run.sh" <<'GUEST'
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
# unsupported B: on this kernel a syscall entered before the syscall
# tracepoints were enabled returns without its exit event (seen with
# tracefs alone), so the kprobe backend, which takes an accept at
# sys_exit_accept, cannot see an accept() blocked before the start.
unsupported() {
	[ "$1" = tracepoint ] || echo blocked-accept
	return 0
}
WHY="this kernel gives no sys_exit for a syscall entered before tracing"
for b in auto kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b TT_EXPECT=$(expect $b) \
		UNSUPPORTED="$(unsupported $b)" UNSUPPORTED_WHY="$WHY" \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-armhf-$b" -f ./label.awk || status=1
done
echo 1 > /proc/sys/net/core/bpf_jit_enable
echo "INFO: JIT $(cat /proc/sys/net/core/bpf_jit_enable)"
for b in kprobe tracepoint; do
	TRACE_TCP=./trace_tcp TCPSCEN=./tcpscen BACKEND=$b TT_EXPECT=$(expect $b) \
		UNSUPPORTED="$(unsupported $b)" UNSUPPORTED_WHY="$WHY" \
		SCENARIOS="connect-ok connect-refused unreach ipv6 shared-close blocked-accept" \
		sh ./e2e.sh 2>&1 |
		awk -v LABEL="guest-armhf-jit-$b" -f ./label.awk || status=1
done
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
