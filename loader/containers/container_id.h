/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Container id from a cgroup path, by the names the runtimes give their
 * cgroups (cgroupfs and systemd drivers, cgroup v1 and v2 alike):
 *   docker      /docker/<id>, /system.slice/docker-<id>.scope
 *   podman      /libpod_parent/libpod-<id>, machine.slice/libpod-<id>.scope
 *               (and .../libpod-<id>.scope/container); libpod-conmon-* no
 *   containerd  cri-containerd-<id>.scope, /kubepods/<qos>/pod<uid>/<id>,
 *               /<namespace>/<id> (ctr, nerdctl), nerdctl-<id>.scope
 *   cri-o       crio-<id>.scope, crio-<id>; crio-conmon-* is not one
 * <id> is 64 lowercase hex digits. In a nested path (docker in docker,
 * kind) the innermost id wins. The runtime is a guess from the name only:
 * runtime_state.c checks it against the runtime's own files.
 */
#ifndef CONTAINER_ID_H
#define CONTAINER_ID_H

#define CONTAINER_ID_LEN 64
/* What `docker ps` shows, and what stands for a name that is unknown. */
#define CONTAINER_SHORT_ID_LEN 12

enum container_runtime {
	RUNTIME_UNKNOWN,
	RUNTIME_DOCKER,
	RUNTIME_PODMAN,
	RUNTIME_CONTAINERD,
	RUNTIME_CRIO,
};

#define CONTAINER_NS_SIZE 64

struct container_ref {
	char id[CONTAINER_ID_LEN + 1];
	enum container_runtime runtime;
	char ns[CONTAINER_NS_SIZE];	/* containerd namespace, or "" */
	char pod_uid[40];	/* kubelet pod UID (with dashes), else "" */
};

/* "docker", "podman", "containerd", "cri-o", or "" for unknown. */
const char *container_runtime_name(enum container_runtime rt);

/* 1 if s is exactly 64 lowercase hex digits. */
int container_id_valid(const char *s);

/*
 * 1 and *out filled if path is a container's cgroup, else 0 and *out
 * zeroed (host cgroups: /, /user.slice/..., /system.slice/sshd.service).
 */
int container_from_cgroup_path(const char *path, struct container_ref *out);

#endif
