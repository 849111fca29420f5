#!/bin/sh
# The end-to-end suite in a QEMU guest running one of Debian's kernels,
# which have kprobes. Prints PASS/FAIL/SKIP/INFO lines.
#
# Usage: tests/qemu/run-e2e.sh [6.1|5.10|arm64|mips64el|mipsel|armhf]   (default 6.1)
#
# 6.1 and 5.10 are Debian 12's and Debian 11's x86_64 kernels; the others
# Debian 12's kernel for that CPU, with trace_tcp from make ARCH=CPU.
# What each guest runs is its own script, tests/qemu/guests/<guest>.sh
# (x86_64-6.1.sh, x86_64-5.10.sh, CPU.sh), copied in as /payload/run.sh
# next to trace_tcp, tcpscen and the suites it drives.
#
# KERNEL=path/to/vmlinuz boots that kernel instead of Debian's.
set -eu
cd "$(dirname "$0")/../.."
generation=${1:-6.1}
case $generation in
6.1) suite="" name=qemu-guest guest_script=x86_64-6.1.sh ;;
5.10) suite=bullseye name=qemu-guest510 guest_script=x86_64-5.10.sh ;;
arm64 | mips64el | mipsel | armhf)
	suite="" name=qemu-guest-$generation guest_script=$generation.sh ;;
*) echo "run-e2e: usage: $0 [6.1|5.10|arm64|mips64el|mipsel|armhf]" >&2; exit 2 ;;
esac
# The guest's CPU, and where make puts the binaries for it.
arch=x86_64 bin=. e2e=build/e2e
case $generation in
6.1 | 5.10) ;;
*) arch=$generation bin=build/$generation e2e=build/$generation/e2e ;;
esac
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

# The guest's own script: tests/qemu/guests/<generation>.sh
cp "tests/qemu/guests/$guest_script" "$payload/run.sh"
[ "$generation" = 6.1 ] ||
	export QEMU_LOG="${QEMU_LOG:-$PWD/build/qemu/console-$generation.log}"
# Not exec: the trap above removes the payload afterwards.
status=0
bash tests/qemu/run-guest.sh "$payload" 900 || status=$?
exit $status
