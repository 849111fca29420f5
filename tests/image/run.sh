#!/bin/sh
# The OCI image and the Kubernetes manifest (tests/image/README.md): make
# image twice, its layout, podman load and a containerized tracer naming
# another container, ctr images import, docker load, the manifest's schema,
# podman kube play. Root; prints PASS/FAIL/SKIP lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
PY=/usr/bin/python3	# Debian's, with python3-yaml and python3-kubernetes
MANIFEST=${MANIFEST:-scripts/kubernetes/trace_tcp.yaml}	# another to see the tests fail
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)
REF=localhost/trace_tcp:$VERSION
ARCHIVE=build/image/trace_tcp-$VERSION.oci.tar
BINARIES="x86_64=build/trace_tcp.stripped arm64=build/arm64/trace_tcp.stripped armhf=build/armhf/trace_tcp.stripped"
TRACER=tt-image-tracer
CLIENT=tt-image-client
. tests/containers/runtimes.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tt-image.XXXXXX") || exit 1
mkdir "$tmp/www" "$tmp/play" "$tmp/tracing"
cleanup() {
	ct_podman_cleanup "$TRACER" "$CLIENT"
	ct_podman pod rm -f -i -t 0 "$TRACER-pod" "$CLIENT-pod" >/dev/null 2>&1
	ct_httpd_stop
	ct_containerd_stop
	ct_dockerd_stop
	umount "$tmp/tracing" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

INDEX=	# the index digest of the first build

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }

# make image here, then again from a copy of the tracked files at
# another path, built from scratch with another umask and time zone: the
# same archive bytes and index digest.
t_reproducible() {
	if ! make -s image >"$tmp/make.log" 2>&1; then
		fail "image-build: make image failed: $(tail -1 "$tmp/make.log")"
		return 1
	fi
	INDEX=$(sed -n 's/.*, index \(sha256:[0-9a-f]*\),.*/\1/p' "$tmp/make.log")
	pass "image-build: $REF, index $INDEX"
	sed -n 's/^build\/image\/[^:]*: \(linux\/.*\)/INFO: image size \1/p' "$tmp/make.log"
	mkdir "$tmp/src"
	git ls-files -z | xargs -0 cp --parents -t "$tmp/src"
	started=$(date +%s)
	if ! (cd "$tmp/src" && umask 077 && TZ=Asia/Tokyo make -s image) >"$tmp/again.log" 2>&1; then
		fail "image-reproducible: the second make image failed: $(tail -1 "$tmp/again.log")"
		return 1
	fi
	again=$(sed -n 's/.*, index \(sha256:[0-9a-f]*\),.*/\1/p' "$tmp/again.log")
	if [ "$again" = "$INDEX" ] && cmp -s "$ARCHIVE" "$tmp/src/$ARCHIVE"; then
		pass "image-reproducible: index $again twice, archive sha256 $(sha256sum <"$ARCHIVE" | cut -c1-64) twice (second build from scratch: $(($(date +%s) - started)) s)"
	else
		fail "image-reproducible: index $INDEX then $again; the archives $(cmp "$ARCHIVE" "$tmp/src/$ARCHIVE" 2>&1 | head -1)"
	fi
	rm -rf "$tmp/src"
}

t_layout() {
	# shellcheck disable=SC2086
	"$PY" tests/image/layout.py "$ARCHIVE" "$REF" $BINARIES
}

