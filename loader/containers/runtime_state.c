// SPDX-License-Identifier: GPL-2.0-only
/*
 * Container id -> name/image/pod from the runtimes' files; see
 * runtime_state.h. The files are written by root-owned daemons but may
 * describe containers built by anyone: everything goes through json_scan,
 * sizes are capped, and only regular files are read.
 */
#include "containers/runtime_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers/json_scan.h"

#define CONTAINERS_JSON_MAX (4u << 20)	/* containers-storage's list */
#define MAX_NAMESPACES 64

/* The files read, below a root (and for containerd a namespace). */
#define DOCKER_CONFIG "%s/containers/%s/config.v2.json"
#define STORAGE_LIST "%s/overlay-containers/containers.json"
#define STORAGE_CONFIG "%s/overlay-containers/%s/userdata/config.json"
#define CONTAINERD_CONFIG "%s/%s/%s/config.json"

const struct runtime_roots runtime_roots_default = {
	.docker_root = "/var/lib/docker",
	.storage_root = "/var/lib/containers/storage",
	.storage_runroot = "/run/containers/storage",
	.containerd_tasks = "/run/containerd/io.containerd.runtime.v2.task",
};

/* A path to a JSON document, as elements and their count. */
#define PATH(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
/* The path of an OCI config.json annotation. */
#define ANNOTATION(key) PATH("annotations", key)

/* The whole regular file at path if it is at most cap bytes, else NULL. */
static char *read_capped(const char *path, size_t cap, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, size;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > cap)
		goto out;
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf)
		goto out;
	for (;;) {
		ssize_t r = read(fd, buf + n, size + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		/* an error, or the file grew */
		if (r < 0 || (n += (size_t)r) > size) {
			free(buf);
			buf = NULL;
			goto out;
		}
		if (r == 0)
			break;
	}
	*len = n;
out:
	close(fd);
	return buf;
}

/* The JSON object in the file at path: 0 with *buf to free, or -1 if
 * the file is missing, too big or not a JSON object. */
static int parse_file(const char *path, size_t cap, char **buf,
		      struct json_val *root)
{
	size_t len;

	*buf = read_capped(path, cap, &len);
	if (!*buf)
		return -1;
	if (json_parse(*buf, len, root) || root->type != JSON_OBJECT) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

/* The string at path into out; empty if missing, not a string, too long. */
static void get(const struct json_val *v, const char *const *path,
		size_t depth, char *out, size_t outlen)
{
	if (json_find_string(v, path, depth, out, outlen) != 1)
		out[0] = '\0';
}

/* Fill dst from src when dst is still empty. */
static void fill(char *dst, size_t dstlen, const char *src)
{
	if (!dst[0] && strlen(src) < dstlen)
		strcpy(dst, src);
}

/* The runtimes' own labels, not the pod's. */
static int runtime_label(const char *key)
{
	return !strncmp(key, "io.kubernetes.", 14) ||
	       !strncmp(key, "annotation.", 11);
}

/*
 * A pod's labels, a JSON object of strings, into out as
 * "key=value,key=value": Kubernetes keeps ',' and '=' out of label
 * values and '=' out of keys, so the list reads back unambiguously; a
 * label with them is skipped. Left empty if they do not fit.
 */
static void pod_labels(const struct json_val *labels, char *out,
		       size_t outlen)
{
	char key[320], value[320];
	struct json_val k, v;
	size_t pos = 0, used = 0;

	out[0] = '\0';
	while (json_object_next(labels, &pos, &k, &v) == 1) {
		int n;

		if (json_string(&k, key, sizeof(key)) ||
		    json_string(&v, value, sizeof(value)) ||
		    runtime_label(key) || strpbrk(key, ",=") ||
		    strchr(value, ','))
			continue;
		n = snprintf(out + used, outlen - used, "%s%s=%s",
			     used ? "," : "", key, value);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[0] = '\0';
			return;
		}
		used += (size_t)n;
	}
}

/* Each resolver below: 1 if the runtime's files name the container id
 * (out filled), else 0. */

/* The pod's labels from its sandbox's (cri-dockerd: the pause
 * container's) Config.Labels. */
static void docker_sandbox_labels(const struct runtime_roots *r,
				  const char *sandbox_id,
				  struct container_info *out)
{
	struct json_val root, labels;
	char path[4096], *buf;

