#!/bin/sh
# Kubernetes pods without a kubelet: cgroups laid out as kubelet's
# cgroupfs driver makes them (/kubepods/<class>/pod<uid>/<id>), each with
# the state files its runtime writes, as kubelet has them written
# (tests/fixtures/runtimes/README.md says which are real), in private
# roots; busybox wget moved into them connects to a host httpd.
#
#   containerd (CRI)  shop/web-1, container nginx, its config.json's CRI
#                     annotations (containerd keeps the pod's labels in
#                     its database: none here)
#   CRI-O             shop/db-0, container postgres; labels app=db from
#                     its sandbox's config.json
#   cri-dockerd       kube-system/dns-1, container coredns, labels
#                     app=dns,tier=infra from its sandbox's labels; a
#                     host-network pod (all of these share the host's
#                     network namespace here)
#   the host          busybox wget in no pod
#
# Tracers with --node (or TRACE_TCP_NODE), -o json, and each pod filter
# on both sides: a pod it names is shown, the others and the host not.
# env: TRACE_TCP, BACKEND. Prints PASS/FAIL/INFO lines.
set -u
TRACE_TCP=${TRACE_TCP:-./trace_tcp}
BACKEND=${BACKEND:-auto}
CTR_ID=e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1
CRIO_ID=f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2
CRIO_SANDBOX=f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3
DOCKER_ID=d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4
DOCKER_SANDBOX=d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5
UID_WEB=11111111-2222-3333-4444-555555555555
UID_DB=66666666-7777-8888-9999-aaaaaaaaaaaa
UID_DNS=bbbbbbbb-cccc-dddd-eeee-ffffffffffff
PORT=18778
NODE=test-node-1
WORK=$(mktemp -d /tmp/tt-k8s.XXXXXX)
SERVER_PID=""
TRACERS=""
PODS=""		# cgroup directories made, innermost first

pass() { echo "PASS: k8s-pods/$1"; }
fail() { echo "FAIL: k8s-pods/$1"; }
note() { echo "INFO: k8s-pods/$1"; }
. "$(dirname "$0")/checks.sh"
CG=$(cgroup2_mount)

