/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Container id -> name, image, runtime and Kubernetes pod, read from the
 * runtimes' files on disk (no daemon is asked):
 *   docker      <docker_root>/containers/<id>/config.v2.json
 *               ("Name", "Config"."Image", "Config"."Labels" io.kubernetes.*)
 *   podman,     <storage_root>/overlay-containers/containers.json
 *   cri-o         (names[0], "metadata" -> image-name / pod-name)
 *               <storage_root or storage_runroot>/overlay-containers/<id>/
 *               userdata/config.json (OCI annotations: io.container.manager,
 *               io.kubernetes.pod.*, io.kubernetes.container.name,
 *               io.kubernetes.cri-o.*)
 *   containerd  <containerd_tasks>/<namespace>/<id>/config.json
 *               (annotations io.kubernetes.cri.*, nerdctl/name)
 * The runtime guessed from the cgroup path is tried first, then the
 * others; a runtime's answer counts only if its files name this very id.
 * Only regular files are read (not through a symlink: the runtimes write
 * their files in place), size-capped, opened without blocking (a FIFO
 * would hang the tracer); anything unreadable or malformed is skipped.
 */
#ifndef RUNTIME_STATE_H
#define RUNTIME_STATE_H

#include "containers/container_id.h"

/* Where each runtime keeps its files; NULL: that runtime is not looked
 * at. runtime_roots_default holds the usual places. */
struct runtime_roots {
	const char *docker_root;	/* /var/lib/docker */
	const char *storage_root;	/* /var/lib/containers/storage */
	const char *storage_runroot;	/* /run/containers/storage */
	/* /run/containerd/io.containerd.runtime.v2.task */
	const char *containerd_tasks;
};

extern const struct runtime_roots runtime_roots_default;

/*
 * The largest config.v2.json or OCI config.json read. The runtimes write
 * 2 to 11 KB (tests/fixtures/runtimes), more with a large environment:
 * 256 KiB is 20 times that. A bigger file is not read and the container
 * is shown by its id: the lookup runs on the event path, and scanning a
 * crafted file of 256 KiB already takes a few ms.
 */
#define RUNTIME_CONFIG_MAX (256u << 10)

struct container_info {
	char id[CONTAINER_ID_LEN + 1];
	char runtime[16];	/* "docker", "podman", "containerd", "cri-o" */
	char name[256];
	char image[512];
	char k8s_namespace[256];
	char k8s_pod[256];
	char k8s_container[256];
	/* The pod's labels, "key=value,key=value" in the order the runtime
	 * keeps them; empty where its files do not have them */
	char k8s_labels[1024];
};

/*
 * Fill *out for ref (NULL roots: the defaults). Returns 1 if a runtime's
 * state named the container, 0 if none did (only out->id is set), or -1
 * if ref->id is not a container id (out all zero). Every string is
 * NUL-terminated; a value that does not fit is left empty (never
 * truncated), and control characters are replaced by '?'.
 */
int runtime_state_lookup(const struct runtime_roots *roots,
			 const struct container_ref *ref,
			 struct container_info *out);

#endif
