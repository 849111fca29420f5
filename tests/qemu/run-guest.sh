#!/bin/bash
# Boot Debian's kernel in a QEMU guest (software emulation) with a busybox
# initramfs, run PAYLOAD_DIR/run.sh inside it, and report its output.
#
# Usage: tests/qemu/run-guest.sh PAYLOAD_DIR [TIMEOUT_SECONDS]   (default 600)
#
# PAYLOAD_DIR is copied whole to /payload in the guest (modes kept); the
# guest runs `sh /payload/run.sh` from /payload with /payload on PATH.
# Stdout: exactly the payload's output lines (stdout and stderr merged).
# Exit status: the payload's exit status, or 1 with a "FAIL: qemu-guest: ..."
# line and the end of the console log if the guest never reported one.
#
# Environment:
#   KERNEL       vmlinuz to boot (default: the one scripts/fetch-kernel.sh gives)
#   QEMU_APPEND  extra kernel command-line arguments
#   QEMU_EXTRA   extra qemu arguments (split on blanks)
#   QEMU_LOG     console log path (default: <repo>/build/qemu/console.log)
#   GUEST_NAME   test name of the FAIL line above (default: qemu-guest)
#   GUEST_ARCH   the guest's CPU: x86_64 (default), arm64 or armhf (QEMU's virt
#                machine with a Cortex-A57 or A15; KERNEL and the static busybox
#                of that CPU from scripts/fetch-kernel.sh and
#                scripts/fetch-busybox.sh --arch/ARCH), or mips64el or
#                mipsel (QEMU's Malta board with a 5KEc or a 24Kc, one vCPU,
#                256 MiB)
set -eu
set -o pipefail

me=run-guest
die() { echo "$me: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 PAYLOAD_DIR [TIMEOUT_SECONDS]"
payload=$1
tmo=${2:-600}
case $tmo in '' | *[!0-9]*) die "TIMEOUT_SECONDS must be a number, not '$tmo'" ;; esac
[ -d "$payload" ] || die "payload directory '$payload' does not exist"
[ -f "$payload/run.sh" ] || die "payload directory '$payload' has no run.sh"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

guest_arch=${GUEST_ARCH:-x86_64}
smp=2 mem=1024	# vCPUs and MiB, unless the machine takes fewer
case $guest_arch in
x86_64)
	qemu=qemu-system-x86_64
	# -cpu max: the x86_64 guest's kernel uses what the host's CPU offers.
	machine=(-cpu max)
	console=ttyS0
	;;
arm64)
	qemu=qemu-system-aarch64
	# cortex-a57: -cpu max emulates far more (pointer auth...), 3x slower.
	machine=(-M virt -cpu cortex-a57)
	console=ttyAMA0
	;;
mips64el)
	qemu=qemu-system-mips64el
	# The Malta board of Debian's 5kc-malta kernel (an ELF vmlinuz):
	# one 5KEc CPU, and 256 MiB is as much as its memory map takes.
	machine=(-M malta -cpu 5KEc)
	console=ttyS0
	smp=1 mem=256
	;;
mipsel)
	qemu=qemu-system-mipsel
	# The Malta board of Debian's 4kc-malta kernel (an ELF vmlinuz):
	# one 24Kc (MIPS32r2), and 256 MiB, as much as its memory map takes.
	machine=(-M malta -cpu 24Kc)
	console=ttyS0
	smp=1 mem=256
	;;
armhf)
	qemu=qemu-system-arm
	# QEMU builds the virt machine's device tree; the LPAE kernel needs
	# a Cortex-A15 (or A7).
	machine=(-M virt -cpu cortex-a15)
	# Debian's 6.1 armmp-lpae stops before /init under single-threaded
	# TCG with 2 vCPUs, and with 1024 MB (highmem): one vCPU, 512 MB.
	smp=1 mem=512
	console=ttyAMA0
	;;
*) die "GUEST_ARCH=$guest_arch: x86_64, arm64, armhf, mipsel or mips64el" ;;
esac
"$root/scripts/install-deps.sh" test "$guest_arch" >&2 ||
	die "scripts/install-deps.sh test $guest_arch failed"

busybox=/bin/busybox
[ -x "$busybox" ] || busybox=$(command -v busybox || true)
[ -n "$busybox" ] && [ -x "$busybox" ] || die "busybox not found (install busybox-static)"
# On Debian /bin/busybox is static only if it comes from busybox-static.
if [ "$busybox" = /bin/busybox ] && command -v dpkg-query >/dev/null &&
	! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
	die "$busybox is not from busybox-static; the guest needs a static busybox"
fi
command -v $qemu >/dev/null || die "$qemu not found (scripts/install-deps.sh test $guest_arch)"

# The guest's busybox: the host's own on x86_64, else that CPU's.
guest_busybox=$busybox
if [ "$guest_arch" != x86_64 ]; then
	guest_busybox=$("$root/scripts/fetch-busybox.sh" "$guest_arch") ||
		die "could not obtain busybox-static:$guest_arch (scripts/fetch-busybox.sh failed)"
