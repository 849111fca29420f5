# shellcheck shell=sh
# Container runtimes for the end-to-end tests: podman (with runc), a
# private dockerd and a private containerd (driven with ctr), all running
# a tiny busybox image built from Debian's busybox-static. POSIX sh, meant
# to be sourced:
#
#	. tests/containers/runtimes.sh
#	ct_install || exit 1
#	ct_podman_image && ct_podman_run --rm localhost/tt-busybox wget -q -O - http://127.0.0.1:8080/
#	trap 'ct_dockerd_stop; ct_containerd_stop' EXIT
#	ct_dockerd_start && ct_docker_image && ct_docker_run --rm tt-busybox cat /proc/self/cgroup
#	ct_containerd_start && ct_containerd_image &&
#		ct_ctr_run --rm "$CT_CONTAINERD_IMAGE" "$(ct_ctr_id)" cat /proc/self/cgroup
#
# Everything runs as root on this machine only: containers share the host's
# network namespace (--network host, the default here) or have none; the
# only thing fetched from outside is Debian packages, by ct_install.
#
# The functions return non-zero and print one "ct: ..." line on stderr when
# they fail; they never exit the caller's shell. They work under set -eu.
# Helpers and variables named _ct_* are internal. Settings (environment,
# read when this file is sourced):
#	CT_STATE_DIR	persistent state (default /var/lib/trace_tcp-test):
#			the rootfs tarball, dockerd's data root, logs
#	CT_RUN_DIR	runtime state (default /run/trace_tcp-test): dockerd's
#			socket, pidfile and exec root
#	CT_DOCKER_WAIT	seconds to wait for dockerd to answer (default 30)
#	CT_DOCKER_STORAGE  storage driver(s) to try, in order (default
#			"overlay2 vfs": vfs only if overlay2 does not work here)
#	CT_DOCKER_OWN_CONTAINERD=1  run our own containerd even when no system
#			containerd socket exists (normally dockerd starts its own)
#	CT_DOCKER_LOCK_WAIT  seconds ct_dockerd_start waits for another test
#			run to stop the private dockerd (default 600)
#	CT_CONTAINERD_WAIT  seconds to wait for our containerd to answer (30)
#	CT_CONTAINERD_LOCK_WAIT  the same as CT_DOCKER_LOCK_WAIT, for it (600)
#	CT_CONTAINERD_NS  the containerd namespace ct_ctr uses (default
#			"default": containers get the cgroup /default/<id>)
#	CT_CONTAINERD_SNAPSHOTTER  snapshotter for ct_ctr_run and the image
#			(default: overlayfs if containerd loaded it, else native)
#
# One private dockerd serves one test run at a time: ct_dockerd_start
# records the calling shell ($$) as its owner, waits while another live
# shell owns it, and ct_dockerd_stop stops it only if this shell owns it
# (or its owner is dead). The private containerd is shared the same way
# (its own owner file). Podman and busybox httpd need no such care.

CT_STATE_DIR=${CT_STATE_DIR:-/var/lib/trace_tcp-test}
CT_RUN_DIR=${CT_RUN_DIR:-/run/trace_tcp-test}
CT_ROOTFS_TAR=${CT_ROOTFS_TAR:-$CT_STATE_DIR/busybox-rootfs.tar}
CT_PODMAN_IMAGE=localhost/tt-busybox:latest
CT_DOCKER_IMAGE=tt-busybox:latest
CT_DOCKER_ROOT=$CT_STATE_DIR/docker		# dockerd --data-root
CT_DOCKER_EXEC=$CT_RUN_DIR/docker-exec		# dockerd --exec-root
CT_DOCKER_SOCK=$CT_RUN_DIR/docker.sock
CT_DOCKER_PIDFILE=$CT_RUN_DIR/docker.pid
CT_DOCKER_LOG=$CT_STATE_DIR/dockerd.log
CT_DOCKER_OWNER=$CT_RUN_DIR/dockerd.owner	# PID of the shell using our dockerd
CT_DOCKERD=/usr/sbin/dockerd
# Debian's client: /usr/local/bin/docker on this machine is an unrelated,
# newer client that comes first in PATH. Never call plain "docker".
CT_DOCKER_CLI=/usr/bin/docker
export CT_DOCKER_ROOT CT_DOCKER_SOCK
# Our containerd, fully separate from the system's (/run/containerd,
# /var/lib/containerd) and from the one dockerd runs: its own config,
# socket, --root (content store, snapshots, metadata: kept, with the
# image) and --state (task bundles, runc state, FIFOs: removed by
# ct_containerd_stop). trace_tcp reads <tasks>/<namespace>/<id>/config.json.
CT_CONTAINERD=/usr/bin/containerd
CT_CTR=/usr/bin/ctr
CT_CONTAINERD_ROOT=$CT_STATE_DIR/containerd
CT_CONTAINERD_STATE=$CT_RUN_DIR/containerd
CT_CONTAINERD_TASKS=$CT_CONTAINERD_STATE/io.containerd.runtime.v2.task
CT_CONTAINERD_SOCK=$CT_RUN_DIR/containerd.sock
CT_CONTAINERD_CONFIG=$CT_RUN_DIR/containerd.toml
CT_CONTAINERD_LOG=$CT_STATE_DIR/containerd.log
CT_CONTAINERD_OWNER=$CT_RUN_DIR/containerd.owner	# PID of the shell using it
CT_CONTAINERD_MADE=$CT_RUN_DIR/containerd.made	# shared dirs it created
CT_CONTAINERD_IMAGE=localhost/tt-busybox:latest
CT_CONTAINERD_NS=${CT_CONTAINERD_NS:-default}
export CT_CONTAINERD_TASKS CT_CONTAINERD_SOCK

_ct_err() { echo "ct: $*" >&2; }

# _ct_sleep: a short pause (fractions are fine with coreutils and busybox).
_ct_sleep() { sleep "${1:-0.2}" 2>/dev/null || sleep 1; }

# _ct_alive PID: true if PID is a running (not zombie) process.
_ct_alive() {
	[ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
	# A zombie child of ours still answers kill -0.
	_ct_st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ "$_ct_st" != Z ]
}

# _ct_kill_named COMM PID...: _ct_kill those of the PIDs whose comm is COMM.
_ct_kill_named() {
	_ct_name=$1
	shift
	for _ct_p in "$@"; do
		[ "$(cat "/proc/$_ct_p/comm" 2>/dev/null)" = "$_ct_name" ] && _ct_kill "$_ct_p"
	done
	return 0
}