cleanup() {
	for p in $TRACERS $SERVER_PID; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for d in $PODS; do rmdir "$d" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT

# IN_CGROUP DIR CMD...: CMD as a process of cgroup DIR (exec: same pid)
IN_CGROUP='echo $$ > "$0/cgroup.procs" && exec "$@"'

# pod_cgroup CLASS UID ID: make /kubepods/CLASS/podUID/ID, print it
pod_cgroup() {
	_d=$CG/kubepods/$1/pod$2
	mkdir -p "$_d/$3" || return 1
	PODS="$_d/$3 $_d $CG/kubepods/$1 $CG/kubepods $PODS"
	echo "$_d/$3"
}

# containerd: <tasks>/k8s.io/<id>/config.json, the CRI plugin's
# annotations.
containerd_state() {
	mkdir -p "$WORK/containerd/k8s.io/$CTR_ID"
	cat >"$WORK/containerd/k8s.io/$CTR_ID/config.json" <<EOF
{"ociVersion":"1.1.0","process":{"args":["nginx"],"cwd":"/"},
 "annotations":{"io.kubernetes.cri.container-type":"container",
  "io.kubernetes.cri.container-name":"nginx",
  "io.kubernetes.cri.image-name":"docker.io/library/nginx:1.25",
  "io.kubernetes.cri.sandbox-id":"$CTR_ID",
  "io.kubernetes.cri.sandbox-name":"web-1",
  "io.kubernetes.cri.sandbox-namespace":"shop",
  "io.kubernetes.cri.sandbox-uid":"$UID_WEB"}}
EOF
}

# CRI-O: containers-storage's containers.json, and under the run root
# the container's and its sandbox's userdata/config.json (the pod's
# labels in the sandbox's io.kubernetes.cri-o.Labels, JSON in a string).
crio_state() {
	_s=$WORK/storage/overlay-containers
	mkdir -p "$_s" "$WORK/runroot/overlay-containers/$CRIO_ID/userdata" \
		"$WORK/runroot/overlay-containers/$CRIO_SANDBOX/userdata"
	cat >"$_s/containers.json" <<EOF
[{"id":"$CRIO_ID","names":["k8s_postgres_db-0_shop_${UID_DB}_0"],
  "metadata":"{\"image-name\":\"docker.io/library/postgres:16\"}"},
 {"id":"$CRIO_SANDBOX","names":["k8s_POD_db-0_shop_${UID_DB}_0"],
  "metadata":"{}"}]
EOF
	cat >"$WORK/runroot/overlay-containers/$CRIO_ID/userdata/config.json" <<EOF
{"annotations":{"io.container.manager":"cri-o",
  "io.kubernetes.cri-o.ContainerType":"container",
  "io.kubernetes.cri-o.ImageName":"docker.io/library/postgres:16",
  "io.kubernetes.cri-o.SandboxID":"$CRIO_SANDBOX",
  "io.kubernetes.container.name":"postgres",
  "io.kubernetes.pod.name":"db-0","io.kubernetes.pod.namespace":"shop",
  "io.kubernetes.pod.uid":"$UID_DB"}}
EOF
	cat >"$WORK/runroot/overlay-containers/$CRIO_SANDBOX/userdata/config.json" <<EOF
{"annotations":{"io.container.manager":"cri-o",
  "io.kubernetes.cri-o.ContainerType":"sandbox",
  "io.kubernetes.cri-o.SandboxID":"$CRIO_SANDBOX",
  "io.kubernetes.cri-o.Labels":"{\"app\":\"db\",\"io.kubernetes.pod.name\":\"db-0\",\"io.kubernetes.pod.namespace\":\"shop\"}",
  "io.kubernetes.container.name":"POD",
  "io.kubernetes.pod.name":"db-0","io.kubernetes.pod.namespace":"shop"}}
EOF
}

# cri-dockerd: the container's and its sandbox's config.v2.json labels.
docker_state() {
	_c=$WORK/docker/containers
	mkdir -p "$_c/$DOCKER_ID" "$_c/$DOCKER_SANDBOX"
	cat >"$_c/$DOCKER_ID/config.v2.json" <<EOF
{"ID":"$DOCKER_ID","Name":"/k8s_coredns_dns-1_kube-system_${UID_DNS}_0",
 "Config":{"Image":"registry.k8s.io/coredns:v1.11","Labels":{
  "io.kubernetes.container.name":"coredns",
  "io.kubernetes.docker.type":"container",
  "io.kubernetes.pod.name":"dns-1",
  "io.kubernetes.pod.namespace":"kube-system",
  "io.kubernetes.sandbox.id":"$DOCKER_SANDBOX"}}}
EOF
	cat >"$_c/$DOCKER_SANDBOX/config.v2.json" <<EOF
{"ID":"$DOCKER_SANDBOX","Name":"/k8s_POD_dns-1_kube-system_${UID_DNS}_0",
 "Config":{"Image":"registry.k8s.io/pause:3.9","Labels":{
  "annotation.kubernetes.io/config.source":"api","app":"dns",
  "io.kubernetes.container.name":"POD",
  "io.kubernetes.docker.type":"podsandbox",
  "io.kubernetes.pod.name":"dns-1",
  "io.kubernetes.pod.namespace":"kube-system","tier":"infra"}}}
EOF
}

# A tracer with the runtimes' private roots (and this node's name, but
# for the one that has it from TRACE_TCP_NODE).
tracer() {
	_t=$1
	shift
	tracer_start "$_t" --backend "$BACKEND" \
		--docker-root "$WORK/docker" --storage-root "$WORK/storage" \
		--storage-runroot "$WORK/runroot" \
		--containerd-tasks "$WORK/containerd" "$@"
}

if [ -z "$CG" ]; then
	fail "setup: no cgroup2 mount"
	exit 0
fi
mkdir -p "$WORK/www" "$WORK/bin"
bb=$(command -v busybox)
case $bb in /*) ;; *) bb=$(which busybox 2>/dev/null || echo /bin/busybox) ;; esac
ln -s "$bb" "$WORK/bin/wget"
echo hi >"$WORK/www/index.html"
chmod -R 755 "$WORK"
"$bb" httpd -f -p "127.0.0.1:$PORT" -h "$WORK/www" &
SERVER_PID=$!
up=0
for _i in $(seq 50); do
	busybox wget -q -O /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && up=1 && break
	sleep 0.1
done
[ "$up" = 1 ] || { fail "setup: httpd does not answer"; exit 0; }
containerd_state
crio_state
docker_state
web=$(pod_cgroup besteffort "$UID_WEB" "$CTR_ID") &&
	db=$(pod_cgroup burstable "$UID_DB" "crio-$CRIO_ID") &&
	dns=$(pod_cgroup burstable "$UID_DNS" "$DOCKER_ID") ||
	{ fail "setup: mkdir under $CG/kubepods"; exit 0; }

tracer all --node "$NODE" -o json || exit 0
TRACE_TCP_NODE=from-env tracer env -o json --containers-only || exit 0
tracer columns --node "$NODE" || exit 0
tracer ns --node "$NODE" -o json -n shop || exit 0
tracer ns2 --node "$NODE" -o json --k8s-namespace kube-system,nosuch -n shop || exit 0
tracer pod --node "$NODE" -o json -p db-0 || exit 0
tracer cname --node "$NODE" -o json --k8s-containername nginx,coredns || exit 0
tracer sel --node "$NODE" -o json -l app=dns || exit 0
tracer sel2 --node "$NODE" -o json -l tier=infra -l app=dns || exit 0
tracer sel3 --node "$NODE" -o json -l tier=infra,app=db || exit 0
tracer mixed --node "$NODE" -o json -n shop -p web-1,dns-1 || exit 0

for cg in "$web" "$db" "$dns"; do
	sh -c "$IN_CGROUP" "$cg" "$WORK/bin/wget" -q -O /dev/null "http://127.0.0.1:$PORT/"
done
busybox wget -q -O /dev/null "http://127.0.0.1:$PORT/"	# the host's
sleep 1
for t in all env columns ns ns2 pod cname sel sel2 sel3 mixed; do tracer_stop "$t"; done
TRACERS=""

connect='"type":"connect"'
to="\"dst\":{\"addr\":\"127.0.0.1\",\"port\":$PORT,"
web_k8s="\"k8s\":{\"node\":\"$NODE\",\"namespace\":\"shop\",\"podName\":\"web-1\",\"containerName\":\"nginx\"}"
db_k8s="\"k8s\":{\"node\":\"$NODE\",\"namespace\":\"shop\",\"podName\":\"db-0\",\"containerName\":\"postgres\",\"podLabels\":\"app=db\"}"
dns_k8s="\"k8s\":{\"node\":\"$NODE\",\"namespace\":\"kube-system\",\"podName\":\"dns-1\",\"containerName\":\"coredns\",\"podLabels\":\"app=dns,tier=infra\"}"
host_k8s="\"k8s\":{\"node\":\"$NODE\"}"
web='"podName":"web-1"' db='"podName":"db-0"' dns='"podName":"dns-1"'
host='"comm":"busybox"'

expect containerd-pod all 1 "$connect" "$web_k8s" '"runtimeName":"containerd"' "$to"
expect crio-pod all 1 "$connect" "$db_k8s" '"runtimeName":"cri-o"' "$to"
expect cri-dockerd-host-network-pod all 1 "$connect" "$dns_k8s" '"runtimeName":"docker"' "$to"
expect host-process all 1 "$connect" "$host_k8s," "$host" "$to"
expect host-process-no-pod all none "$host" '"namespace"'
expect node-from-env env 1 "$connect" '"node":"from-env"' "$web" "$to"
expect env-containers-only env none "$host"
if head -n 1 "$WORK/columns.out" | grep -q '^K8S.NODE  *K8S.NAMESPACE  *K8S.PODNAME  *K8S.CONTAINERNAME  *SRC '; then
	pass "columns-header"
else
	fail "columns-header: $(head -n 1 "$WORK/columns.out")"
fi
expect columns-row columns 1 "$NODE" shop db-0 postgres wget connect
expect columns-host-row columns 1 "$NODE" busybox connect

# each filter: the pods it names in, the others and the host out
expect n-in ns 1 "$connect" "$web" && expect n-in-2 ns 1 "$connect" "$db"
expect n-out ns none "$dns" && expect n-out-host ns none "$host"
expect n-lists ns2 1 "$connect" "$dns" && expect n-lists-2 ns2 1 "$connect" "$web"
expect n-lists-out ns2 none "$host"
expect p-in pod 1 "$connect" "$db"
expect p-out pod none "$web" && expect p-out-2 pod none "$dns"
expect p-out-host pod none "$host"
expect c-in cname 1 "$connect" "$web" && expect c-in-2 cname 1 "$connect" "$dns"
expect c-out cname none "$db" && expect c-out-host cname none "$host"
expect l-in sel 1 "$connect" "$dns"
expect l-out sel none "$db" && expect l-out-2 sel none "$web"
expect l-out-host sel none "$host"
# every pair must hold, from one -l or several
expect l-pairs sel2 1 "$connect" "$dns" && expect l-pairs-out sel2 none "$db"
expect l-all-pairs sel3 none "$connect"
expect n-and-p mixed 1 "$connect" "$web"
expect n-and-p-out mixed none "$dns" && expect n-and-p-out-2 mixed none "$db"
