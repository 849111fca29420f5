#!/bin/sh
# Smoke payload for tests/qemu/run-guest.sh: is the guest fit for the
# end-to-end tests? Prints PASS:/FAIL:/SKIP: lines (and INFO: lines with
# facts the tests and the design depend on); exits 1 if anything failed.
#
# Usage (on the host): tests/qemu/run-guest.sh tests/qemu/smoke
set -u

T=/sys/kernel/tracing
failed=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; failed=1; }
skip() { echo "SKIP: $1: $2"; }
info() { echo "INFO: $*"; }
# info_file LABEL FILE: each line of FILE as an INFO line.
info_file() {
	while IFS= read -r l || [ -n "$l" ]; do info "$1: $l"; done <"$2"
}

# ---- kernel -------------------------------------------------------------------
info "uname -r: $(uname -r)"
info "uname -v: $(uname -v)"
info "cpus: $(nproc), mem: $(awk '/MemTotal/ { print $2, $3 }' /proc/meminfo)"
info "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
pass smoke-uname

# ---- kprobes ------------------------------------------------------------------
if [ ! -d "$T/events" ]; then
	fail tracefs "$T is not a mounted tracefs"
else
	pass tracefs
fi
if [ ! -e "$T/kprobe_events" ]; then
	fail kprobe-events "$T/kprobe_events does not exist (CONFIG_KPROBE_EVENTS off?)"
elif ! err=$(echo 'p:tt_smoke tcp_v4_connect' 2>&1 >>"$T/kprobe_events"); then
	fail kprobe-events "cannot add kprobe tt_smoke on tcp_v4_connect: $err"
elif [ ! -d "$T/events/kprobes/tt_smoke" ]; then
	fail kprobe-events "kprobe tt_smoke was accepted but $T/events/kprobes/tt_smoke is missing"
	echo '-:tt_smoke' >>"$T/kprobe_events" 2>/dev/null
elif ! err=$(echo '-:tt_smoke' 2>&1 >>"$T/kprobe_events"); then
	fail kprobe-events "cannot remove kprobe tt_smoke: $err"
elif grep -q tt_smoke "$T/kprobe_events"; then
	fail kprobe-events "kprobe tt_smoke still listed after removal"
else
	pass kprobe-events
fi

# ---- BTF ----------------------------------------------------------------------
if [ -s /sys/kernel/btf/vmlinux ]; then
	pass btf-vmlinux
	info "btf vmlinux size: $(wc -c </sys/kernel/btf/vmlinux) bytes"
else
	fail btf-vmlinux "/sys/kernel/btf/vmlinux is missing or empty"
fi

# ---- kernel symbols -----------------------------------------------------------
# Present in kallsyms, and whether a kprobe and a kretprobe attach to it.
probe_sym() { # SYMBOL -> "kprobe=yes|no kretprobe=yes|no"
	kp=no krp=no
	if [ -e "$T/kprobe_events" ]; then
		if echo "p:tt_sym_p $1" >>"$T/kprobe_events" 2>/dev/null; then
			kp=yes
			echo '-:tt_sym_p' >>"$T/kprobe_events" 2>/dev/null
		fi
		if echo "r:tt_sym_r $1" >>"$T/kprobe_events" 2>/dev/null; then
			krp=yes
			echo '-:tt_sym_r' >>"$T/kprobe_events" 2>/dev/null
		fi
	fi
	echo "kprobe=$kp kretprobe=$krp"
}
ksyms=/tmp/kallsyms.$$
awk '{ print $3 }' /proc/kallsyms >"$ksyms"
for s in security_sock_graft tcp_close tcp_v4_connect tcp_v6_connect \
	__inet_accept inet_csk_accept inet_accept tcp_set_state inet_release; do
	if grep -qx "$s" "$ksyms"; then
		info "kallsyms $s: present, $(probe_sym "$s")"
		case $s in
		security_sock_graft | tcp_close | tcp_v4_connect | tcp_v6_connect) pass "kallsyms-$s" ;;
		esac
	else
		info "kallsyms $s: absent"
		case $s in
		security_sock_graft | tcp_close | tcp_v4_connect | tcp_v6_connect)
			fail "kallsyms-$s" "$s is not in /proc/kallsyms" ;;
		esac
	fi