# _ct_kill_shims PID...: containerd shims ignore SIGTERM, and their
# container (its init is the shim's child) outlives them: SIGKILL the
# children, then _ct_kill the shim.
_ct_kill_shims() {
	for _ct_p in "$@"; do
		for _ct_k in $(pgrep -P "$_ct_p"); do
			kill -KILL "$_ct_k" 2>/dev/null
		done
		_ct_kill "$_ct_p" 2
	done
	return 0
}

# _ct_wait_gone PID SECONDS: wait until PID has exited; false on timeout.
_ct_wait_gone() {
	_ct_n=$(( $2 * 5 ))
	while _ct_alive "$1"; do
		[ "$_ct_n" -le 0 ] && return 1
		_ct_n=$((_ct_n - 1))
		_ct_sleep 0.2
	done
	return 0
}

# _ct_kill PID [SECONDS]: SIGTERM, up to SECONDS (15) for it to exit, then
# SIGKILL; reaps it if it is our child.
_ct_kill() {
	_ct_alive "$1" || { wait "$1" 2>/dev/null; return 0; }
	kill -TERM "$1" 2>/dev/null
	if ! _ct_wait_gone "$1" "${2:-15}"; then
		kill -KILL "$1" 2>/dev/null
		_ct_wait_gone "$1" 5
	fi
	wait "$1" 2>/dev/null
	return 0
}

# ct_install: make sure the Debian packages the container tests need are
# installed: podman, runc, netavark (podman's network stack: named so that
# apt does not pick the CNI plugins instead; either does for --network
# host), docker.io with its containerd, busybox-static.
# Runs "apt-get update" and "apt-get install" only when one is missing;
# quiet on success, one message on stderr and non-zero on failure (apt's
# output is in $CT_STATE_DIR/install.log).
ct_install() {
	_ct_missing=
	for _ct_p in podman runc netavark docker.io containerd busybox-static; do
		dpkg-query -W -f='${Status}' "$_ct_p" 2>/dev/null | grep -q 'ok installed' ||
			_ct_missing="$_ct_missing $_ct_p"
	done
	[ -z "$_ct_missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		_ct_err "missing packages:$_ct_missing (run as root to install them)"
		return 1
	fi
	mkdir -p "$CT_STATE_DIR" || return 1
	_ct_log=$CT_STATE_DIR/install.log
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $_ct_missing
	} >"$_ct_log" 2>&1 </dev/null; then
		_ct_why=$(grep '^E: ' "$_ct_log" | tail -1)
		[ -n "$_ct_why" ] || _ct_why=$(tail -1 "$_ct_log")
		_ct_err "apt-get could not install$_ct_missing: $_ct_why (all of it in $_ct_log)"
		return 1
	fi
	return 0
}

# ct_rootfs_tar [PATH]: build a tiny busybox root filesystem as a tarball at
# PATH (default $CT_ROOTFS_TAR), written atomically, rebuilt every call
# (it takes a few milliseconds). Contents: /bin/busybox (static) with a
# relative symlink for every applet (sh, wget, nc, sleep, cat, httpd, ...),
# /etc/passwd and /etc/group (root, nobody), empty /proc /sys /dev /root
# /var; directories are mode 755, except /tmp which is 1777. Owned by 0:0.
# shellcheck disable=SC2120 # callers may pass PATH
ct_rootfs_tar() {
	_ct_tar=${1:-$CT_ROOTFS_TAR}
	_ct_bb=
	for _ct_p in /bin/busybox /usr/bin/busybox; do
		[ -x "$_ct_p" ] && { _ct_bb=$_ct_p; break; }
	done
	[ -n "$_ct_bb" ] || { _ct_err "no busybox binary (install busybox-static)"; return 1; }
	mkdir -p "$(dirname "$_ct_tar")" || return 1
	_ct_stage=$(mktemp -d "${TMPDIR:-/tmp}/tt-rootfs.XXXXXX") || return 1
	if ! (
		set -e
		umask 022
		cd "$_ct_stage"
		chmod 755 .
		mkdir bin etc dev proc sys root tmp var
		cp "$_ct_bb" bin/busybox
		chmod 755 bin/busybox
		for _a in $(bin/busybox --list); do
			[ "$_a" = busybox ] || ln -s busybox "bin/$_a"
		done
		[ -e bin/sh ] && [ -e bin/wget ] && [ -e bin/nc ]
		printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >etc/passwd
		printf 'root:x:0:\nnogroup:x:65534:\n' >etc/group
		chmod 644 etc/passwd etc/group
		chmod 755 bin etc dev proc sys root var
		chmod 1777 tmp
		# GNU tar by path: busybox sh may run its own tar applet, which
		# lacks these options (as root, plain -cf gives 0:0 files anyway).
		if [ -x /usr/bin/tar ] && /usr/bin/tar --version 2>/dev/null | grep -q GNU; then
			/usr/bin/tar --numeric-owner --owner=0 --group=0 -cf "$_ct_tar.tmp" .
		else
			tar -cf "$_ct_tar.tmp" .
		fi
	) >/dev/null 2>"$_ct_stage.err"; then
		_ct_err "could not build the rootfs tarball $_ct_tar: $(tail -1 "$_ct_stage.err")"
		rm -rf "$_ct_stage" "$_ct_stage.err" "$_ct_tar.tmp"
		return 1
	fi
	rm -rf "$_ct_stage" "$_ct_stage.err"
	mv -f "$_ct_tar.tmp" "$_ct_tar"
}

# ---------------------------------------------------------------- podman

# ct_podman ARGS...: podman with the options this machine needs: runc (crun
# fails on these hybrid cgroup v1/v2 hierarchies) and, without systemd as
# init, the cgroupfs cgroup manager.
ct_podman() {
	if [ -d /run/systemd/system ]; then
		podman --runtime runc "$@"
	else
		podman --runtime runc --cgroup-manager cgroupfs "$@"
	fi
}

# ct_podman_image [TARBALL]: make sure $CT_PODMAN_IMAGE
# (localhost/tt-busybox:latest) exists; if not, import TARBALL (default:
# a fresh ct_rootfs_tar) with "podman import".
ct_podman_image() {
	ct_podman image exists "$CT_PODMAN_IMAGE" 2>/dev/null && return 0
	_ct_import podman "$CT_PODMAN_IMAGE" "${1:-}"
}

# _ct_import podman|docker IMAGE [TARBALL]: "import" TARBALL (default: a
# fresh ct_rootfs_tar) as IMAGE with that tool.
_ct_import() {
	_ct_src=$3
	if [ -z "$_ct_src" ]; then
		ct_rootfs_tar "$CT_ROOTFS_TAR" || return 1
		_ct_src=$CT_ROOTFS_TAR
	fi
	if ! _ct_out=$("ct_$1" import "$_ct_src" "$2" 2>&1); then
		_ct_err "$1 import $_ct_src failed: $(printf '%s\n' "$_ct_out" | tail -1)"
		return 1
	fi
}

