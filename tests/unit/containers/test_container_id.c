// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/containers/container_id.c: a table of cgroup
 * paths as the runtimes create them (the docker, podman and ctr ones
 * were seen on a Debian 12 host with cgroupfs drivers, hybrid v1/v2),
 * and host paths.
 */
#include <stdlib.h>
#include <string.h>

#include "containers/container_id.h"
#include "unit.h"

#define ID1 "fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
#define ID2 "926d8cc2aef7b8aca593ec96ed5aa64e56bc30daa40188f4b71f2316fde6fd21"
#define ID3 "3e8c1f0d2b7a4e6f9c5d8b1a0e2f4c6d8a9b7c5e3f1d0a2b4c6e8f0a1b3c5d7e"
#define UID_ "0f3c2a1e-7b9d-4c5e-8f6a-1b2c3d4e5f60"
#define UIDU "0f3c2a1e_7b9d_4c5e_8f6a_1b2c3d4e5f60"

struct row {
	const char *path;
	const char *id;		/* NULL: not a container */
	enum container_runtime rt;
	const char *ns;
	const char *pod_uid;
};

static const struct row rows[] = {
	/* Host cgroups. */
	{ "/", NULL, 0, "", "" },
	{ "", NULL, 0, "", "" },
	{ "/init.scope", NULL, 0, "", "" },
	{ "/user.slice/user-0.slice/session-3.scope", NULL, 0, "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/"
	  "dbus.service", NULL, 0, "", "" },
	{ "/system.slice/sshd.service", NULL, 0, "", "" },
	{ "/system.slice/docker.service", NULL, 0, "", "" },
	{ "/system.slice/containerd.service", NULL, 0, "", "" },
	{ "/kubepods.slice/kubepods-besteffort.slice", NULL, 0, "", "" },
	{ "/kubepods/besteffort/pod" UID_, NULL, 0, "", "" },
	{ "/libpod_parent/conmon", NULL, 0, "", "" },
	{ "/machine.slice/libpod-conmon-" ID2 ".scope", NULL, 0, "", "" },
	{ "/kubepods.slice/kubepods-besteffort.slice/"
	  "kubepods-besteffort-pod" UIDU ".slice/crio-conmon-" ID3 ".scope",
	  NULL, 0, "", "" },
	{ "/process_api/1ba8e00d3f9706f048d84856f684f4cc", NULL, 0, "", "" },
	/* 63 and 65 digits, upper case, a stray suffix. */
	{ "/docker/"
	  "fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117",
	  NULL, 0, "", "" },
	{ "/docker/" ID1 "0", NULL, 0, "", "" },
	{ "/docker/"
	  "FCE0568BBB372C3C1CE74D12BC4BAA00ABC1D1B9CBAB2C33B001D3C63FBF117B",
	  NULL, 0, "", "" },
	{ "/system.slice/docker-" ID1 ".service", NULL, 0, "", "" },
	{ "/system.slice/docker-" ID1 ".scopex", NULL, 0, "", "" },

	/* Docker: cgroupfs (seen here), systemd. */
	{ "/docker/" ID1, ID1, RUNTIME_DOCKER, "", "" },
	{ "/docker/" ID1 "/", ID1, RUNTIME_DOCKER, "", "" },
	{ "docker/" ID1, ID1, RUNTIME_DOCKER, "", "" },
	{ "/system.slice/docker-" ID1 ".scope", ID1, RUNTIME_DOCKER, "", "" },
	/* Podman: cgroupfs (seen here), systemd, split, rootless, pods. */
	{ "/libpod_parent/libpod-" ID2, ID2, RUNTIME_PODMAN, "", "" },
	{ "/machine.slice/libpod-" ID2 ".scope", ID2, RUNTIME_PODMAN, "", "" },
	{ "/machine.slice/libpod-" ID2 ".scope/container",
	  ID2, RUNTIME_PODMAN, "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/"
	  "libpod-" ID2 ".scope", ID2, RUNTIME_PODMAN, "", "" },
	{ "/machine.slice/machine-libpod_pod_" ID3 ".slice/libpod-" ID2
	  ".scope", ID2, RUNTIME_PODMAN, "", "" },
	/* containerd: ctr/nerdctl cgroupfs (seen here), nerdctl systemd,
	 * CRI. */
	{ "/default/" ID3, ID3, RUNTIME_CONTAINERD, "default", "" },
	{ "/k8s.io/" ID3, ID3, RUNTIME_CONTAINERD, "k8s.io", "" },
	{ "/system.slice/nerdctl-" ID3 ".scope",
	  ID3, RUNTIME_CONTAINERD, "", "" },
	{ "/kubepods/besteffort/pod" UID_ "/" ID3,
	  ID3, RUNTIME_CONTAINERD, "k8s.io", UID_ },
	{ "/kubepods/pod" UID_ "/" ID3,
	  ID3, RUNTIME_CONTAINERD, "k8s.io", UID_ },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UIDU
	  ".slice/cri-containerd-" ID3 ".scope",
	  ID3, RUNTIME_CONTAINERD, "k8s.io", UID_ },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/cri-containerd-" ID3
	  ".scope", ID3, RUNTIME_CONTAINERD, "k8s.io", UID_ },
	/* CRI-O: systemd, cgroupfs, the container sub-cgroup. */
	{ "/kubepods.slice/kubepods-besteffort.slice/"
	  "kubepods-besteffort-pod" UIDU ".slice/crio-" ID3 ".scope",
	  ID3, RUNTIME_CRIO, "", UID_ },
	{ "/kubepods.slice/kubepods-besteffort.slice/"
	  "kubepods-besteffort-pod" UIDU ".slice/crio-" ID3 ".scope/container",
	  ID3, RUNTIME_CRIO, "", UID_ },
	{ "/kubepods/besteffort/pod" UID_ "/crio-" ID3,
	  ID3, RUNTIME_CRIO, "", UID_ },
	/* Kubernetes through dockershim / cri-dockerd with systemd. */
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/docker-" ID1 ".scope",
	  ID1, RUNTIME_DOCKER, "", UID_ },
	/* Nested: the innermost id wins. */
	{ "/docker/" ID1 "/docker/" ID2, ID2, RUNTIME_DOCKER, "", "" },
	{ "/docker/" ID1 "/kubepods/besteffort/pod" UID_ "/" ID3, ID3,
	  RUNTIME_CONTAINERD, "k8s.io", UID_ },
	{ "/system.slice/docker-" ID1 ".scope/kubelet.slice/"
	  "kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UIDU
	  ".slice/cri-containerd-" ID3 ".scope",
	  ID3, RUNTIME_CONTAINERD, "k8s.io", UID_ },
	{ "/docker/" ID1 "/init.scope", ID1, RUNTIME_DOCKER, "", "" },
	{ "/machine.slice/libpod-" ID2 ".scope/container/system.slice/docker-"
	  ID1 ".scope", ID1, RUNTIME_DOCKER, "", "" },
	/* A bare id elsewhere (e.g. docker --cgroup-parent): runtime
	 * unknown. */
	{ "/actions_job/x/" ID1, ID1, RUNTIME_UNKNOWN, "", "" },
	{ "/" ID1, ID1, RUNTIME_UNKNOWN, "", "" },
	{ "//docker//" ID1 "//", ID1, RUNTIME_DOCKER, "", "" },
};

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct container_ref ref;
		int got = container_from_cgroup_path(r->path, &ref);

		if (got != (r->id != NULL) ||
		    strcmp(ref.id, r->id ? r->id : "") != 0 ||
		    ref.runtime != (r->id ? r->rt : RUNTIME_UNKNOWN) ||
		    strcmp(ref.ns, r->ns) != 0 ||
		    strcmp(ref.pod_uid, r->pod_uid) != 0) {
			fprintf(stderr,
				"  %s\n    got %d id=%s rt=%s ns=%s pod=%s\n",
				r->path, got, ref.id,
				container_runtime_name(ref.runtime),
				ref.ns, ref.pod_uid);
			unit_failed_checks++;
		}
	}
}

static void test_misc(void)
{
	struct container_ref ref;
	char *big;

	CHECK(container_from_cgroup_path(NULL, &ref) == 0);
	CHECK_STR(container_runtime_name(RUNTIME_DOCKER), "docker");
	CHECK_STR(container_runtime_name(RUNTIME_PODMAN), "podman");
	CHECK_STR(container_runtime_name(RUNTIME_CONTAINERD), "containerd");
	CHECK_STR(container_runtime_name(RUNTIME_CRIO), "cri-o");
	CHECK_STR(container_runtime_name(RUNTIME_UNKNOWN), "");
	CHECK(container_id_valid(ID1));
	CHECK(!container_id_valid(ID1 "0"));
	CHECK(!container_id_valid("../../etc/passwd"));
	CHECK(!container_id_valid(""));
	/* A long pod component is not copied past the buffer. */
	big = malloc(9000);
	memset(big, 'a', 8999);
	big[8999] = '\0';
	memcpy(big, "/kubepods/pod", 13);
	CHECK(container_from_cgroup_path(big, &ref) == 0);
	free(big);
}

int main(void)
{
	RUN(test_table);
	RUN(test_misc);
	UNIT_EXIT();
}
