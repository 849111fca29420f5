#!/bin/busybox sh
# /init of the test guest (copied into the initramfs by tests/qemu/run-guest.sh).
# Sets up a minimal busybox system, runs /payload/run.sh with its output on
# the console between two markers, then powers the guest off.
#
# The kernel passes unknown NAME=value boot parameters to init as environment:
#   TT_NONCE  makes the markers unique to this run (set by run-guest.sh)
#   TT_EPOCH  the host's time, used if the guest clock is clearly wrong
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /root /etc /usr/bin /sbin /usr/sbin
/bin/busybox --install -s /bin
export PATH=/payload:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || true
# stdio may have been opened on the initramfs' /dev/console before devtmpfs.
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1
dmesg -n 1 2>/dev/null || true
# Kprobe jump-optimization rewrites live kernel text from a kworker;
# fewer live patches under emulation (see run-guest.sh on thread=single).
echo 0 > /proc/sys/debug/kprobes-optimization 2>/dev/null || true

mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null || true
mount -t tmpfs tmpfs /dev/shm 2>/dev/null || true
mount -t tmpfs tmpfs /tmp 2>/dev/null || true
mount -t tmpfs tmpfs /run 2>/dev/null || true
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	echo "guest-init: cannot mount tracefs at /sys/kernel/tracing"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || true
mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null || true

hostname trace-tcp-guest
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group

# Loopback, IPv4 and IPv6.
[ -w /proc/sys/net/ipv6/conf/lo/disable_ipv6 ] && echo 0 >/proc/sys/net/ipv6/conf/lo/disable_ipv6
ip link set lo up
ip -4 addr show dev lo | grep -q 'inet 127\.0\.0\.1' || ip addr add 127.0.0.1/8 dev lo
if [ -d /proc/sys/net/ipv6 ]; then
	ip -6 addr show dev lo | grep -q 'inet6 ::1' || ip -6 addr add ::1/128 dev lo 2>/dev/null || true
fi

# The guest RTC follows the host; fall back to the host's time if it is off.
if [ -n "${TT_EPOCH:-}" ]; then
	now=$(date +%s)
	if [ "$now" -lt $((TT_EPOCH - 60)) ] || [ "$now" -gt $((TT_EPOCH + 3600)) ]; then
		date -s "@$TT_EPOCH" >/dev/null 2>&1 || true
	fi
fi

tag=${TT_NONCE:-0}
cd /payload 2>/dev/null || cd /
echo "@@GUEST-START-$tag@@"
if [ -f /payload/run.sh ]; then
	sh /payload/run.sh </dev/null 2>&1
	rc=$?
else
	echo "FAIL: qemu-guest: /payload/run.sh is missing"
	rc=1
fi
echo "@@GUEST-EXIT-$tag $rc@@"

# For debugging only (after the exit marker, so not part of the payload's
# output): kernel messages of level warning or worse.
echo "---- guest dmesg (warn and worse) ----"
dmesg -r 2>/dev/null | grep -E '^<[0-4]>' | tail -n 200
echo "---- end of guest dmesg ----"
# Let the serial port drain before the machine stops.
sync
sleep 0.1
poweroff -f
# If poweroff did not work, exiting init panics; panic=-1 and QEMU's
# -no-reboot turn that into a QEMU exit.
exit "$rc"