# _ct_has_net ARGS...: true if the arguments already choose a network.
# (Scans all of them, so a command inside the container that takes a
# --network/--net option also counts; set the network explicitly then.)
_ct_has_net() {
	for _ct_a in "$@"; do
		case $_ct_a in --network|--network=*|--net|--net=*) return 0 ;; esac
	done
	return 1
}

# ct_podman_run ARGS...: "podman run" with runc, --network host (unless
# ARGS choose a network, e.g. --network none) and rlimits root can grant
# here: podman's defaults (nofile and nproc far above the hard limits) make
# runc fail with "error setting rlimits", since this root cannot raise its
# hard limits. ARGS are run's options, the image and the command, e.g.
#	ct_podman_run --rm --name X localhost/tt-busybox wget -q -O - http://127.0.0.1:80/
#	ct_podman_run -d --name X localhost/tt-busybox sh -c 'sleep 60'
ct_podman_run() {
	# Hard limits from /proc: dash's ulimit has no -u.
	_ct_nofile=$(awk '/^Max open files/ { print $5 }' /proc/self/limits)
	_ct_nproc=$(awk '/^Max processes/ { print $4 }' /proc/self/limits)
	case $_ct_nproc in unlimited|'') _ct_nproc=32768 ;; esac
	[ "$_ct_nproc" -gt 32768 ] && _ct_nproc=32768
	case $_ct_nofile in unlimited|'') _ct_nofile=1048576 ;; esac
	if _ct_has_net "$@"; then
		ct_podman run --ulimit "nofile=$_ct_nofile:$_ct_nofile" \
			--ulimit "nproc=$_ct_nproc:$_ct_nproc" "$@"
	else
		ct_podman run --network host --ulimit "nofile=$_ct_nofile:$_ct_nofile" \
			--ulimit "nproc=$_ct_nproc:$_ct_nproc" "$@"
	fi
}

# ct_podman_pid NAME: print the host PID of a running podman container's init.
ct_podman_pid() {
	ct_podman inspect -f '{{.State.Pid}}' "$1" 2>/dev/null | grep -v '^0$'
}

# ct_podman_cleanup NAME...: force-remove these podman containers (running
# or not, existing or not). Always succeeds.
ct_podman_cleanup() {
	[ $# -gt 0 ] || return 0
	ct_podman rm -f -i -t 0 "$@" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- docker

# ct_docker ARGS...: Debian's docker client talking to our private dockerd
# only (ignores DOCKER_HOST, DOCKER_CONTEXT and ~/.docker).
ct_docker() {
	env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
		-u DOCKER_API_VERSION DOCKER_CONFIG="$CT_RUN_DIR/docker-client" \
		"$CT_DOCKER_CLI" -H "unix://$CT_DOCKER_SOCK" "$@"
}

# _ct_docker_up: true if our dockerd answers on its socket.
_ct_docker_up() {
	[ -S "$CT_DOCKER_SOCK" ] &&
		ct_docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# _ct_docker_pids: PIDs of the processes that belong to our dockerd: dockerd
# itself, its containerd and containerd shims. They are recognised by our
# exec root or socket on their command line, so a system dockerd or a
# podman container is never matched.
_ct_docker_pids() {
	for _ct_d in /proc/[0-9]*; do
		_ct_c=$({ tr '\0' ' ' <"$_ct_d/cmdline"; } 2>/dev/null) || continue
		case $_ct_c in
		*"$CT_DOCKER_EXEC"* | *"$CT_DOCKER_SOCK"*) ;;
		*) continue ;;
		esac
		case $(cat "$_ct_d/comm" 2>/dev/null) in
		dockerd | containerd | containerd-shim* | docker-proxy) echo "${_ct_d#/proc/}" ;;
		esac
	done
}

