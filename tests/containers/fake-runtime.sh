#!/bin/sh
# Containers without a container runtime, for kernels where none is
# installed (the QEMU guest): two cgroups named the way Docker names
# them, /docker/<id>, with Docker-format state files in a private data
# root, and busybox processes moved into them. One "container" exists
# before the tracer starts (found by walking cgroup2), the other is
# created after it (announced by cgroup_mkdir) and, like `--rm`, its
# cgroup and state are removed as soon as its one wget is done. As with
# a real runtime, some time passes between the cgroup's creation and the
# container's process (runc's set-up: well over 100 ms); the announcement
# wakes trace_tcp at once, and it reads the state then.
# The client's state carries Kubernetes labels (cri-dockerd style).
# env: TRACE_TCP, BACKEND, SETUP_DELAY (seconds between the cgroup's
# creation and its process, default 0.2; 0 checks that the announcement
# wakes trace_tcp at once). Prints PASS/FAIL/INFO lines.
set -u
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
BACKEND=${BACKEND:-auto}
SERVER_ID=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1
CLIENT_ID=c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2
PORT=18777
WORK=$(mktemp -d /tmp/tt-fake.XXXXXX)
ROOT=$WORK/docker
SERVER_PID=""
TRACERS=""

pass() { echo "PASS: fake-runtime/$1"; }
fail() { echo "FAIL: fake-runtime/$1"; }
note() { echo "INFO: fake-runtime/$1"; }
. "$(dirname "$0")/checks.sh"
CG=$(cgroup2_mount)

cleanup() {
	for p in $TRACERS $SERVER_PID; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for id in $SERVER_ID $CLIENT_ID; do
		[ -d "$CG/docker/$id" ] && rmdir "$CG/docker/$id" 2>/dev/null
	done
	rmdir "$CG/docker" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# state ID NAME [LABELS_JSON]: a Docker config.v2.json for ID
state() {
	mkdir -p "$ROOT/containers/$1"
	printf '{"ID":"%s","Name":"/%s","Config":{"Image":"busybox:fake","Labels":{%s}}}\n' \
		"$1" "$2" "${3:-}" >"$ROOT/containers/$1/config.v2.json"
}

# IN_CGROUP DIR CMD...: CMD as a process of cgroup DIR (exec: same pid)
IN_CGROUP='echo $$ > "$0/cgroup.procs" && exec "$@"'

# A tracer with this script's fixed flags (see checks.sh).
tracer() {
	_t=$1
	shift
	tracer_start "$_t" -o json --backend "$BACKEND" --docker-root "$ROOT" "$@"
}

if [ -z "$CG" ]; then
	fail "setup: no cgroup2 mount"
	exit 0
fi
mkdir -p "$CG/docker/$SERVER_ID" "$WORK/www" "$WORK/bin" || { fail "setup: mkdir in $CG"; exit 0; }
# Applets called by these names get them as comm; the host's requests
# use plain "busybox wget" (comm busybox).
bb=$(command -v busybox)
case $bb in /*) ;; *) bb=$(which busybox 2>/dev/null || echo /bin/busybox) ;; esac
for applet in httpd wget; do ln -s "$bb" "$WORK/bin/$applet"; done
echo hi >"$WORK/www/index.html"
chmod -R 755 "$WORK"
state "$SERVER_ID" guest-server
sh -c "$IN_CGROUP" "$CG/docker/$SERVER_ID" "$WORK/bin/httpd" -f -p "127.0.0.1:$PORT" -h "$WORK/www" &
SERVER_PID=$!
up=0
for _i in $(seq 50); do
	busybox wget -q -O /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && up=1 && break
	sleep 0.1
done
if [ "$up" = 0 ]; then
	fail "setup: httpd in $CG/docker/$SERVER_ID does not answer"
	exit 0
fi
echo "INFO: fake-runtime: cgroup2 at $CG, server pid $SERVER_PID"

tracer all || exit 0
tracer server -c guest-server || exit 0
tracer only --containers-only || exit 0

# The client "container" appears now, makes one request, and is gone.
state "$CLIENT_ID" guest-client \
	'"io.kubernetes.pod.namespace":"default","io.kubernetes.pod.name":"web-0","io.kubernetes.container.name":"client"'
mkdir "$CG/docker/$CLIENT_ID"
sleep ${SETUP_DELAY:-0.2}	# runc's set-up
sh -c "$IN_CGROUP" "$CG/docker/$CLIENT_ID" "$WORK/bin/wget" -q -O /dev/null "http://127.0.0.1:$PORT/"
rmdir "$CG/docker/$CLIENT_ID"
rm -rf "${ROOT:?}/containers/$CLIENT_ID"
busybox wget -q -O /dev/null "http://127.0.0.1:$PORT/"	# from the host
sleep 1
for t in all server only; do tracer_stop "$t"; done
TRACERS=""

to="\"dst\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
at="\"src\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
expect client-connect all 1 '"type":"connect"' \
	"\"runtime\":{\"containerName\":\"guest-client\",\"containerId\":\"$CLIENT_ID\",\"runtimeName\":\"docker\",\"containerImageName\":\"busybox:fake\"},\"k8s\":{\"namespace\":\"default\",\"podName\":\"web-0\",\"containerName\":\"client\"}" \
	'"comm":"wget"' "$to"
expect client-close all 1 '"type":"close"' '"containerName":"guest-client"' "$to"
expect server-accept all 2 '"type":"accept"' '"containerName":"guest-server"' \
	'"comm":"httpd"' "$at"
expect server-close all 2 '"type":"close"' '"containerName":"guest-server"' "$at"
expect host-connect all 1 '"type":"connect"' '"comm":"busybox"' "$to"
expect host-unnamed all none '"comm":"busybox"' '"runtime"'
expect c-server server 2 '"type":"accept"' '"containerName":"guest-server"'
expect c-hides-client server none '"containerName":"guest-client"'
expect c-hides-host server none '"comm":"busybox"'
expect only-client only 1 '"type":"connect"' '"containerName":"guest-client"'
expect only-hides-host only none '"comm":"busybox"'
