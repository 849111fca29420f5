#!/bin/sh
# Self-check of tests/containers/runtimes.sh: installs podman/docker, builds
# the busybox images, and has a podman, a docker and a containerd (ctr)
# container fetch a page from a busybox httpd on the host's loopback
# (containers use the host's network namespace); checks the cgroup path
# each container gets; then removes the containers and stops the private
# dockerd and containerd (also on failure or interruption). Prints "PASS: containers/NAME", "FAIL: containers/NAME: why"
# and "INFO: ..." lines; exits non-zero if anything failed. Run as root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=runtimes.sh
. "$here/runtimes.sh"

failed=0
pass() { echo "PASS: containers/$1"; }
fail() { echo "FAIL: containers/$1: $2"; failed=1; }
info() { echo "INFO: containers: $*"; }

P_RUN=tt-smoke-podman-wget
P_BG=tt-smoke-podman-bg
D_RUN=tt-smoke-docker-wget
D_BG=tt-smoke-docker-bg
C_RUN=$(ct_ctr_id)
C_BG=$(ct_ctr_id)

work=
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	trap - EXIT INT TERM HUP
	ct_podman_cleanup "$P_RUN" "$P_BG"
	ct_docker_cleanup "$D_RUN" "$D_BG"
	ct_dockerd_stop || failed=1
	ct_ctr_cleanup "$C_RUN" "$C_BG"
	ct_containerd_stop || failed=1
	ct_httpd_stop
	[ -n "$work" ] && rm -rf "$work"
}
trap 'cleanup; exit $failed' EXIT
trap 'failed=1; exit' INT TERM HUP

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: containers/smoke: needs root"
	exit 0
fi

# check_cgroup NAME PID PATH_SEEN_INSIDE: PATH_SEEN_INSIDE (a "0::" line read
# inside a container) is a container's cgroup, and so is that of PID (a
# detached container's, read from the host), whose directory exists in the
# cgroup v2 hierarchy.
check_cgroup() {
	if ! ct_is_container_cgroup "$3"; then
		fail "$1" "0:: line inside the container is '$3'"
	elif [ -z "$2" ]; then
		fail "$1" "no PID for the detached container"
	elif ! ct_is_container_cgroup "$(ct_pid_cgroup2 "$2")"; then
		fail "$1" "host sees PID $2 in '$(ct_pid_cgroup2 "$2")'"
	elif [ ! -d "$(ct_cgroup2_mount)$(ct_pid_cgroup2 "$2")" ]; then
		fail "$1" "no directory $(ct_cgroup2_mount)$(ct_pid_cgroup2 "$2")"
	else
		info "$1: inside: $3; detached one from the host: $(ct_pid_cgroup2 "$2")"
		pass "$1"
	fi
}

if ct_install; then pass install; else fail install "ct_install failed"; exit; fi

work=$(mktemp -d /tmp/tt-ct-smoke.XXXXXX) || { fail setup "mktemp"; exit; }
chmod 755 "$work"

# The rootfs: every directory 755 (but /tmp 1777), busybox and its links.
if ct_rootfs_tar "$work/rootfs.tar"; then
	bad=$(tar -tvf "$work/rootfs.tar" | awk '/^d/ && $1 != "drwxr-xr-x" && $NF != "./tmp/" { print $NF }')
	if [ -n "$bad" ]; then
		fail rootfs "directories not 755: $bad"
	elif ! tar -tf "$work/rootfs.tar" | grep -qx './bin/wget'; then
		fail rootfs "no ./bin/wget in the tarball"
	else
		pass rootfs
	fi
else
	fail rootfs "ct_rootfs_tar failed"
fi

mkdir -p "$work/www" && chmod 755 "$work/www"
token="tt-smoke-$$-$(date +%s)"
echo "$token" >"$work/www/index.html"
if ct_httpd_start "$work/www"; then
	info "host httpd on 127.0.0.1:$CT_HTTPD_PORT"
else
	fail httpd "could not start busybox httpd on the loopback"
	exit
fi
url="http://127.0.0.1:$CT_HTTPD_PORT/"

# ---- podman
ct_podman_cleanup "$P_RUN" "$P_BG"	# leftovers of an interrupted run
if ct_podman_image "$work/rootfs.tar"; then
	pass podman-image
	got=$(ct_podman_run --rm --name "$P_RUN" localhost/tt-busybox timeout 10 wget -q -O - "$url" 2>"$work/podman.err")
	if [ "$got" = "$token" ]; then
		pass podman-wget
	else
		fail podman-wget "got '$got'; $(tail -1 "$work/podman.err")"
	fi
	inside=$(ct_podman_run --rm localhost/tt-busybox cat /proc/self/cgroup 2>&1 | sed -n 's/^0:://p')
	ct_podman_run -d --name "$P_BG" localhost/tt-busybox sh -c 'sleep 60' >/dev/null 2>"$work/podman-bg.err" ||
		info "podman run -d: $(tail -1 "$work/podman-bg.err")"
	check_cgroup podman-cgroup "$(ct_podman_pid "$P_BG")" "$inside"
	ct_podman_cleanup "$P_RUN" "$P_BG"
	if [ -z "$(ct_podman ps -aq --filter "name=^tt-smoke-" 2>/dev/null)" ]; then
		pass podman-cleanup
	else
		fail podman-cleanup "containers left: $(ct_podman ps -a --filter "name=^tt-smoke-" --format '{{.Names}}')"
	fi
else
	fail podman-image "ct_podman_image failed"