	if (!container_id_valid(sandbox_id) ||
	    (size_t)snprintf(path, sizeof(path), DOCKER_CONFIG,
			     r->docker_root, sandbox_id) >= sizeof(path) ||
	    parse_file(path, RUNTIME_CONFIG_MAX, &buf, &root))
		return;
	if (json_find(&root, PATH("Config", "Labels"), &labels) == 1)
		pod_labels(&labels, out->k8s_labels, sizeof(out->k8s_labels));
	free(buf);
}

static int docker_lookup(const struct runtime_roots *r, const char *id,
			 struct container_info *out)
{
	char sandbox_id[CONTAINER_ID_LEN + 1];
	char path[4096], idbuf[CONTAINER_ID_LEN + 1], *buf;
	struct json_val root, config, labels;

	sandbox_id[0] = '\0';
	if ((size_t)snprintf(path, sizeof(path), DOCKER_CONFIG,
			     r->docker_root, id) >= sizeof(path) ||
	    parse_file(path, RUNTIME_CONFIG_MAX, &buf, &root))
		return 0;
	get(&root, PATH("ID"), idbuf, sizeof(idbuf));
	if (strcmp(idbuf, id) != 0) {
		free(buf);
		return 0;
	}
	get(&root, PATH("Name"), out->name, sizeof(out->name));
	if (out->name[0] == '/')
		memmove(out->name, out->name + 1, strlen(out->name));
	/* Config and its Labels found once, not once per value. */
	if (json_find(&root, PATH("Config"), &config) == 1) {
		get(&config, PATH("Image"), out->image, sizeof(out->image));
		/* Kubernetes through dockershim / cri-dockerd. */
		if (json_find(&config, PATH("Labels"), &labels) != 1)
			labels.type = JSON_NONE;
		get(&labels, PATH("io.kubernetes.pod.namespace"),
		    out->k8s_namespace, sizeof(out->k8s_namespace));
		get(&labels, PATH("io.kubernetes.pod.name"),
		    out->k8s_pod, sizeof(out->k8s_pod));
		get(&labels, PATH("io.kubernetes.container.name"),
		    out->k8s_container, sizeof(out->k8s_container));
		get(&labels, PATH("io.kubernetes.sandbox.id"), sandbox_id,
		    sizeof(sandbox_id));
		/* the sandbox itself has no sandbox.id: its labels are the
		 * pod's */
		if (out->k8s_pod[0] && !sandbox_id[0])
			pod_labels(&labels, out->k8s_labels,
				   sizeof(out->k8s_labels));
	}
	strcpy(out->runtime, "docker");
	free(buf);
	if (out->k8s_pod[0] && sandbox_id[0])
		docker_sandbox_labels(r, sandbox_id, out);
	return 1;
}

/* The JSON document inside the string at path from v (containers.json's
 * "metadata", CRI-O's Labels annotation) into *root: the decoded text,
 * which *root points into, to free; NULL if there is none. */
static char *embedded_json(const struct json_val *v, const char *const *path,
			   size_t depth, struct json_val *root)
{
	struct json_val text;
	char *decoded;
	size_t len;

	if (json_find(v, path, depth, &text) != 1 || text.type != JSON_STRING)
		return NULL;
	len = (size_t)(text.end - text.p);	/* decoded is never longer */
	decoded = malloc(len);
	if (decoded && (json_string(&text, decoded, len) ||
			json_parse(decoded, strlen(decoded), root))) {
		free(decoded);
		decoded = NULL;
	}
	return decoded;
}

/* "metadata" of a containers.json entry. */
static void storage_metadata(const struct json_val *entry,
			     struct container_info *out)
{
	struct json_val root;
	char *text = embedded_json(entry, PATH("metadata"), &root);

	if (text)
		get(&root, PATH("image-name"), out->image, sizeof(out->image));
	free(text);
}

/* CRI-O: the pod's labels, the sandbox's "io.kubernetes.cri-o.Labels"
 * annotation. */
static void crio_labels(const struct json_val *sandbox_root,
			struct container_info *out)
{
	struct json_val labels;
	char *text = embedded_json(sandbox_root,
				   ANNOTATION("io.kubernetes.cri-o.Labels"),
				   &labels);

	if (text)
		pod_labels(&labels, out->k8s_labels, sizeof(out->k8s_labels));
	free(text);
}