done
rm -f "$ksyms"

# ---- loopback -----------------------------------------------------------------
addrs=$(ip addr show dev lo 2>&1)
if echo "$addrs" | grep -q 'inet 127\.0\.0\.1/'; then
	pass lo-ipv4
else
	fail lo-ipv4 "lo has no 127.0.0.1: $(echo "$addrs" | tr '\n' ' ')"
fi
if echo "$addrs" | grep -q 'inet6 ::1/'; then
	pass lo-ipv6
else
	fail lo-ipv6 "lo has no ::1: $(echo "$addrs" | tr '\n' ' ')"
fi

# ---- TCP over loopback (busybox httpd + wget / nc) ----------------------------
www=/tmp/smoke-www
mkdir -p "$www"
echo tt-smoke-ok >"$www/index.html"
pids=""
httpd -f -p 127.0.0.1:8080 -h "$www" & pids="$pids $!"
httpd -f -p '[::1]:8081' -h "$www" & pids="$pids $!"
i=0
while [ $i -lt 50 ]; do # wait until both listen (at most 5 s)
	n=$(netstat -lnt 2>/dev/null | grep -c -E '(127\.0\.0\.1:8080|::1:8081) ')
	[ "$n" -ge 2 ] && break
	sleep 0.1
	i=$((i + 1))
done
get() { # URL -> body
	timeout 10 wget -q -O - "$1" 2>&1
}
r=$(get http://127.0.0.1:8080/index.html)
if [ "$r" = tt-smoke-ok ]; then pass tcp-loopback-ipv4-wget; else fail tcp-loopback-ipv4-wget "wget got: $r"; fi
r=$(get 'http://[::1]:8081/index.html')
if [ "$r" = tt-smoke-ok ]; then pass tcp-loopback-ipv6-wget; else fail tcp-loopback-ipv6-wget "wget got: $r"; fi
r=$(printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 127.0.0.1 8080 2>&1 | tail -n 1 | tr -d '\r')
if [ "$r" = tt-smoke-ok ]; then pass tcp-loopback-ipv4-nc; else fail tcp-loopback-ipv4-nc "nc got: $r"; fi
r=$(printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 ::1 8081 2>&1 | tail -n 1 | tr -d '\r')
if [ "$r" = tt-smoke-ok ]; then pass tcp-loopback-ipv6-nc; else fail tcp-loopback-ipv6-nc "nc got: $r"; fi
# A refused connection (nothing listens on 8089) fails at once.
if r=$(nc -w 5 127.0.0.1 8089 </dev/null 2>&1); then
	fail tcp-loopback-refused "connect to a closed port succeeded"
else
	pass tcp-loopback-refused
	info "refused connect: $r"
fi
for p in $pids; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
rm -rf "$www"

# ---- facts for the design -----------------------------------------------------
f=$T/events/sock/inet_sock_set_state/format
if [ -r "$f" ]; then
	info_file "inet_sock_set_state format" "$f"
else
	info "inet_sock_set_state format: $f is missing"
fi
if [ -d "$T/events/tcp" ]; then
	info "events/tcp: $(ls "$T/events/tcp" | tr '\n' ' ')"
else
	info "events/tcp: $T/events/tcp is missing"
fi
if [ -d "$T/events/sock" ]; then
	info "events/sock: $(ls "$T/events/sock" | tr '\n' ' ')"
fi
info "tcp_syn_retries: $(cat /proc/sys/net/ipv4/tcp_syn_retries 2>&1)"
info "unprivileged_bpf_disabled: $(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>&1)"
info "kptr_restrict: $(cat /proc/sys/kernel/kptr_restrict 2>&1)"
if [ -r /sys/kernel/security/lockdown ]; then
	info "lockdown: $(cat /sys/kernel/security/lockdown)"
fi

exit "$failed"
