#!/bin/sh
# Container scenarios on this machine's kernel, with real runtimes:
# Podman (runc), a private dockerd and a private containerd driven with
# ctr (tests/containers/runtimes.sh sets them up from Debian's packages).
# Every container uses the host network
# and talks to a busybox httpd on 127.0.0.1. Tracers run with -o json
# (columns for the guide's example) and are started before the
# containers, so each container is one trace_tcp has never seen before.
# Prints PASS/FAIL/INFO lines.
set -u
cd "$(dirname "$0")/../.."
. tests/containers/runtimes.sh
. tests/containers/checks.sh

TRACE_TCP=${TRACE_TCP:-./trace_tcp}
WORK=$(mktemp -d /tmp/trace_tcp_ct.XXXXXX)
IMG=$CT_PODMAN_IMAGE
TRACERS=""
CONTAINERS=""
DOCKER_UP=0
CTRD_STARTED=0

pass() { echo "PASS: containers/$1"; }
fail() { echo "FAIL: containers/$1"; }
note() { echo "INFO: containers/$1"; }

cleanup() {
	for _t in $TRACERS; do kill -INT "$_t" 2>/dev/null; done
	# shellcheck disable=SC2086
	ct_podman_cleanup $CONTAINERS
	[ "$DOCKER_UP" = 1 ] && ct_dockerd_stop
	[ "$CTRD_STARTED" = 1 ] && ct_containerd_stop
	ct_httpd_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# port_listening PORT: a TCP listener on PORT (from /proc/net/tcp)
port_listening() {
	_hex=$(printf ':%04X ' "$1")
	grep -q "$_hex[0-9A-F:]* 0A " /proc/net/tcp
}

wget_cmd() { echo "wget -q -O /dev/null http://127.0.0.1:$1/"; }

setup() {
	if [ "$(id -u)" != 0 ]; then
		fail "setup: needs root"
		return 1
	fi
	if ! ct_install || ! ct_podman_image; then
		fail "setup: podman (see $CT_STATE_DIR)"
		return 1
	fi
	mkdir -p "$WORK/www" && echo hello >"$WORK/www/index.html"
	chmod 755 "$WORK" "$WORK/www"
	if ! ct_httpd_start "$WORK/www"; then
		fail "setup: busybox httpd"
		return 1
	fi
	PORT=$CT_HTTPD_PORT
	if ct_dockerd_start && ct_docker_image; then
		DOCKER_UP=1
	else
		fail "setup: dockerd (log: $CT_DOCKER_LOG)"
		tail -n 5 "$CT_DOCKER_LOG" 2>/dev/null | sed 's/^/    /'
	fi
	note "setup: httpd on 127.0.0.1:$PORT, podman $(podman --version | cut -d' ' -f3), docker $DOCKER_UP"
	return 0
}

# Inspektor Gadget's guide: the tracer first, then a container that lives
# for one wget and is removed at once; its connect carries its name.
scenario_guide_podman() {
	tracer_start guide || return
	tracer_start guidejson -o json || return
	CONTAINERS="$CONTAINERS test-trace-tcp"
	# shellcheck disable=SC2046
	ct_podman_run --rm --name test-trace-tcp --cidfile "$WORK/guide.cid" \
		"$IMG" $(wget_cmd "$PORT") >"$WORK/guide.run" 2>&1 ||
		fail "guide/podman-run: $(tail -n 2 "$WORK/guide.run")"
	sleep 1
	tracer_stop guide
	tracer_stop guidejson
	cp "$WORK/guide.out" build/containers-guide.txt 2>/dev/null
	_cid=$(cat "$WORK/guide.cid" 2>/dev/null)
	expect guide/columns-name guide 1 "test-trace-tcp " " wget " \
		"127.0.0.1:$PORT " " connect"
	expect guide/json-runtime guidejson 1 '"type":"connect"' \
		"\"runtime\":{\"containerName\":\"test-trace-tcp\",\"containerId\":\"$_cid\",\"runtimeName\":\"podman\",\"containerImageName\":\"$IMG\"}" \
		'"comm":"wget"' "\"dst\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
	expect guide/json-close guidejson 1 '"type":"close"' \
		'"containerName":"test-trace-tcp"' '"comm":"wget"'
	# The host's httpd accepted that connection: its events are the host's.
	expect guide/host-accept-unnamed guidejson 1 '"type":"accept"' \
		"\"src\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
	expect guide/host-has-no-runtime guidejson none '"type":"accept"' \
		'"runtime"' "\"src\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
}

# A server in a Docker container accepting from a client in a Podman
# container: each event names the container of the task that did it.
scenario_server_client() {
	[ "$DOCKER_UP" = 1 ] || { fail "server-client: no dockerd"; return; }
	_sport=$((PORT + 100))
	tracer_start pair -o json --docker-root "$CT_DOCKER_ROOT" || return
	ct_docker_run -d --name tt-server tt-busybox httpd -f \
		-p "127.0.0.1:$_sport" -h /etc >"$WORK/pair.srv" 2>&1 ||
		fail "server-client/docker-run: $(tail -n 2 "$WORK/pair.srv")"
	for _i in $(seq 50); do port_listening "$_sport" && break; sleep 0.2; done
	CONTAINERS="$CONTAINERS tt-client"
	# shellcheck disable=SC2046
	ct_podman_run --rm --name tt-client "$IMG" wget -q -O /dev/null \
		"http://127.0.0.1:$_sport/passwd" >"$WORK/pair.cli" 2>&1 ||
		fail "server-client/podman-run: $(tail -n 2 "$WORK/pair.cli")"
	sleep 1
	tracer_stop pair
	ct_docker_cleanup tt-server
	_to="\"dst\":{\"addr\":\"127.0.0.1\",\"port\":$_sport,"
	_at="\"src\":{\"addr\":\"127.0.0.1\",\"port\":$_sport,"
	expect server-client/connect-names-client pair 1 '"type":"connect"' \
		'"containerName":"tt-client"' '"runtimeName":"podman"' "$_to"
	expect server-client/accept-names-server pair 1 '"type":"accept"' \
		'"containerName":"tt-server"' '"runtimeName":"docker"' \
		'"containerImageName":"tt-busybox' '"comm":"httpd"' "$_at"
	expect server-client/client-close pair 1 '"type":"close"' \
		'"containerName":"tt-client"' "$_to"
	expect server-client/server-close pair 1 '"type":"close"' \
		'"containerName":"tt-server"' "$_at"
	expect server-client/no-crossed-names pair none \
		'"containerName":"tt-client"' "$_at"
	expect server-client/no-crossed-names-2 pair none \
		'"containerName":"tt-server"' "$_to"
}

# Two running containers and a host process, the same traffic for all,
# seen by seven tracers at once: -c one, -c !one, --containers-only,
# none, and -F on runtime.containerName (==, !=, ~).
scenario_filters() {
	tracer_start name_is -o json -F runtime.containerName==tt-one || return
	tracer_start name_not -o json -F 'runtime.containerName!=tt-one' || return
	tracer_start name_re -o json -F 'runtime.containerName~^tt-(one|two)$' || return
	tracer_start only_one -v -o json -c tt-one || return
	tracer_start not_one -o json --containername '!tt-one' || return
	tracer_start containers -o json --containers-only || return
	tracer_start everything -o json || return
	_loop="for i in 1 2 3 4 5 6; do $(wget_cmd "$PORT"); sleep 0.3; done"
	CONTAINERS="$CONTAINERS tt-one tt-two"
	ct_podman_run -d --name tt-one "$IMG" sh -c "$_loop" >/dev/null 2>&1 ||
		fail "filters/run-tt-one"
	ct_podman_run -d --name tt-two "$IMG" sh -c "$_loop" >/dev/null 2>&1 ||
		fail "filters/run-tt-two"
	for _i in 1 2 3 4 5 6; do
		busybox wget -q -O /dev/null "http://127.0.0.1:$PORT/"
		sleep 0.3
	done
	ct_podman wait tt-one tt-two >/dev/null 2>&1
	sleep 1
	for _t in only_one not_one containers everything name_is name_not name_re; do
		tracer_stop "$_t"
	done
	ct_podman_cleanup tt-one tt-two
	_c='"type":"connect"'
	expect filters/c-shows-it only_one 6 "$_c" '"containerName":"tt-one"'
	# After its first event, a hidden cgroup's events stop in the kernel.
	_hidden=$(sed -n 's/^trace_tcp: \([0-9]*\) events hidden by the container filters in the kernel$/\1/p' \
		"$WORK/only_one.err")
	if [ "${_hidden:-0}" -ge 12 ]; then
		note "filters: -c tt-one: $_hidden events hidden in the kernel"
		pass "filters/hidden-in-kernel"
	else
		fail "filters/hidden-in-kernel: '${_hidden}' events hidden in the kernel, want >= 12"
		sed 's/^/    /' "$WORK/only_one.err"
	fi
	expect filters/c-hides-other only_one none '"containerName":"tt-two"'
	expect filters/c-hides-host only_one none '"comm":"busybox"'
	expect filters/excl-hides-it not_one none '"containerName":"tt-one"'
	expect filters/excl-shows-other not_one 6 "$_c" '"containerName":"tt-two"'
	expect filters/excl-shows-host not_one 6 "$_c" '"comm":"busybox"'
	expect filters/only-shows-both containers 6 "$_c" '"containerName":"tt-one"'
	expect filters/only-shows-both-2 containers 6 "$_c" '"containerName":"tt-two"'
	expect filters/only-hides-host containers none '"comm":"busybox"'
	expect filters/default-shows-all everything 6 "$_c" '"containerName":"tt-one"'
	expect filters/default-shows-all-2 everything 6 "$_c" '"containerName":"tt-two"'
	expect filters/default-shows-host everything 6 "$_c" '"comm":"busybox"'
	expect filters/F-eq-shows-it name_is 6 "$_c" '"containerName":"tt-one"'
	expect filters/F-eq-hides-other name_is none '"containerName":"tt-two"'
	expect filters/F-eq-hides-host name_is none '"comm":"busybox"'
	expect filters/F-ne-hides-it name_not none '"containerName":"tt-one"'
	expect filters/F-ne-shows-other name_not 6 "$_c" '"containerName":"tt-two"'
	expect filters/F-ne-shows-host name_not 6 "$_c" '"comm":"busybox"'
	expect filters/F-re-shows-one name_re 6 "$_c" '"containerName":"tt-one"'
	expect filters/F-re-shows-two name_re 6 "$_c" '"containerName":"tt-two"'
	expect filters/F-re-hides-host name_re none '"comm":"busybox"'
}

# The guide with Docker: named through TRACE_TCP_DOCKER_ROOT; a tracer
# that does not know this data root shows the id only, never a wrong name.
scenario_guide_docker() {
	[ "$DOCKER_UP" = 1 ] || { fail "guide-docker: no dockerd"; return; }
	TRACE_TCP_DOCKER_ROOT=$CT_DOCKER_ROOT tracer_start dguide -o json || return
	tracer_start dnoroot -o json || return
	tracer_start dcols --docker-root "$CT_DOCKER_ROOT" || return
	rm -f "$WORK/d.cid"
	# shellcheck disable=SC2046
	ct_docker_run --rm --name test-trace-tcp-docker --cidfile "$WORK/d.cid" \
		tt-busybox $(wget_cmd "$PORT") >"$WORK/d.run" 2>&1 ||
		fail "guide-docker/docker-run: $(tail -n 2 "$WORK/d.run")"
	sleep 1
	tracer_stop dguide
	tracer_stop dnoroot
	tracer_stop dcols
	cp "$WORK/dcols.out" build/containers-guide-docker.txt 2>/dev/null
	_cid=$(cat "$WORK/d.cid" 2>/dev/null)
	expect guide-docker/columns-name dcols 1 "test-trace-tcp-docker " \
		" wget " "127.0.0.1:$PORT " " connect"
	expect guide-docker/json-runtime dguide 1 '"type":"connect"' \
		"\"runtime\":{\"containerName\":\"test-trace-tcp-docker\",\"containerId\":\"$_cid\",\"runtimeName\":\"docker\",\"containerImageName\":\"tt-busybox" \
		'"comm":"wget"'
	expect guide-docker/unknown-root-id-only dnoroot 1 '"type":"connect"' \
		"\"runtime\":{\"containerId\":\"$_cid\",\"runtimeName\":\"docker\"}" \
		'"comm":"wget"'
}

# The guide with containerd itself, through ctr: the container id (64 hex,
# chosen here) comes from its cgroup /default/<id>, the name from the
# nerdctl/name annotation in the bundle's config.json under the tasks
# dir given with --containerd-tasks.
scenario_containerd() {
	_t0=$(date +%s.%N)
	CTRD_STARTED=1
	if ! ct_containerd_start 2>"$WORK/ctrd.start"; then
		fail "containerd/start: $(tail -n 1 "$WORK/ctrd.start")"
		tail -n 5 "$CT_CONTAINERD_LOG" 2>/dev/null | sed 's/^/    /'
		return
	fi
	if ! ct_containerd_image 2>"$WORK/ctrd.image"; then
		fail "containerd/image: $(tail -n 1 "$WORK/ctrd.image")"
		return
	fi
	_t1=$(date +%s.%N)
	_id=$(ct_ctr_id)
	tracer_start ctrd -o json --containerd-tasks "$CT_CONTAINERD_TASKS" || return
	# shellcheck disable=SC2046
	ct_ctr_run --rm --annotation nerdctl/name=test-trace-tcp-ctr \
		"$CT_CONTAINERD_IMAGE" "$_id" $(wget_cmd "$PORT") >"$WORK/ctrd.run" 2>&1 ||
		fail "containerd/ctr-run: $(tail -n 2 "$WORK/ctrd.run")"
	sleep 1
	tracer_stop ctrd
	expect containerd/json-runtime ctrd 1 '"type":"connect"' \
		"\"runtime\":{\"containerName\":\"test-trace-tcp-ctr\",\"containerId\":\"$_id\",\"runtimeName\":\"containerd\"" \
		'"comm":"wget"' "\"dst\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
	_t2=$(date +%s.%N)
	ct_containerd_stop 2>"$WORK/ctrd.stop" ||
		fail "containerd/stop: $(tail -n 1 "$WORK/ctrd.stop")"
	CTRD_STARTED=0
	_t3=$(date +%s.%N)
	note "containerd: $($CT_CTR --version | cut -d' ' -f3), snapshotter ${CT_CONTAINERD_SNAPSHOTTER:-?}; $(echo "$_t0 $_t1 $_t2 $_t3" |
		awk '{ printf "start+image %.2f s, trace+run %.2f s, stop %.2f s", $2 - $1, $3 - $2, $4 - $3 }')"
}

if setup; then
	# No set-up delay here: the notice must wake trace_tcp at once.
	TRACE_TCP=$TRACE_TCP SETUP_DELAY=0 sh tests/containers/fake-runtime.sh
	scenario_guide_podman
	scenario_server_client
	scenario_filters
	scenario_guide_docker
	scenario_containerd
fi
# No runtime needed: hostile state files in cgroups made by hand.
TRACE_TCP=$TRACE_TCP sh tests/containers/hostile.sh
# No runtime or kubelet needed: pods of three runtimes' formats, by hand.
TRACE_TCP=$TRACE_TCP sh tests/containers/k8s-pods.sh