# _ct_docker_umount: unmount whatever is still mounted under our data root
# or exec root, deepest first (lazily if a plain umount fails).
_ct_docker_umount() {
	for _ct_pass in 1 2 3 4 5; do
		_ct_mnts=$(awk -v a="$CT_DOCKER_ROOT" -v b="$CT_DOCKER_EXEC" '
			$5 == a || index($5, a "/") == 1 || $5 == b || index($5, b "/") == 1 { print length($5), $5 }
		' /proc/self/mountinfo | sort -rn | cut -d' ' -f2-)
		[ -z "$_ct_mnts" ] && return 0
		for _ct_m in $_ct_mnts; do
			umount "$_ct_m" 2>/dev/null || umount -l "$_ct_m" 2>/dev/null
		done
	done
	_ct_err "still mounted: $_ct_mnts"
	return 1
}

# The private dockerd's owner (one test run at a time), with the generic
# _ct_claim/_ct_unclaim/_ct_claim_wait below.
_ct_owner_try() { _ct_claim "$CT_DOCKER_OWNER"; }
_ct_owner_release() { _ct_unclaim "$CT_DOCKER_OWNER"; }
_ct_owner_wait() {
	_ct_claim_wait "$CT_DOCKER_OWNER" "private dockerd" "${CT_DOCKER_LOCK_WAIT:-600}"
}

# _ct_dockerd_launch DRIVER: start dockerd in the background
# with the given storage driver and wait until it answers. False if it
# exited (1) or did not answer within $CT_DOCKER_WAIT seconds (2); the
# caller stops what is left.
_ct_dockerd_launch() {
	set -- --data-root "$CT_DOCKER_ROOT" --exec-root "$CT_DOCKER_EXEC" \
		--pidfile "$CT_DOCKER_PIDFILE" -H "unix://$CT_DOCKER_SOCK" \
		--config-file "$CT_RUN_DIR/daemon.json" \
		--containerd-namespace tt-moby --containerd-plugins-namespace tt-plugins \
		--bridge=none --iptables=false --ip-forward=false --ip-masq=false \
		--storage-driver "$1"
	"$CT_DOCKERD" --help 2>&1 | grep -q -- --ip6tables && set -- "$@" --ip6tables=false
	# Without --containerd, dockerd runs its own containerd under the exec
	# root, unless /run/containerd/containerd.sock merely exists: then it
	# uses that one (even a stale socket). Never share it: start our own.
	if [ -e /run/containerd/containerd.sock ] || [ "${CT_DOCKER_OWN_CONTAINERD:-0}" = 1 ]; then
		_ct_containerd_start || return 1
		set -- "$@" --containerd "$CT_DOCKER_EXEC/own-containerd/containerd.sock"
	fi
	echo "=== $(date '+%F %T') dockerd $*" >>"$CT_DOCKER_LOG"
	"$CT_DOCKERD" "$@" </dev/null >>"$CT_DOCKER_LOG" 2>&1 &
	_ct_dpid=$!
	_ct_n=$(( ${CT_DOCKER_WAIT:-30} * 5 ))
	while ! _ct_docker_up; do
		if ! _ct_alive "$_ct_dpid"; then
			wait "$_ct_dpid" 2>/dev/null
			return 1
		fi
		[ "$_ct_n" -le 0 ] && return 2
		_ct_n=$((_ct_n - 1))
		_ct_sleep 0.2
	done
	return 0
}

# _ct_containerd_start: our own containerd (state in the exec root, data in
# the data root, socket $CT_DOCKER_EXEC/own-containerd/containerd.sock).
_ct_containerd_start() {
	_ct_cd=$CT_DOCKER_EXEC/own-containerd
	mkdir -p "$_ct_cd" "$CT_DOCKER_ROOT/own-containerd" || return 1
	cat >"$_ct_cd/config.toml" <<EOF
version = 2
root = "$CT_DOCKER_ROOT/own-containerd"
state = "$_ct_cd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$_ct_cd/containerd.sock"
[ttrpc]
  address = "$_ct_cd/containerd.sock.ttrpc"
[debug]
  address = ""
EOF
	echo "=== $(date '+%F %T') containerd --config $_ct_cd/config.toml" >>"$CT_DOCKER_LOG"
	containerd --config "$_ct_cd/config.toml" </dev/null >>"$CT_DOCKER_LOG" 2>&1 &
	_ct_cpid=$!
	_ct_n=50
	until [ -S "$_ct_cd/containerd.sock" ]; do
		if ! _ct_alive "$_ct_cpid" || [ "$_ct_n" -le 0 ]; then
			_ct_err "containerd did not start; see $CT_DOCKER_LOG"
			return 1
		fi
		_ct_n=$((_ct_n - 1))
		_ct_sleep 0.2
	done
}

# ct_dockerd_start: start Debian's dockerd privately: data root
# $CT_DOCKER_ROOT (/var/lib/trace_tcp-test/docker), exec root
# $CT_DOCKER_EXEC, socket $CT_DOCKER_SOCK (/run/trace_tcp-test/docker.sock),
# no bridge, no iptables, no ip_forward change, log in $CT_DOCKER_LOG.
# Storage driver overlay2, or vfs if overlay2 does not work here (sets
# CT_DOCKER_STORAGE to the one in use). Waits up to $CT_DOCKER_WAIT s (30)
# for it to answer. Does nothing if this shell started it already; a
# dockerd left by a run that died is stopped (containers and all) and
# started afresh. Waits while another test run (a live shell) owns the
# private dockerd. Pair it with ct_dockerd_stop (in a trap).
ct_dockerd_start() {
	_ct_mine=
	[ "$(cat "$CT_DOCKER_OWNER" 2>/dev/null)" = "$$" ] && _ct_mine=1
	_ct_owner_wait || return 1
	if [ -n "$_ct_mine" ] && _ct_docker_up; then
		CT_DOCKER_STORAGE=$(ct_docker info --format '{{.Driver}}' 2>/dev/null)
		export CT_DOCKER_STORAGE
		return 0
	fi
	if [ ! -x "$CT_DOCKERD" ] || [ ! -x "$CT_DOCKER_CLI" ]; then
		_ct_err "$CT_DOCKERD or $CT_DOCKER_CLI missing (ct_install)"
		return 1
	fi
	# Leftovers of a run that died: its dockerd, containers, mounts.
	if ! _ct_dockerd_teardown; then
		_ct_owner_release
		return 1
	fi
	mkdir -p "$CT_DOCKER_ROOT" "$CT_DOCKER_EXEC" "$CT_RUN_DIR/docker-client" || return 1
	# The log accumulates across runs; keep one older generation.
	[ -n "$(find "$CT_DOCKER_LOG" -size +4096k 2>/dev/null)" ] && mv -f "$CT_DOCKER_LOG" "$CT_DOCKER_LOG.old"
	touch "$CT_DOCKER_LOG" || return 1
	chmod 711 "$CT_DOCKER_ROOT" "$CT_DOCKER_EXEC"
	# Our own (near-empty) config file, never /etc/docker/daemon.json. In
	# dockerd 20.10 it also keeps the trust key out of /etc/docker/key.json.
	if grep -q deprecated-key-path "$CT_DOCKERD" 2>/dev/null; then
		echo '{"deprecated-key-path": "'"$CT_DOCKER_ROOT"'/key.json"}'
	else
		echo '{}'
	fi >"$CT_RUN_DIR/daemon.json"
	if [ -n "${CT_DOCKER_STORAGE:-}" ]; then
		_ct_drivers=$CT_DOCKER_STORAGE
	else
		_ct_drivers="overlay2 vfs"
	fi
	_ct_tried=
	for _ct_drv in $_ct_drivers; do
		_ct_from=$(($(wc -c <"$CT_DOCKER_LOG" 2>/dev/null || echo 0) + 1))
		_ct_tried="$_ct_tried $_ct_drv"
		_ct_lrc=0
		_ct_dockerd_launch "$_ct_drv" || _ct_lrc=$?
		if [ "$_ct_lrc" = 0 ]; then
			CT_DOCKER_STORAGE=$_ct_drv
			export CT_DOCKER_STORAGE
			return 0
		fi
		_ct_dockerd_teardown >/dev/null 2>&1
		# Try the next driver only if dockerd exited because of this one.
		[ "$_ct_lrc" = 1 ] || break
		tail -c "+$_ct_from" "$CT_DOCKER_LOG" | grep -q 'error initializing graphdriver' || break
	done
	if [ "$_ct_lrc" = 2 ]; then
		_ct_why="no answer within ${CT_DOCKER_WAIT:-30} s"
	else
		_ct_why=$(tail -c "+$_ct_from" "$CT_DOCKER_LOG" | grep -E 'level=(error|fatal)|^failed' | tail -1)
	fi
	_ct_err "dockerd did not start (storage driver:$_ct_tried): ${_ct_why:-see the log} (all of it in $CT_DOCKER_LOG)"
	_ct_owner_release
	return 1
}

# ct_dockerd_stop: remove every container of our dockerd, stop it (SIGTERM,
# then SIGKILL after 15 s) and wait for it, its containerd and shims to
# exit; unmount anything left under the data root and exec root; remove
# the socket and pidfile. Safe to call any number of times, also when
# dockerd never started; does nothing (returns 0) while another live shell
# owns the private dockerd. Leaves the data root (and the imported image).
ct_dockerd_stop() {
	# Another live test run's dockerd: not ours to stop.
	_ct_owner_try >/dev/null || return 0
	_ct_trc=0
	_ct_dockerd_teardown || _ct_trc=$?
	_ct_owner_release
	return $_ct_trc
}

# _ct_dockerd_teardown: ct_dockerd_stop's work, whoever owns dockerd.
_ct_dockerd_teardown() {
	if _ct_docker_up; then
		_ct_ids=$(ct_docker ps -aq 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$_ct_ids" ] && ct_docker rm -f $_ct_ids >/dev/null 2>&1
	fi
	# dockerd first: it stops its containers and its own containerd.
	# shellcheck disable=SC2046
	_ct_kill_named dockerd $(_ct_docker_pids)
	# shellcheck disable=SC2046
	_ct_kill_named containerd $(_ct_docker_pids)
	# Shims left by a dockerd that died.
	# shellcheck disable=SC2046
	_ct_kill_shims $(_ct_docker_pids)
	_ct_left=$(_ct_docker_pids)
	_ct_rc=0
	[ -n "$_ct_left" ] && { _ct_err "processes still running: $_ct_left"; _ct_rc=1; }
	_ct_docker_umount || _ct_rc=1
	# A stale containerd.pid makes the next dockerd wait 15 s and fail when
	# that PID is still a zombie (PID 1 here reaps orphans late).
	[ -z "$_ct_left" ] && rm -f "$CT_DOCKER_EXEC/containerd/containerd.pid"
	rm -f "$CT_DOCKER_SOCK" "$CT_DOCKER_PIDFILE"
	return $_ct_rc
}

# ct_docker_image [TARBALL]: make sure $CT_DOCKER_IMAGE (tt-busybox:latest)
# exists in our dockerd; if not, "docker import" TARBALL (default: a fresh
# ct_rootfs_tar). Needs ct_dockerd_start first.
ct_docker_image() {
	ct_docker image inspect "$CT_DOCKER_IMAGE" >/dev/null 2>&1 && return 0
	_ct_import docker "$CT_DOCKER_IMAGE" "${1:-}"
}

# ct_docker_run ARGS...: "docker run --network host ARGS" on our dockerd
# (no --network host if ARGS choose a network), e.g.
#	ct_docker_run --rm --name X tt-busybox wget -q -O - http://127.0.0.1:80/
#	ct_docker_run -d --name X tt-busybox sh -c 'sleep 60'
ct_docker_run() {
	if _ct_has_net "$@"; then
		ct_docker run "$@"
	else
		ct_docker run --network host "$@"
	fi
}

# ct_docker_pid NAME: print the host PID of a running docker container's init.
ct_docker_pid() {
	ct_docker inspect -f '{{.State.Pid}}' "$1" 2>/dev/null | grep -v '^0$'
}

# ct_docker_cleanup NAME...: force-remove these docker containers (running
# or not, existing or not). Always succeeds.
ct_docker_cleanup() {
	[ $# -gt 0 ] || return 0
	_ct_docker_up || return 0
	ct_docker rm -f "$@" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- containerd

# _ct_claim FILE: make this shell ($$) the owner recorded in FILE if no
# live shell owns it; else print the owner's PID and fail (atomic: flock
# on FILE.guard). _ct_unclaim FILE: forget this shell's ownership.
_ct_claim() {
	mkdir -p "$(dirname "$1")" || return 1
	# shellcheck disable=SC2016 # expanded by that sh
	/usr/bin/flock -w 30 "$1.guard" sh -c '
		o=$(cat "$1" 2>/dev/null)
		if [ -n "$o" ] && [ "$o" != "$2" ] && kill -0 "$o" 2>/dev/null &&
			! grep -q "^State:.*Z" "/proc/$o/status" 2>/dev/null; then
			echo "$o"
			exit 1
		fi
		echo "$2" >"$1"' sh "$1" "$$"
}

_ct_unclaim() {
	[ -f "$1" ] || return 0
	# shellcheck disable=SC2016 # expanded by that sh
	/usr/bin/flock -w 30 "$1.guard" sh -c '
		[ "$(cat "$1" 2>/dev/null)" = "$2" ] && rm -f "$1"; exit 0' sh "$1" "$$"
}

# _ct_claim_wait FILE WHAT SECONDS: _ct_claim, waiting up to SECONDS.
_ct_claim_wait() {
	_ct_w=$3
	_ct_said=
	while ! _ct_o=$(_ct_claim "$1"); do
		if [ -z "$_ct_o" ]; then
			_ct_err "cannot record the owner of the $2 in $1"
			return 1
		fi
		if [ "$_ct_w" -le 0 ]; then
			_ct_err "the $2 is still used by PID $_ct_o (another test run)"
			return 1
		fi
		if [ -z "$_ct_said" ]; then
			_ct_err "waiting up to $3 s for PID $_ct_o (another test run) to stop the $2"
			_ct_said=1
		fi
		_ct_w=$((_ct_w - 1))
		sleep 1
	done
}

# _ct_umount_under DIR...: unmount whatever is mounted at or under these
# directories, deepest first (lazily if a plain umount fails).
_ct_umount_under() {
	for _ct_pass in 1 2 3 4 5; do
		_ct_mnts=$(for _ct_top in "$@"; do
			awk -v a="$_ct_top" '$5 == a || index($5, a "/") == 1 { print length($5), $5 }' \
				/proc/self/mountinfo
		done | sort -rn | cut -d' ' -f2-)
		[ -z "$_ct_mnts" ] && return 0
		for _ct_m in $_ct_mnts; do
			umount "$_ct_m" 2>/dev/null || umount -l "$_ct_m" 2>/dev/null
		done
	done
	_ct_err "still mounted: $_ct_mnts"
	return 1
}

# ct_ctr ARGS...: Debian's ctr talking to our private containerd only, in
# namespace $CT_CONTAINERD_NS (ignores CONTAINERD_ADDRESS,
# CONTAINERD_NAMESPACE and CONTAINERD_SNAPSHOTTER). Note: ctr waits 10 s
# for a socket nobody answers on; pass --connect-timeout to wait less.
ct_ctr() {
	_ct_ctr_ns "$CT_CONTAINERD_NS" "$@"
}

# _ct_ctr_ns NAMESPACE ARGS...: ct_ctr in another namespace.
_ct_ctr_ns() {
	_ct_ns=$1
	shift
	env -u CONTAINERD_ADDRESS -u CONTAINERD_NAMESPACE -u CONTAINERD_SNAPSHOTTER \
		"$CT_CTR" --address "$CT_CONTAINERD_SOCK" --namespace "$_ct_ns" "$@"
}

# _ct_containerd_up: true if our containerd answers on its socket.
_ct_containerd_up() {
	[ -S "$CT_CONTAINERD_SOCK" ] &&
		ct_ctr --connect-timeout 2s --timeout 10s version >/dev/null 2>&1
}

# _ct_containerd_pids: our containerd and its shims, recognised by our
# config file or socket as a word of their command line (a shim runs as
# "containerd-shim-runc-v2 -namespace NS -id ID -address SOCK"), so the
# system's containerd and dockerd's are never matched.
_ct_containerd_pids() {
	for _ct_d in /proc/[0-9]*; do
		_ct_c=$({ tr '\0' ' ' <"$_ct_d/cmdline"; } 2>/dev/null) || continue
		case $_ct_c in
		*" $CT_CONTAINERD_CONFIG "* | *" $CT_CONTAINERD_SOCK "*) ;;
		*) continue ;;
		esac
		case $(cat "$_ct_d/comm" 2>/dev/null) in
		containerd | containerd-shim*) echo "${_ct_d#/proc/}" ;;
		esac
	done
}

# _ct_containerd_clear: with our containerd up, kill and delete every task
# and delete every container (and its snapshot), in every namespace.
_ct_containerd_clear() {
	for _ct_ns in $(_ct_ctr_ns default --connect-timeout 5s --timeout 30s namespaces ls -q 2>/dev/null); do
		for _ct_t in $(_ct_ctr_ns "$_ct_ns" --timeout 30s tasks ls -q 2>/dev/null); do
			_ct_ctr_ns "$_ct_ns" --timeout 30s tasks kill -s SIGKILL "$_ct_t" >/dev/null 2>&1
			_ct_ctr_ns "$_ct_ns" --timeout 30s tasks rm -f "$_ct_t" >/dev/null 2>&1
		done
		for _ct_t in $(_ct_ctr_ns "$_ct_ns" --timeout 30s containers ls -q 2>/dev/null); do
			_ct_ctr_ns "$_ct_ns" --timeout 30s containers rm "$_ct_t" >/dev/null 2>&1
		done
	done
	return 0
}

# _ct_containerd_teardown: delete every container of our containerd, stop
# it and its shims (and their containers), unmount what is left under its
# root and state, remove what killed shims could not (cgroups, shim
# sockets, runc state: all of --state) and the shared directories it
# created. Leaves --root (the image). Whoever owns containerd.
_ct_containerd_teardown() {
	_ct_containerd_up && _ct_containerd_clear
	# shellcheck disable=SC2046
	_ct_kill_named containerd $(_ct_containerd_pids)
	# Shims outlive containerd (by design).
	# shellcheck disable=SC2046
	_ct_kill_shims $(_ct_containerd_pids)
	_ct_left=$(_ct_containerd_pids)
	_ct_rc=0
	[ -n "$_ct_left" ] && { _ct_err "containerd processes still running: $_ct_left"; _ct_rc=1; }
	_ct_umount_under "$CT_CONTAINERD_ROOT" "$CT_CONTAINERD_STATE" || _ct_rc=1
	if [ "$_ct_rc" = 0 ] && [ -d "$CT_CONTAINERD_TASKS" ]; then
		# Bundles left by killed shims: their cgroups and shim sockets.
		for _ct_b in "$CT_CONTAINERD_TASKS"/*/*/; do
			[ -f "$_ct_b/config.json" ] || continue
			_ct_cg=$(sed -n 's/.*"cgroupsPath": *"\(\/[^"]*\)".*/\1/p' "$_ct_b/config.json")
			case $_ct_cg in /*[!/]*) ;; *) _ct_cg= ;; esac
			case $_ct_cg in */../* | */..) _ct_cg= ;; esac
			for _ct_try in 1 2 3 4 5; do
				[ -n "$_ct_cg" ] || break
				_ct_busy=
				for _ct_g in /sys/fs/cgroup"$_ct_cg" /sys/fs/cgroup/*"$_ct_cg"; do
					[ -d "$_ct_g" ] && ! rmdir "$_ct_g" 2>/dev/null && _ct_busy=1
				done
				[ -z "$_ct_busy" ] && break
				_ct_sleep 0.2
			done
			_ct_s=$(sed -n 's|^unix://\(/run/containerd/s/[0-9a-f]*\)$|\1|p' "$_ct_b/address" 2>/dev/null)
			[ -n "$_ct_s" ] && [ -S "$_ct_s" ] && rm -f "$_ct_s"
		done
	fi
	# Runtime state only: nothing in it survives containerd.
	[ "$_ct_rc" = 0 ] && rm -rf "$CT_CONTAINERD_STATE"
	rm -f "$CT_CONTAINERD_SOCK" "$CT_CONTAINERD_SOCK.ttrpc"
	if [ "$_ct_rc" = 0 ] && [ -f "$CT_CONTAINERD_MADE" ]; then
		# Shims put their sockets in /run/containerd/s whatever --state
		# says; remove the directories we made if they are empty now.
		sort -r "$CT_CONTAINERD_MADE" | while read -r _ct_d; do
			rmdir "$_ct_d" 2>/dev/null
		done
		rm -f "$CT_CONTAINERD_MADE"
	fi
	return $_ct_rc
}

# ct_containerd_start: start Debian's containerd privately: config
# $CT_CONTAINERD_CONFIG (no CRI plugin, no opt dir in /opt), socket
# $CT_CONTAINERD_SOCK, --root $CT_CONTAINERD_ROOT, --state
# $CT_CONTAINERD_STATE (so the tasks dir, for trace_tcp's
# --containerd-tasks, is $CT_CONTAINERD_TASKS), log $CT_CONTAINERD_LOG.
# Waits up to $CT_CONTAINERD_WAIT s (30) for "ctr version" to answer,
# then sets CT_CONTAINERD_SNAPSHOTTER and deletes containers a run that
# died left in its metadata. Does nothing if this shell started it
# already; leftovers of a run that died (containerd, shims, containers,
# mounts) are removed first. Waits while another live shell owns it.
# Pair it with ct_containerd_stop (in a trap).
ct_containerd_start() {
	_ct_cmine=
	[ "$(cat "$CT_CONTAINERD_OWNER" 2>/dev/null)" = "$$" ] && _ct_cmine=1
	_ct_claim_wait "$CT_CONTAINERD_OWNER" "private containerd" \
		"${CT_CONTAINERD_LOCK_WAIT:-600}" || return 1
	if [ -n "$_ct_cmine" ] && _ct_containerd_up; then
		_ct_containerd_snapshotter
		return 0
	fi
	for _ct_x in "$CT_CONTAINERD" "$CT_CTR" /usr/bin/containerd-shim-runc-v2; do
		if [ ! -x "$_ct_x" ]; then
			_ct_err "$_ct_x missing (ct_install)"
			_ct_unclaim "$CT_CONTAINERD_OWNER"
			return 1
		fi
	done
	if ! _ct_containerd_teardown; then
		_ct_unclaim "$CT_CONTAINERD_OWNER"
		return 1
	fi
	mkdir -p "$CT_CONTAINERD_ROOT" "$CT_CONTAINERD_STATE" || return 1
	chmod 711 "$CT_CONTAINERD_ROOT" "$CT_CONTAINERD_STATE"
	[ -n "$(find "$CT_CONTAINERD_LOG" -size +4096k 2>/dev/null)" ] &&
		mv -f "$CT_CONTAINERD_LOG" "$CT_CONTAINERD_LOG.old"
	touch "$CT_CONTAINERD_LOG" || return 1
	for _ct_d in /run/containerd /run/containerd/s; do
		[ -d "$_ct_d" ] || echo "$_ct_d"
	done >"$CT_CONTAINERD_MADE"
	cat >"$CT_CONTAINERD_CONFIG" <<EOT
version = 2
root = "$CT_CONTAINERD_ROOT"
state = "$CT_CONTAINERD_STATE"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CT_CONTAINERD_SOCK"
[ttrpc]
  address = "$CT_CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CT_CONTAINERD_ROOT/opt"
EOT
	_ct_from=$(($(wc -c <"$CT_CONTAINERD_LOG") + 1))
	set -- --config "$CT_CONTAINERD_CONFIG" --root "$CT_CONTAINERD_ROOT" \
		--state "$CT_CONTAINERD_STATE" --address "$CT_CONTAINERD_SOCK"
	echo "=== $(date '+%F %T') containerd $*" >>"$CT_CONTAINERD_LOG"
	"$CT_CONTAINERD" "$@" </dev/null >>"$CT_CONTAINERD_LOG" 2>&1 &
	_ct_cpid=$!
	_ct_n=$(( ${CT_CONTAINERD_WAIT:-30} * 5 ))
	_ct_why=
	while ! _ct_containerd_up; do
		if ! _ct_alive "$_ct_cpid"; then
			wait "$_ct_cpid" 2>/dev/null
			_ct_why=$(tail -c "+$_ct_from" "$CT_CONTAINERD_LOG" |
				grep -E 'level=(error|fatal)|^containerd: ' | tail -1)
			_ct_why="it exited: ${_ct_why:-see the log}"
			break
		fi
		if [ "$_ct_n" -le 0 ]; then
			_ct_why="no answer within ${CT_CONTAINERD_WAIT:-30} s"
			break
		fi
		_ct_n=$((_ct_n - 1))
		_ct_sleep 0.2
	done
	if [ -n "$_ct_why" ]; then
		_ct_err "containerd did not start: $_ct_why (all of it in $CT_CONTAINERD_LOG)"
		_ct_containerd_teardown >/dev/null 2>&1
		_ct_unclaim "$CT_CONTAINERD_OWNER"
		return 1
	fi
	_ct_containerd_snapshotter
	_ct_containerd_clear
	return 0
}

# _ct_containerd_snapshotter: set CT_CONTAINERD_SNAPSHOTTER (unless set):
# overlayfs if our containerd loaded that plugin, else native.
_ct_containerd_snapshotter() {
	[ -n "${CT_CONTAINERD_SNAPSHOTTER:-}" ] && return 0
	if ct_ctr --timeout 10s plugins ls 2>/dev/null |
		awk '$1 == "io.containerd.snapshotter.v1" && $2 == "overlayfs" && $NF == "ok" { f = 1 } END { exit !f }'; then
		CT_CONTAINERD_SNAPSHOTTER=overlayfs
	else
		CT_CONTAINERD_SNAPSHOTTER=native
	fi
	export CT_CONTAINERD_SNAPSHOTTER
}

# ct_containerd_stop: ct_containerd_start's counterpart: kill and delete
# every task and container, stop containerd (SIGTERM, SIGKILL after 15 s),
# kill shims left and their containers, unmount anything under its root
# and state, remove the state, socket and the cgroups of containers whose
# shim was killed. Safe to call any number of times, also when it never
# started; does nothing (returns 0) while another live shell owns it.
# Leaves the root (and the imported image).
ct_containerd_stop() {
	_ct_claim "$CT_CONTAINERD_OWNER" >/dev/null || return 0
	_ct_trc=0
	_ct_containerd_teardown || _ct_trc=$?
	_ct_unclaim "$CT_CONTAINERD_OWNER"
	return $_ct_trc
}

# ct_containerd_image: make sure $CT_CONTAINERD_IMAGE
# (localhost/tt-busybox:latest) is in our containerd (namespace
# $CT_CONTAINERD_NS); if not, "podman save" the podman image (made by
# ct_podman_image if need be) as a docker archive and "ctr images import"
# it, unpacked for $CT_CONTAINERD_SNAPSHOTTER. Offline. Needs
# ct_containerd_start first.
ct_containerd_image() {
	ct_ctr --timeout 30s images ls -q 2>/dev/null | grep -qxF "$CT_CONTAINERD_IMAGE" && return 0
	ct_podman_image "" || return 1
	_ct_arc=$CT_STATE_DIR/containerd-image.tar
	rm -f "$_ct_arc"
	if ! _ct_out=$(ct_podman save --format docker-archive -o "$_ct_arc" "$CT_PODMAN_IMAGE" 2>&1); then
		_ct_err "podman save $CT_PODMAN_IMAGE failed: $(printf '%s\n' "$_ct_out" | tail -1)"
		rm -f "$_ct_arc"
		return 1
	fi
	if ! _ct_out=$(ct_ctr --timeout 120s images import \
		--snapshotter "${CT_CONTAINERD_SNAPSHOTTER:-overlayfs}" "$_ct_arc" 2>&1); then
		_ct_err "ctr images import failed: $(printf '%s\n' "$_ct_out" | tail -1)"
		rm -f "$_ct_arc"
		return 1
	fi
	rm -f "$_ct_arc"
	ct_ctr --timeout 30s images ls -q 2>/dev/null | grep -qxF "$CT_CONTAINERD_IMAGE" && return 0
	_ct_err "ctr images import did not create $CT_CONTAINERD_IMAGE"
	return 1
}

# ct_ctr_id: print a new container id for ct_ctr_run: 64 lowercase hex
# digits, the form trace_tcp recognises in the cgroup /<namespace>/<id>.
ct_ctr_id() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | grep -E '^[0-9a-f]{64}$'
}

# ct_ctr_run ARGS...: "ctr run" on our containerd: runc shim
# (io.containerd.runc.v2) with its state under our --state (not
# /run/containerd/runc), FIFOs there too (not /run/containerd/fifo),
# host network (--net-host, unless ARGS have --cni or --with-ns), the
# snapshotter $CT_CONTAINERD_SNAPSHOTTER. ARGS are run's options, the
# image, the container id and the command, e.g.
#	ct_ctr_run --rm --annotation nerdctl/name=X "$CT_CONTAINERD_IMAGE" "$(ct_ctr_id)" wget -q -O - http://127.0.0.1:80/
#	ct_ctr_run -d "$CT_CONTAINERD_IMAGE" "$ID" sh -c 'sleep 60'
# The container's cgroup is /<namespace>/<id> (cgroupfs: no systemd
# here). No rlimit option is needed: containerd's default spec sets only
# RLIMIT_NOFILE 1024:1024, below root's hard limit here (ctr has no
# option to change it; it would need a spec file, --config).
ct_ctr_run() {
	_ct_net=--net-host
	for _ct_a in "$@"; do
		case $_ct_a in --cni | --with-ns | --with-ns=*) _ct_net= ;; esac
	done
	mkdir -p "$CT_CONTAINERD_STATE/fifo" || return 1
	# shellcheck disable=SC2086 # $_ct_net: one word or none
	ct_ctr run $_ct_net --runtime io.containerd.runc.v2 \
		--runc-root "$CT_CONTAINERD_STATE/runc" --fifo-dir "$CT_CONTAINERD_STATE/fifo" \
		--snapshotter "${CT_CONTAINERD_SNAPSHOTTER:-overlayfs}" "$@"
}

# ct_ctr_pid ID: print the host PID of a running ctr container's init.
ct_ctr_pid() {
	ct_ctr --timeout 10s tasks ls 2>/dev/null | awk -v id="$1" '$1 == id && $2 > 0 { print $2 }' | grep .
}

# ct_ctr_cleanup ID...: kill and delete these ctr containers (running or
# not, existing or not), in namespace $CT_CONTAINERD_NS. Always succeeds.
ct_ctr_cleanup() {
	[ $# -gt 0 ] || return 0
	_ct_containerd_up || return 0
	for _ct_t in "$@"; do
		ct_ctr --timeout 30s tasks rm -f "$_ct_t" >/dev/null 2>&1
		ct_ctr --timeout 30s containers rm "$_ct_t" >/dev/null 2>&1
	done
	return 0
}

# ---------------------------------------------------------------- helpers

# ct_cgroup2_mount: print where the cgroup v2 hierarchy is mounted
# (/sys/fs/cgroup/unified on this hybrid machine, /sys/fs/cgroup on a
# pure v2 one).
ct_cgroup2_mount() {
	awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts | grep .
}

# ct_pid_cgroup2 PID: print PID's cgroup v2 path (its "0::" line), e.g.
# /docker/<64 hex> or /libpod_parent/libpod-<64 hex> for a container.
ct_pid_cgroup2() {
	sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null | grep .
}

# ct_is_container_cgroup PATH: true if PATH is a docker or podman
# container's cgroup (/docker/<64 hex>, /libpod_parent/libpod-<64 hex>,
# or the systemd-manager forms docker-<64 hex>.scope, libpod-<64 hex>.scope).
ct_is_container_cgroup() {
	printf '%s\n' "$1" | grep -Eq \
		'^/(docker/[0-9a-f]{64}|libpod_parent/libpod-[0-9a-f]{64}|.*/(docker|libpod)-[0-9a-f]{64}\.scope)$'
}

