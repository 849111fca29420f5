// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroup path -> container id: split the path into components and keep the
 * last (innermost) one that names a container; see container_id.h.
 */
#include "containers/container_id.h"

#include <string.h>

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

static int lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int hex64(const char *s, size_t n)
{
	size_t i;

	if (n != CONTAINER_ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!lower_hex(s[i]))
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

static int ns_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* A containerd namespace name: [A-Za-z0-9_.-], not starting with '.'. */
static int ns_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= CONTAINER_NS_SIZE || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!ns_char(s[i]))
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

		if (!lower_hex(c) && c != '-')
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

/* A component of the cgroup path, and where it sits. */
struct component {
	const char *s;		/* its first byte */
	size_t n;		/* its length */
	size_t m;		/* its length without a ".scope" suffix */
	const char *parent;	/* the component before it, or NULL */
	size_t parent_len;
	size_t depth;		/* 0 for the first one */
	int kube;		/* it or one above it is a kubepods cgroup */
};

/* Step c to the next component of the path; 0 at the end. */
static int next_component(struct component *c)
{
	const char *s = c->s + c->n;

	if (c->n) {
		c->parent = c->s;
		c->parent_len = c->n;
		c->depth++;
	}
	while (*s == '/')
		s++;
	c->s = s;
	c->n = c->m = strcspn(s, "/");
	if (c->m > 6 && memcmp(s + c->m - 6, ".scope", 6) == 0)
		c->m -= 6;
	return c->n > 0;
}

/* The path is /<namespace>/<id>, as ctr and nerdctl make them. */
static int under_namespace(const struct component *c)
{
	return c->depth == 1 && c->m == c->n &&
	       ns_name(c->parent, c->parent_len);
}

/* What a component names: a container id, its runtime and namespace. */
struct match {
	const char *id;		/* NULL: not a container */
	enum container_runtime rt;
	const char *ns;
};

static struct match match_component(const struct component *c)
{
	struct match mt = { NULL, RUNTIME_UNKNOWN, "" };
	size_t i, k;

	if (hex64(c->s, c->m)) {	/* a bare <id> */
		mt.id = c->s;
		if (c->parent && c->parent_len == 6 &&
		    memcmp(c->parent, "docker", 6) == 0) {
			mt.rt = RUNTIME_DOCKER;
		} else if (c->kube) {
			mt.rt = RUNTIME_CONTAINERD;
			mt.ns = "k8s.io";
		} else if (under_namespace(c)) {
			mt.rt = RUNTIME_CONTAINERD;
		}
		return mt;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		k = strlen(prefixes[i].prefix);
		if (starts(c->s, c->m, prefixes[i].prefix) &&
		    hex64(c->s + k, c->m - k)) {
			mt.id = c->s + k;
			mt.rt = prefixes[i].rt;
			mt.ns = prefixes[i].ns;
			break;
		}
	}
	return mt;
}

/* Fill out with what c names; pod is the pod UID met so far. */
static void set_ref(struct container_ref *out, const struct component *c,
		    const struct match *mt, const char *pod)
{
	memcpy(out->id, mt->id, CONTAINER_ID_LEN);
	out->id[CONTAINER_ID_LEN] = '\0';
	out->runtime = mt->rt;
	if (mt->rt == RUNTIME_CONTAINERD && !*mt->ns && under_namespace(c)) {
		memcpy(out->ns, c->parent, c->parent_len);
		out->ns[c->parent_len] = '\0';
	} else {
		strcpy(out->ns, mt->ns);
	}
	strcpy(out->pod_uid, c->kube ? pod : "");
}

int container_from_cgroup_path(const char *path, struct container_ref *out)
{
	struct component c = { .s = path };
	char pod[sizeof(out->pod_uid)] = "";
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (!path)
		return 0;
	while (next_component(&c)) {
		struct match mt;

		/* kubepods, kubepods.slice, and kind's kubelet-kubepods */
		if (contains(c.s, c.n, "kubepods"))
			c.kube = 1;
		if (c.kube)
			pod_uid(c.s, c.n, pod, sizeof(pod));
		mt = match_component(&c);
		if (mt.id) {
			set_ref(out, &c, &mt, pod);
			found = 1;
		}
	}
	if (!found)
		memset(out, 0, sizeof(*out));
	return found;
}
