#!/bin/sh
# The failures a user can hit: one clear line on stderr, non-zero exit.
# POSIX sh (also runs in the QEMU guest). TRACE_TCP=path, TCPSCEN=path; set
# ALLOW_UMOUNT=1 where tracefs may be unmounted for a test (the guest).
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
TRACEFS=/sys/kernel/tracing
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect_error NAME EXIT_CODE PATTERN CMD...: CMD exits EXIT_CODE and
# prints exactly one stderr line matching PATTERN.
expect_error() {
	name=$1 code=$2 pattern=$3
	shift 3
	"$@" >"$out" 2>"$err"
	got=$?
	lines=$(wc -l <"$err")
	if [ "$got" = "$code" ] && [ "$lines" -eq 1 ] && grep -q "$pattern" "$err"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: exit $got (want $code), stderr: $(cat "$err")"
	fi
}

expect_error bad-flag 2 'unknown option: --bogus' "$TRACE_TCP" --bogus
expect_error bad-output 2 'unknown output format' "$TRACE_TCP" -o xml
expect_error bad-timeout 2 'timeout' "$TRACE_TCP" --timeout -1
expect_error bad-backend 2 'backend' "$TRACE_TCP" --backend ebpf
# A runtime's directory named on the command line must be there.
expect_error root-missing 2 '^trace_tcp: --docker-root /nonexistent/docker: No such file or directory' \
	"$TRACE_TCP" --timeout 1 --docker-root /nonexistent/docker
# A BTF file named on the command line is read or refused, never ignored.
expect_error btf-missing 1 '^trace_tcp: /nonexistent/vmlinux: cannot open: ' \
	"$TRACE_TCP" --timeout 1 --btf /nonexistent/vmlinux
expect_error btf-not-a-file 1 '^trace_tcp: /dev/zero: not a non-empty regular file' \
	"$TRACE_TCP" --timeout 1 --btf /dev/zero
expect_error btf-not-btf 1 "^trace_tcp: $0: " \
	"$TRACE_TCP" --timeout 1 --btf "$0"

# A verifier rejection no fallback mends (injected, see loader/kernel/inject.h;
# the refusal is the kernel's own): the verifier's log, then one error
# line, exit 1.
TRACE_TCP_REFUSE=programs "$TRACE_TCP" --timeout 1 >"$out" 2>"$err"
got=$?
if [ "$got" = 1 ] && head -n 1 "$err" | grep -q '^--- verifier log for ' &&
   grep -q 'R9 !read_ok' "$err" && [ "$(grep -c '^trace_tcp: ' "$err")" -eq 1 ] &&
   tail -n 1 "$err" | grep -q '^trace_tcp: the kernel rejected program '; then
	echo "PASS: verifier-rejection"
else
	echo "FAIL: verifier-rejection: exit $got (want 1), stderr: $(head -c 600 "$err")"
fi

if [ -n "${TCPSCEN:-}" ]; then
	expect_error not-root 1 'must run as root' "$TCPSCEN" run-as 65534 65534 "$TRACE_TCP"
else
	echo "SKIP: not-root: TCPSCEN not given"
fi

# tracefs not mounted: trace_tcp mounts it, and unmounts what it mounted.
if [ "${ALLOW_UMOUNT:-0}" = 1 ] && umount "$TRACEFS" 2>/dev/null; then
	"$TRACE_TCP" --timeout 1 >"$out" 2>"$err"
	got=$?
	if [ "$got" = 0 ] && grep -q '^trace_tcp: backend ' "$err" &&
	   ! grep -q " $TRACEFS tracefs " /proc/mounts; then
		echo "PASS: tracefs-self-mount"
	else
		echo "FAIL: tracefs-self-mount: exit $got, stderr: $(cat "$err")"
	fi
	mount -t tracefs nodev "$TRACEFS"
else
	echo "SKIP: tracefs-self-mount: tracefs may not be unmounted here"
fi