# What README.md says to push with: every CPU, the index's digest kept
# (into a local OCI layout here, not a registry).
t_skopeo() {
	if ! out=$(skopeo copy --all --preserve-digests "oci-archive:$ARCHIVE" \
		"oci:$tmp/copy:$VERSION" 2>&1); then
		fail "skopeo-copy: $(printf '%s\n' "$out" | tail -1)"
		return 1
	fi
	got=$(sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' "$tmp/copy/index.json")
	blobs=$(find "$tmp/copy/blobs/sha256" -type f | wc -l)
	# 3 CPUs x (manifest, config, layer) + the index
	if [ "$got" = "$INDEX" ] && [ "$blobs" = 10 ]; then
		pass "skopeo-copy: --all: index $got, $blobs blobs"
	else
		fail "skopeo-copy: index \"$got\" (want $INDEX), $blobs blobs (want 10)"
	fi
}

# wait_log CONTAINER TEXT SECONDS: until podman logs of CONTAINER hold TEXT.
wait_log() {
	n=$(($3 * 5))
	while [ "$n" -gt 0 ]; do
		ct_podman logs "$1" 2>&1 | grep -qF "$2" && return 0
		[ "$(ct_podman inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ] || return 1
		n=$((n - 1))
		_ct_sleep 0.2
	done
	return 1
}

# named_in CONTAINER NAME: the tracer CONTAINER's output shows a connect
# to the server from the container NAME, on this node (TRACE_TCP_NODE
# from the manifest: this host's name), up to 10 s.
named_in() {
	n=50
	while [ "$n" -gt 0 ]; do
		ct_podman logs "$1" 2>/dev/null >"$tmp/events" &&
			"$PY" tests/image/has-event.py "$2" "$CT_HTTPD_PORT" "$(hostname)" \
				<"$tmp/events" 2>"$tmp/why" &&
			return 0
		n=$((n - 1))
		_ct_sleep 0.2
	done
	return 1
}

t_podman_load() {
	ct_podman rmi -f "$REF" >/dev/null 2>&1
	if ! out=$(ct_podman load -i "$ARCHIVE" 2>&1); then
		fail "podman-load: $(printf '%s\n' "$out" | tail -1)"
		return 1
	fi
	got=$(ct_podman image inspect -f '{{.Architecture}} {{.Digest}}' "$REF" 2>&1)
	if [ "$got" = "amd64 $INDEX" ]; then
		pass "podman-load: $REF, amd64, digest $INDEX"
	else
		fail "podman-load: $REF is \"$got\", want \"amd64 $INDEX\""
		return 1
	fi
}

# The amd64 image run as the DaemonSet says (securityContext, mounts,
# env, limits, args: tests/image/daemonset.py), with no network of its
# own; a busybox container connects; the tracer must name it.
t_podman_names() {
	if ! args=$("$PY" tests/image/daemonset.py podman-args "$MANIFEST" "$REF" "$(hostname)" 2>"$tmp/ds.err"); then
		fail "podman-names: $(tail -1 "$tmp/ds.err")"
		return 1
	fi
	sed 's/^daemonset.py: /INFO: podman-names: /' "$tmp/ds.err"
	old=$IFS
	IFS='
'
	# shellcheck disable=SC2086 # one argument a line
	set -- $args
	IFS=$old
	ct_podman_cleanup "$TRACER" "$CLIENT"
	if ! out=$(ct_podman_run -d --name "$TRACER" --network none "$@" \
		-F "dst.port==$CT_HTTPD_PORT" 2>&1); then
		fail "podman-names: the tracer did not start: $(printf '%s\n' "$out" | tail -1)"
		return 1
	fi
	if ! wait_log "$TRACER" "trace_tcp: backend" 20; then
		fail "podman-names: the tracer did not attach: $(ct_podman logs "$TRACER" 2>&1 | tail -1)"
		return 1
	fi
	ct_podman_run --rm --name "$CLIENT" "$CT_PODMAN_IMAGE" \
		wget -q -O /dev/null "http://127.0.0.1:$CT_HTTPD_PORT/" >/dev/null 2>&1
	if named_in "$TRACER" "$CLIENT"; then
		pass "podman-names: the tracer in a container named $CLIENT's connect"
	else
		fail "podman-names: $(cat "$tmp/why")"
	fi
	ct_podman stop -t 10 "$TRACER" >/dev/null 2>&1
	code=$(ct_podman inspect -f '{{.State.ExitCode}}' "$TRACER" 2>/dev/null)
	if [ "$code" = 0 ] && ct_podman logs "$TRACER" 2>&1 | grep -q 'events printed'; then
		pass "podman-stop: SIGTERM, exit 0, its tally printed"
	else
		fail "podman-stop: exit code $code: $(ct_podman logs "$TRACER" 2>&1 | tail -1)"
	fi
	ct_podman_cleanup "$TRACER"
}

t_ctr_import() {
	if ! ct_containerd_start; then
		skip "ctr-import: the private containerd did not start (above)"
		return 0
	fi
	ct_ctr --timeout 30s images rm "$REF" >/dev/null 2>&1
	if ! out=$(ct_ctr --timeout 120s images import --snapshotter "$CT_CONTAINERD_SNAPSHOTTER" \
		"$ARCHIVE" 2>&1); then
		fail "ctr-import: $(printf '%s\n' "$out" | tail -1)"
		return 1
	fi
	line=$(ct_ctr --timeout 30s images ls | awk -v r="$REF" '$1 == r { print $3, $(NF-1) }')
	case " $line " in
	" $INDEX "*linux/amd64*) ;;
	*) fail "ctr-import: images ls says \"$line\", want $INDEX for linux/amd64"; return 1 ;;
	esac
	line=${line#* }
	id=$(ct_ctr_id)
	if got=$(ct_ctr_run --rm "$REF" "$id" /trace_tcp --version 2>&1) &&
		printf '%s\n' "$got" | grep -q "$VERSION"; then
		pass "ctr-import: $REF, index $INDEX, platforms $line; runs: $(printf '%s\n' "$got" | head -1)"
	else
		fail "ctr-import: ctr run $REF /trace_tcp --version: $(printf '%s\n' "$got" | tail -1)"
	fi
	ct_ctr_cleanup "$id"
	t_ctr_names
	ct_containerd_stop
}

# The DaemonSet's container under containerd (ctr run: its capabilities,
# seccomp, mounts, env, memory limit; the host network, as ct_ctr_run
# gives), its containerd-tasks mount on the private containerd's; a
# busybox container named by its nerdctl/name annotation connects.
t_ctr_names() {
	mkdir -p "$CT_CONTAINERD_TASKS"
	if ! args=$(TT_HOST_PATHS="${TT_HOST_PATHS:-}${TT_HOST_PATHS:+,}/run/containerd/io.containerd.runtime.v2.task=$CT_CONTAINERD_TASKS" \
		"$PY" tests/image/daemonset.py ctr-args "$MANIFEST" "$REF" "$(hostname)" 2>"$tmp/ds.err"); then
		fail "ctr-names: $(tail -1 "$tmp/ds.err")"
		return 1
	fi
	sed 's/^daemonset.py: /INFO: ctr-names: /' "$tmp/ds.err"
	if ! ct_containerd_image; then
		fail "ctr-names: no busybox image in containerd (above)"
		return 1
	fi
	tracer=$(ct_ctr_id)
	client=$(ct_ctr_id)
	old=$IFS
	IFS='
'
	# shellcheck disable=SC2086 # one argument a line
	set -- $args
	IFS=$old
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"	# no spaces in them (daemonset.py's paths)
		shift
	done
	shift
	# shellcheck disable=SC2086
	if ! out=$(ct_ctr_run -d --log-uri "file://$tmp/ctr-tracer.log" $opts "$tracer" \
		/trace_tcp "$@" -F "dst.port==$CT_HTTPD_PORT" 2>&1); then
		fail "ctr-names: the tracer did not start: $(printf '%s\n' "$out" | tail -1)"
		return 1
	fi
	n=100
	until grep -q 'trace_tcp: backend' "$tmp/ctr-tracer.log" 2>/dev/null || [ "$n" -le 0 ]; do
		n=$((n - 1))
		_ct_sleep 0.2
	done
	ct_ctr_run --rm --annotation nerdctl/name=tt-image-ctr-client "$CT_CONTAINERD_IMAGE" "$client" \
		wget -q -O /dev/null "http://127.0.0.1:$CT_HTTPD_PORT/" >/dev/null 2>&1
	n=50
	until "$PY" tests/image/has-event.py tt-image-ctr-client "$CT_HTTPD_PORT" "$(hostname)" \
		<"$tmp/ctr-tracer.log" 2>"$tmp/why" || [ "$n" -le 0 ]; do
		n=$((n - 1))
		_ct_sleep 0.2
	done
	if [ "$n" -gt 0 ]; then
		pass "ctr-names: the tracer under containerd named tt-image-ctr-client's connect"
	else
		fail "ctr-names: $(cat "$tmp/why"); tracer: $(grep -v '^{' "$tmp/ctr-tracer.log" | tail -1)"
	fi
	ct_ctr_cleanup "$tracer" "$client"
}

# Docker before 25 reads only manifest.json: one tag per CPU.
t_docker_load() {
	if ! ct_dockerd_start 2>"$tmp/dockerd.err"; then
		skip "docker-load: the private dockerd did not start: $(tail -1 "$tmp/dockerd.err")"
		return 0
	fi
	for t in amd64 arm64 armv7; do ct_docker rmi -f "$REF-$t" >/dev/null 2>&1; done
	if ! out=$(ct_docker load -i "$ARCHIVE" 2>&1); then
		fail "docker-load: $(printf '%s\n' "$out" | tail -1)"
		ct_dockerd_stop
		return 1
	fi
	plats=
	for t in amd64 arm64 armv7; do
		plats="$plats $(ct_docker image inspect -f '{{.Os}}/{{.Architecture}}{{with .Variant}}/{{.}}{{end}}' "$REF-$t" 2>&1)"
	done
	got=$(ct_docker run --rm --network none "$REF-amd64" --version 2>&1)
	if [ "$plats" = " linux/amd64 linux/arm64 linux/arm/v7" ] &&
		printf '%s\n' "$got" | grep -q "$VERSION"; then
		pass "docker-load: $REF-amd64, -arm64, -armv7 ($(ct_docker version -f '{{.Server.Version}}')); runs: $(printf '%s\n' "$got" | head -1)"
	else
		fail "docker-load: platforms$plats; run: $(printf '%s\n' "$got" | tail -1)"
	fi
	for t in amd64 arm64 armv7; do ct_docker rmi -f "$REF-$t" >/dev/null 2>&1; done
	ct_dockerd_stop
}

# Offline: every key against python3-kubernetes' models; and a copy with
# a misspelt key, one with a wrong type and one missing a required field
# must be refused.
t_schema() {
	if "$PY" tests/image/k8s-schema.py "$MANIFEST" 2>"$tmp/schema.err"; then
		pass "k8s-schema: $MANIFEST"
	else
		fail "k8s-schema: $(head -1 "$tmp/schema.err")"
	fi
	for bad in 's/tolerations:/toleration:/' 's/readOnly: true/readOnly: "true"/' \
		's/^\( *\)- name: trace-tcp$/\1- image_name: trace-tcp/'; do
		sed "$bad" "$MANIFEST" >"$tmp/bad.yaml"
		if cmp -s "$MANIFEST" "$tmp/bad.yaml"; then
			fail "k8s-schema-refuses: $bad changed nothing"
		elif "$PY" tests/image/k8s-schema.py "$tmp/bad.yaml" 2>"$tmp/schema.err"; then
			fail "k8s-schema-refuses: a copy with $bad passed"
		else
			pass "k8s-schema-refuses: $bad: $(head -1 "$tmp/schema.err" | sed 's/^[^:]*: //')"
		fi
	done
}

# podman kube play of a Pod made from the DaemonSet's template, and of a
# busybox pod (host network) that connects: the first names the second.
t_kube_play() {
	if ! "$PY" tests/image/daemonset.py pod "$MANIFEST" "$REF" "$TRACER-pod" "$(hostname)" \
		>"$tmp/play/tracer.yaml" 2>"$tmp/ds.err"; then
		fail "kube-play: $(tail -1 "$tmp/ds.err")"
		return 1
	fi
	cat >"$tmp/play/client.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $CLIENT-pod
spec:
  hostNetwork: true
  restartPolicy: Never
  containers:
    - name: wget
      image: $CT_PODMAN_IMAGE
      # the image (podman import) sets no PATH
      env:
        - name: PATH
          value: /bin
      command: ["/bin/sh", "-c", "sleep 1; wget -q -O /dev/null http://127.0.0.1:$CT_HTTPD_PORT/; sleep 1"]
EOF
	# Podman's default rlimits are over this root's hard limits (see
	# ct_podman_run); kube play takes them from containers.conf only.
	printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' \
		"$(awk '/^Max open files/ { print $5 }' /proc/self/limits)" \
		"$(awk '/^Max open files/ { print $5 }' /proc/self/limits)" 32768 32768 \
		>"$tmp/containers.conf"
	ct_podman pod rm -f -i -t 0 "$TRACER-pod" "$CLIENT-pod" >/dev/null 2>&1
	# From an empty folder: kube play takes a folder named as an image's
	# last component (./trace_tcp here is the binary) for a build context.
	# No network for the tracer's pod: it needs none.
	if ! out=$(cd "$tmp/play" && CONTAINERS_CONF=$tmp/containers.conf \
		ct_podman kube play --network none tracer.yaml 2>&1); then
		fail "kube-play: the tracer's pod: $(printf '%s\n' "$out" | grep -v '^ *$' | tail -1)"
		return 1
	fi
	if ! wait_log "$TRACER-pod-trace-tcp" "trace_tcp: backend" 20; then
		fail "kube-play: the tracer did not attach: $(ct_podman logs "$TRACER-pod-trace-tcp" 2>&1 | tail -1)"
		return 1
	fi
	if ! out=$(cd "$tmp/play" && CONTAINERS_CONF=$tmp/containers.conf \
		ct_podman kube play client.yaml 2>&1); then
		fail "kube-play: the client's pod: $(printf '%s\n' "$out" | grep -v '^ *$' | tail -1)"
		return 1
	fi
	if named_in "$TRACER-pod-trace-tcp" "$CLIENT-pod-wget"; then
		pass "kube-play: the DaemonSet's pod named $CLIENT-pod-wget's connect"
	else
		fail "kube-play: $(cat "$tmp/why")"
	fi
	ct_podman pod rm -f -i -t 10 "$TRACER-pod" "$CLIENT-pod" >/dev/null 2>&1
}

if [ "$(id -u)" != 0 ]; then
	skip "image: needs root (podman, containerd, dockerd)"
	exit 0
fi
if ! "$PY" -c 'import yaml, kubernetes' 2>/dev/null; then
	fail "image: python3-yaml or python3-kubernetes missing (sh scripts/install-deps.sh test)"
	exit 1
fi
t_reproducible || exit 1
t_layout
t_skopeo
t_schema
if ! ct_install || ! ct_podman_image; then
	fail "image: podman or its busybox image is not there (above)"
	exit 1
fi
if ! ct_httpd_start "$tmp/www" 18480; then
	fail "image: no HTTP server (above)"
	exit 1
fi
# The node's tracefs: a mount of our own, since other tests here mount
# and unmount /sys/kernel/tracing (a node's systemd keeps it mounted).
if mount -t tracefs nodev "$tmp/tracing"; then
	TT_HOST_PATHS=/sys/kernel/tracing=$tmp/tracing
	export TT_HOST_PATHS
else
	echo "INFO: tracefs could not be mounted at $tmp/tracing: the host's /sys/kernel/tracing is used"
fi
if t_podman_load; then
	t_podman_names
	t_kube_play
fi
t_ctr_import
t_docker_load