/* The parsed config.json of storage container id, from the storage
 * root or else the run root: 0 with *buf to free, or -1. */
static int storage_config_file(const struct runtime_roots *r,
			       const char *id, char **buf,
			       struct json_val *root)
{
	const char *roots[2] = { r->storage_root, r->storage_runroot };
	char path[4096];

	for (size_t i = 0; i < 2; i++)
		if (roots[i] &&
		    (size_t)snprintf(path, sizeof(path), STORAGE_CONFIG,
				     roots[i], id) < sizeof(path) &&
		    !parse_file(path, RUNTIME_CONFIG_MAX, buf, root))
			return 0;
	return -1;
}

/* A CRI-O container's pod labels: its sandbox's, or its own if it is the
 * sandbox. */
static void crio_pod_labels(const struct runtime_roots *r,
			    const struct json_val *root, const char *id,
			    struct container_info *out)
{
	char sandbox_id[CONTAINER_ID_LEN + 1];
	struct json_val sandbox;
	char *buf;

	get(root, ANNOTATION("io.kubernetes.cri-o.SandboxID"), sandbox_id,
	    sizeof(sandbox_id));
	if (!sandbox_id[0] || !strcmp(sandbox_id, id)) {
		crio_labels(root, out);
		return;
	}
	if (!container_id_valid(sandbox_id) ||
	    storage_config_file(r, sandbox_id, &buf, &sandbox))
		return;
	crio_labels(&sandbox, out);
	free(buf);
}

/* The OCI config.json annotations of a podman or CRI-O container. */
static void storage_config(const struct runtime_roots *r, const char *id,
			   enum container_runtime guess,
			   struct container_info *out)
{
	char manager[32], type[32], img[sizeof(out->image)], *buf;
	struct json_val root;

	manager[0] = type[0] = img[0] = '\0';
	if (!storage_config_file(r, id, &buf, &root)) {
		get(&root, ANNOTATION("io.container.manager"),
		    manager, sizeof(manager));
		get(&root, ANNOTATION("io.kubernetes.cri-o.ContainerType"),
		    type, sizeof(type));
		get(&root, ANNOTATION("io.kubernetes.cri-o.ImageName"),
		    img, sizeof(img));
		get(&root, ANNOTATION("io.kubernetes.pod.namespace"),
		    out->k8s_namespace, sizeof(out->k8s_namespace));
		get(&root, ANNOTATION("io.kubernetes.pod.name"),
		    out->k8s_pod, sizeof(out->k8s_pod));
		get(&root, ANNOTATION("io.kubernetes.container.name"),
		    out->k8s_container, sizeof(out->k8s_container));
		if (out->k8s_pod[0])
			crio_pod_labels(r, &root, id, out);
		free(buf);
	}
	if (strcmp(manager, "libpod") == 0)
		strcpy(out->runtime, "podman");
	else if (strcmp(manager, "cri-o") == 0 || (!manager[0] && type[0]))
		strcpy(out->runtime, "cri-o");
	else if (!manager[0] &&
		 (guess == RUNTIME_PODMAN || guess == RUNTIME_CRIO))
		strcpy(out->runtime, container_runtime_name(guess));
	if (strcmp(out->runtime, "cri-o") == 0) {
		fill(out->image, sizeof(out->image), img);
		/* not names[0], which reads "k8s_<container>_<pod>_..." */
		if (out->k8s_container[0])
			strcpy(out->name, out->k8s_container);
	}
}

/* The entry of containers.json whose "id" is id: 1, or 0 if none. */
static int storage_entry(const struct json_val *list, const char *id,
			 struct json_val *entry)
{
	char idbuf[CONTAINER_ID_LEN + 1];
	size_t pos = 0;

	while (json_array_next(list, &pos, entry) == 1) {
		get(entry, PATH("id"), idbuf, sizeof(idbuf));
		if (strcmp(idbuf, id) == 0)
			return 1;
	}
	return 0;
}

static int storage_lookup(const struct runtime_roots *r, const char *id,
			  enum container_runtime guess,
			  struct container_info *out)
{
	char path[4096], *doc;
	struct json_val root, entry;
	size_t len;

