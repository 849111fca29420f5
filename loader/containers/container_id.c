// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroup path -> container id: split the path into components and keep the
 * last (innermost) one that names a container; see container_id.h.
 */
#include <string.h>

#include "containers/container_id.h"

const char *container_runtime_name(enum container_runtime rt)
{
	switch (rt) {
	case RUNTIME_DOCKER: return "docker";
	case RUNTIME_PODMAN: return "podman";
	case RUNTIME_CONTAINERD: return "containerd";
	case RUNTIME_CRIO: return "cri-o";
	default: return "";
	}
}

static int hex64(const char *s, size_t n)
{
	size_t i;

	if (n != CONTAINER_ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int container_id_valid(const char *s)
{
	return hex64(s, strnlen(s, CONTAINER_ID_LEN + 1));
}

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* A containerd namespace name: [A-Za-z0-9_.-], not starting with '.'. */
static int ns_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= sizeof(((struct container_ref *)0)->ns) || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

/*
 * The pod UID in "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid>.slice"
 * (systemd, '-' written as '_'), into uid with dashes; 0 if none.
 */
static int pod_uid(const char *s, size_t n, char *uid, size_t uidlen)
{
	const char *u;
	size_t i, k;

	if (n > 6 && memcmp(s + n - 6, ".slice", 6) == 0) {
		n -= 6;
		for (u = NULL, i = 0; i + 4 <= n; i++)
			if (memcmp(s + i, "-pod", 4) == 0)
				u = s + i + 4;
		if (!u)
			return 0;
	} else if (starts(s, n, "pod")) {
		u = s + 3;
	} else {
		return 0;
	}
	k = n - (size_t)(u - s);
	if (k == 0 || k >= uidlen)
		return 0;
	for (i = 0; i < k; i++) {
		char c = u[i] == '_' ? '-' : u[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'))
			return 0;
		uid[i] = c;
	}
	uid[k] = '\0';
	return 1;
}

static int contains(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

static const struct {
	const char *prefix;
	enum container_runtime rt;
	const char *ns;
} prefixes[] = {
	{ "docker-", RUNTIME_DOCKER, "" },
	{ "libpod-", RUNTIME_PODMAN, "" },
	{ "cri-containerd-", RUNTIME_CONTAINERD, "k8s.io" },
	{ "crio-", RUNTIME_CRIO, "" },
	{ "nerdctl-", RUNTIME_CONTAINERD, "" },
};

int container_from_cgroup_path(const char *path, struct container_ref *out)
{
	const char *s = path, *parent = NULL;
	size_t parent_len = 0, depth = 0;
	char pod[sizeof(out->pod_uid)] = "";
	int kube = 0, found = 0;

	memset(out, 0, sizeof(*out));
	if (!path)
		return 0;
	while (*s) {
		const char *id = NULL;
		enum container_runtime rt = RUNTIME_UNKNOWN;
		const char *ns = "";
		size_t n, m, i;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 0)
			break;
		m = n;
		if (m > 6 && memcmp(s + m - 6, ".scope", 6) == 0)
			m -= 6;
		if (contains(s, n, "kubepods"))	/* kind: kubelet-kubepods */
			kube = 1;
		if (kube)
			pod_uid(s, n, pod, sizeof(pod));
		if (hex64(s, m)) {
			id = s;
			if (parent && parent_len == 6 && memcmp(parent, "docker", 6) == 0) {
				rt = RUNTIME_DOCKER;
			} else if (kube) {
				rt = RUNTIME_CONTAINERD;
				ns = "k8s.io";
			} else if (depth == 1 && m == n && ns_name(parent, parent_len)) {
				rt = RUNTIME_CONTAINERD;	/* /<namespace>/<id> */
			}
		}
		for (i = 0; !id && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			size_t k = strlen(prefixes[i].prefix);

			if (starts(s, m, prefixes[i].prefix) && hex64(s + k, m - k)) {
				id = s + k;
				rt = prefixes[i].rt;
				ns = prefixes[i].ns;
			}
		}
		if (id) {
			memcpy(out->id, id, CONTAINER_ID_LEN);
			out->id[CONTAINER_ID_LEN] = '\0';
			out->runtime = rt;
			if (rt == RUNTIME_CONTAINERD && !*ns && depth == 1 && m == n &&
			    ns_name(parent, parent_len)) {
				memcpy(out->ns, parent, parent_len);
				out->ns[parent_len] = '\0';
			} else {
				strcpy(out->ns, ns);
			}
			strcpy(out->pod_uid, kube ? pod : "");
			found = 1;
		}
		parent = s;
		parent_len = n;
		depth++;
		s += n;
	}
	if (!found)
		memset(out, 0, sizeof(*out));
	return found;
}