fi
fetch_arch=""
[ "$guest_arch" = x86_64 ] || fetch_arch="--arch $guest_arch"
if [ -n "${KERNEL:-}" ]; then
	vmlinuz=$KERNEL
else
	# shellcheck disable=SC2086 # fetch_arch is two words or none
	vmlinuz=$("$root/scripts/fetch-kernel.sh" $fetch_arch) ||
		die "could not obtain a kernel (scripts/fetch-kernel.sh $fetch_arch failed)"
fi
[ -f "$vmlinuz" ] || die "kernel image '$vmlinuz' does not exist"

log=${QEMU_LOG:-$root/build/qemu/console.log}
mkdir -p "$(dirname "$log")"
: >"$log"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-guest.XXXXXX")
qpid=""
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- initramfs --------------------------------------------------------------
rd=$tmp/root
mkdir -p "$rd/bin" "$rd/dev" "$rd/proc" "$rd/sys" "$rd/tmp" "$rd/etc" "$rd/root" "$rd/payload"
cp "$guest_busybox" "$rd/bin/busybox"
cp "$here/guest-init.sh" "$rd/init"
chmod 0755 "$rd/bin/busybox" "$rd/init"
chmod 1777 "$rd/tmp"
cp -a "$payload/." "$rd/payload/" || die "cannot copy payload '$payload'"
(cd "$rd" && find . | "$busybox" cpio -o -H newc -R 0:0 2>"$tmp/cpio.err" | gzip -1 >"$tmp/initrd.gz") ||
	die "building the initramfs failed: $(head -n 3 "$tmp/cpio.err")"

# ---- boot -------------------------------------------------------------------
nonce="$$x$RANDOM$RANDOM"
append="console=$console quiet panic=-1 TT_NONCE=$nonce TT_EPOCH=$(date +%s)"
[ -n "${QEMU_APPEND:-}" ] && append="$append $QEMU_APPEND"
# shellcheck disable=SC2206 # QEMU_EXTRA is split on purpose
extra=(${QEMU_EXTRA:-})

t0=$(date +%s.%N)
set +e
# KVM guests hang on these machines: always TCG. Single-threaded TCG:
# with one host thread per vCPU (MTTCG), cross-vCPU kernel text patching
# (kprobe arm/disarm) twice left both vCPUs in a soft lockup and once
# oopsed in a patched function; the guest is slower but deterministic.
timeout -k 10 "$tmo" $qemu \
	-accel tcg,thread=single "${machine[@]}" -smp "$smp" -m "$mem" \
	-nographic -monitor none -serial "file:$log" \
	-no-reboot -net none \
	-kernel "$vmlinuz" -initrd "$tmp/initrd.gz" -append "$append" \
	"${extra[@]}" </dev/null >"$tmp/qemu.out" 2>&1 &
qpid=$!
wait "$qpid"
qrc=$?
qpid=""
set -e
t1=$(date +%s.%N)
echo "$me: guest ran for $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (qemu status $qrc); console log: $log" >&2

# ---- output -----------------------------------------------------------------
# Lines strictly between the markers; a payload line without a final newline
# ends up in front of the exit marker and is kept.
awk -v s="@@GUEST-START-$nonce@@" -v e="@@GUEST-EXIT-$nonce " -v out="$tmp/out" -v rcf="$tmp/rc" '
	{ gsub(/\r/, "") }
	!started { if (index($0, s)) started = 1; next }
	{
		i = index($0, e)
		if (i) {
			pre = substr($0, 1, i - 1)
			if (pre != "") print pre > out
			rest = substr($0, i + length(e))
			sub(/@@.*/, "", rest)
			print rest > rcf
			exit
		}
		print > out
	}
	END { if (started) printf "" >> out }
' "$log"

[ -f "$tmp/out" ] && cat "$tmp/out"
if [ -f "$tmp/rc" ]; then
	rc=$(cat "$tmp/rc")
	case $rc in '' | *[!0-9]*) rc=1 ;; esac
	exit "$rc"
fi

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	reason="timed out after $tmo s"
elif p=$(grep -a -m1 -o 'Kernel panic.*' "$log" | tr -d '\r'); then
	reason="$p"
elif [ "$qrc" != 0 ]; then
	reason="qemu failed with status $qrc: $(tr -d '\r' <"$tmp/qemu.out" | grep -v '^$' | head -n 1)"
elif [ -f "$tmp/out" ]; then
	reason="the guest stopped before the payload finished (no exit marker)"
else
	reason="the guest stopped before the payload started (no start marker)"
fi
echo "FAIL: ${GUEST_NAME:-qemu-guest}: $reason"
echo "# last 30 lines of $log:"
tr -d '\r' <"$log" | tail -n 30 | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/^/# | /'
exit 1