fi

# ---- docker
if ct_dockerd_start; then
	pass dockerd-start
	info "dockerd $(ct_docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null), storage driver $CT_DOCKER_STORAGE, data root $CT_DOCKER_ROOT"
	if ct_docker_image "$work/rootfs.tar"; then
		pass docker-image
		got=$(ct_docker_run --rm --name "$D_RUN" tt-busybox timeout 10 wget -q -O - "$url" 2>"$work/docker.err")
		if [ "$got" = "$token" ]; then
			pass docker-wget
		else
			fail docker-wget "got '$got'; $(tail -1 "$work/docker.err")"
		fi
		inside=$(ct_docker_run --rm tt-busybox cat /proc/self/cgroup 2>&1 | sed -n 's/^0:://p')
		ct_docker_run -d --name "$D_BG" tt-busybox sh -c 'sleep 60' >/dev/null 2>"$work/docker-bg.err" ||
			info "docker run -d: $(tail -1 "$work/docker-bg.err")"
		check_cgroup docker-cgroup "$(ct_docker_pid "$D_BG")" "$inside"
	else
		fail docker-image "ct_docker_image failed"
	fi
	# Stop it with a container still running: that must clean up too.
	if ct_dockerd_stop; then
		left=$(_ct_docker_pids)
		mnts=$(grep -E " ($CT_DOCKER_ROOT|$CT_DOCKER_EXEC)(/| )" /proc/self/mountinfo)
		if [ -n "$left" ]; then
			fail dockerd-stop "processes left: $left"
		elif [ -n "$mnts" ]; then
			fail dockerd-stop "mounts left: $mnts"
		else
			pass dockerd-stop
		fi
	else
		fail dockerd-stop "ct_dockerd_stop failed"
	fi
else
	fail dockerd-start "ct_dockerd_start failed"
fi

# ---- containerd (ctr)
if ct_containerd_start; then
	pass containerd-start
	info "containerd $($CT_CTR --version | cut -d' ' -f3), snapshotter $CT_CONTAINERD_SNAPSHOTTER, tasks dir $CT_CONTAINERD_TASKS"
	if ct_containerd_image; then
		pass containerd-image
		got=$(ct_ctr_run --rm "$CT_CONTAINERD_IMAGE" "$C_RUN" timeout 10 wget -q -O - "$url" 2>"$work/ctr.err")
		if [ "$got" = "$token" ]; then
			pass containerd-wget
		else
			fail containerd-wget "got '$got'; $(tail -1 "$work/ctr.err")"
		fi
		inside=$(ct_ctr_run --rm "$CT_CONTAINERD_IMAGE" "$(ct_ctr_id)" cat /proc/self/cgroup 2>&1 | sed -n 's/^0:://p')
		ct_ctr_run -d --annotation nerdctl/name=tt-smoke-ctr-bg "$CT_CONTAINERD_IMAGE" "$C_BG" \
			sh -c 'sleep 60' >/dev/null 2>"$work/ctr-bg.err" ||
			info "ctr run -d: $(tail -1 "$work/ctr-bg.err")"
		pid=$(ct_ctr_pid "$C_BG")
		seen=$(ct_pid_cgroup2 "${pid:-0}")
		if ! printf '%s\n' "$inside" | grep -Eq "^/$CT_CONTAINERD_NS/[0-9a-f]{64}\$"; then
			fail containerd-cgroup "0:: line inside the container is '$inside'"
		elif [ "$seen" != "/$CT_CONTAINERD_NS/$C_BG" ]; then
			fail containerd-cgroup "host sees PID '$pid' in '$seen', want /$CT_CONTAINERD_NS/$C_BG"
		elif [ ! -d "$(ct_cgroup2_mount)$seen" ]; then
			fail containerd-cgroup "no directory $(ct_cgroup2_mount)$seen"
		else
			info "containerd-cgroup: inside: $inside; detached one from the host: $seen"
			pass containerd-cgroup
		fi
		# What trace_tcp reads: the bundle's config.json, with the annotation.
		if grep -q '"nerdctl/name":"tt-smoke-ctr-bg"' \
			"$CT_CONTAINERD_TASKS/$CT_CONTAINERD_NS/$C_BG/config.json" 2>/dev/null; then
			pass containerd-bundle
		else
			fail containerd-bundle "no nerdctl/name annotation in $CT_CONTAINERD_TASKS/$CT_CONTAINERD_NS/$C_BG/config.json"
		fi
	else
		fail containerd-image "ct_containerd_image failed"
	fi
	# Stop it with a container still running: that must clean up too.
	if ct_containerd_stop; then
		left=$(_ct_containerd_pids)
		mnts=$(grep -E " ($CT_CONTAINERD_ROOT|$CT_CONTAINERD_STATE)(/| )" /proc/self/mountinfo)
		if [ -n "$left" ]; then
			fail containerd-stop "processes left: $left"
		elif [ -n "$mnts" ]; then
			fail containerd-stop "mounts left: $mnts"
		elif [ -e "$CT_CONTAINERD_STATE" ] || [ -n "$(ls -d /sys/fs/cgroup/*/"$CT_CONTAINERD_NS/$C_BG" 2>/dev/null)" ]; then
			fail containerd-stop "state dir or cgroups of $C_BG left"
		else
			pass containerd-stop
		fi
	else
		fail containerd-stop "ct_containerd_stop failed"
	fi
else
	fail containerd-start "ct_containerd_start failed"
fi
exit