	if (!r->storage_root ||
	    (size_t)snprintf(path, sizeof(path), STORAGE_LIST,
			     r->storage_root) >= sizeof(path))
		return 0;
	doc = read_capped(path, CONTAINERS_JSON_MAX, &len);
	if (!doc)
		return 0;
	if (json_parse(doc, len, &root) || !storage_entry(&root, id, &entry)) {
		free(doc);
		return 0;
	}
	get(&entry, PATH("names", "[0]"), out->name, sizeof(out->name));
	storage_metadata(&entry, out);
	free(doc);
	storage_config(r, id, guess, out);
	return 1;
}

static int containerd_one(const char *tasks, const char *ns, const char *id,
			  struct container_info *out)
{
	char path[4096], *buf;
	struct json_val root;

	if ((size_t)snprintf(path, sizeof(path), CONTAINERD_CONFIG,
			     tasks, ns, id) >= sizeof(path) ||
	    parse_file(path, RUNTIME_CONFIG_MAX, &buf, &root))
		return 0;
	get(&root, ANNOTATION("io.kubernetes.cri.container-name"),
	    out->k8s_container, sizeof(out->k8s_container));
	get(&root, ANNOTATION("io.kubernetes.cri.sandbox-name"),
	    out->k8s_pod, sizeof(out->k8s_pod));
	get(&root, ANNOTATION("io.kubernetes.cri.sandbox-namespace"),
	    out->k8s_namespace, sizeof(out->k8s_namespace));
	get(&root, ANNOTATION("io.kubernetes.cri.image-name"),
	    out->image, sizeof(out->image));
	get(&root, ANNOTATION("nerdctl/name"), out->name, sizeof(out->name));
	fill(out->name, sizeof(out->name), out->k8s_container);
	/* Docker 23+ may run its containers in the system containerd. */
	strcpy(out->runtime, strcmp(ns, "moby") == 0 ? "docker" : "containerd");
	free(buf);
	return 1;
}

static int ns_ok(const char *ns)
{
	return ns[0] && ns[0] != '.' && !strchr(ns, '/') &&
	       strlen(ns) < CONTAINER_NS_SIZE;
}

/* The namespace the cgroup path named first, then every other one. */
static int containerd_lookup(const struct runtime_roots *r,
			     const struct container_ref *ref,
			     struct container_info *out)
{
	const char *tasks = r->containerd_tasks;
	struct dirent *d;
	DIR *dir;
	int found = 0, n = 0;

	if (!tasks)
		return 0;
	if (ns_ok(ref->ns) && containerd_one(tasks, ref->ns, ref->id, out))
		return 1;
	dir = opendir(tasks);
	if (!dir)
		return 0;
	while (!found && n++ < MAX_NAMESPACES && (d = readdir(dir)))
		if (ns_ok(d->d_name) && strcmp(d->d_name, ref->ns) != 0)
			found = containerd_one(tasks, d->d_name, ref->id, out);
	closedir(dir);
	return found;
}

static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void reset(struct container_info *out, const char *id)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->id, id, CONTAINER_ID_LEN);
}

int runtime_state_lookup(const struct runtime_roots *roots,
			 const struct container_ref *ref,
			 struct container_info *out)
{
	/* The guessed runtime's resolver first, then the others. */
	static const enum container_runtime order[] = {
		RUNTIME_DOCKER, RUNTIME_PODMAN, RUNTIME_CONTAINERD,
	};
	enum container_runtime first;
	size_t i;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (!container_id_valid(ref->id))
		return -1;
	if (!roots)
		roots = &runtime_roots_default;
	first = ref->runtime == RUNTIME_CRIO ? RUNTIME_PODMAN : ref->runtime;
	for (i = 0; !found && i <= sizeof(order) / sizeof(order[0]); i++) {
		enum container_runtime rt = i ? order[i - 1] : first;

		if (i && rt == first)
			continue;
		reset(out, ref->id);
		if (rt == RUNTIME_DOCKER && roots->docker_root)
			found = docker_lookup(roots, ref->id, out);
		else if (rt == RUNTIME_PODMAN)
			found = storage_lookup(roots, ref->id, ref->runtime,
					       out);
		else if (rt == RUNTIME_CONTAINERD)
			found = containerd_lookup(roots, ref, out);
	}
	if (!found) {
		reset(out, ref->id);
		return 0;
	}
	sanitize(out->name);
	sanitize(out->image);
	sanitize(out->k8s_namespace);
	sanitize(out->k8s_pod);
	sanitize(out->k8s_container);
	sanitize(out->k8s_labels);
	return 1;
}