# _ct_port_inodes PORT: socket inodes listening on TCP PORT (any address).
_ct_port_inodes() {
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }'
}

# _ct_listens PID PORT: true if process PID holds a socket listening on PORT.
_ct_listens() {
	for _ct_ino in $(_ct_port_inodes "$2"); do
		for _ct_f in "/proc/$1/fd/"*; do
			[ "$(readlink "$_ct_f" 2>/dev/null)" = "socket:[$_ct_ino]" ] && return 0
		done
	done
	return 1
}

# shellcheck disable=SC2034 # CT_HTTPD_PORT is for the caller
# ct_httpd_start DIR [PORT]: serve DIR over HTTP on 127.0.0.1 with busybox
# httpd, on PORT or the first free port from 18080 on. Sets CT_HTTPD_PORT
# and CT_HTTPD_PID; returns once it answers. Stop it with ct_httpd_stop.
ct_httpd_start() {
	_ct_dir=$1
	_ct_port=${2:-18080}
	_ct_last=$((_ct_port + 40))
	[ -n "${2:-}" ] && _ct_last=$_ct_port
	while [ "$_ct_port" -le "$_ct_last" ]; do
		if [ -n "$(_ct_port_inodes "$_ct_port")" ]; then	# taken
			_ct_port=$((_ct_port + 1))
			continue
		fi
		busybox httpd -f -p "127.0.0.1:$_ct_port" -h "$_ct_dir" </dev/null >/dev/null 2>&1 &
		CT_HTTPD_PID=$!
		_ct_n=25
		while _ct_alive "$CT_HTTPD_PID" && [ "$_ct_n" -gt 0 ]; do
			# Ours (not a server another test started meanwhile) and
			# answering: any HTTP answer will do (DIR may have no
			# index.html). Not "wget -T": it segfaults in Debian 12's
			# busybox-static.
			if _ct_listens "$CT_HTTPD_PID" "$_ct_port" &&
				timeout 3 busybox wget -S -O /dev/null "http://127.0.0.1:$_ct_port/" 2>&1 |
				grep -q '^ *HTTP/'; then
				CT_HTTPD_PORT=$_ct_port
				return 0
			fi
			_ct_n=$((_ct_n - 1))
			_ct_sleep 0.2
		done
		_ct_kill "$CT_HTTPD_PID"	# port taken (httpd exited) or not answering
		_ct_port=$((_ct_port + 1))
	done
	CT_HTTPD_PID=
	_ct_err "busybox httpd could not serve $_ct_dir on 127.0.0.1:${2:-18080..$_ct_last}"
	return 1
}

# ct_httpd_stop: stop the server ct_httpd_start started, if any.
ct_httpd_stop() {
	[ -n "${CT_HTTPD_PID:-}" ] && _ct_kill "$CT_HTTPD_PID"
	CT_HTTPD_PID=
	return 0
}
