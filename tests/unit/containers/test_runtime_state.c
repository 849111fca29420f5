// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/containers/runtime_state.c with the roots pointed at
 * tests/fixtures/runtimes (see its README for which files are real).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers/runtime_state.h"
#include "unit.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif
#define RT FIXTURES "/runtimes"

#define DOCKER_ID \
	"fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
#define DOCKER_K8S \
	"5c1a9c4b0a3e6f7d8e9f00112233445566778899aabbccddeeff001122334455"
#define DOCKER_SANDBOX \
	"a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8"
#define PODMAN_ID \
	"926d8cc2aef7b8aca593ec96ed5aa64e56bc30daa40188f4b71f2316fde6fd21"
#define PODMAN_POD \
	"3148c33f68f8700fd917b512bef806793e1a0edc9891e4fd372f3ea02ff74cc4"
#define CRIO_ID \
	"9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CTR_ID \
	"7d7765f07f3723948df2c1f1301701decd15802a1d0b6c39e5bad8e2df6236d1"
#define CRI_ID \
	"3e8c1f0d2b7a4e6f9c5d8b1a0e2f4c6d8a9b7c5e3f1d0a2b4c6e8f0a1b3c5d7e"
#define CRI_SANDBOX \
	"b7a4e6f9c5d8b1a0e2f4c6d8a9b7c5e3f1d0a2b4c6e8f0a1b3c5d7e3e8c1f0d2"
#define TRUNC_DOCKER \
	"deadbeef00000000000000000000000000000000000000000000000000000001"
#define WRONG_ID \
	"deadbeef00000000000000000000000000000000000000000000000000000002"
#define TRUNC_CRI \
	"deadbeef00000000000000000000000000000000000000000000000000000003"
#define NOWHERE \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct runtime_roots roots = {
	.docker_root = RT "/docker",
	.storage_root = RT "/storage",
	.storage_runroot = RT "/runroot",
	.containerd_tasks = RT "/containerd",
};

static int lookup_with(const struct runtime_roots *r, const char *id,
		       enum container_runtime rt, const char *ns,
		       struct container_info *out)
{
	struct container_ref ref;

	memset(&ref, 0, sizeof(ref));
	snprintf(ref.id, sizeof(ref.id), "%s", id);
	snprintf(ref.ns, sizeof(ref.ns), "%s", ns);
	ref.runtime = rt;
	return runtime_state_lookup(r, &ref, out);
}

static int lookup(const char *id, enum container_runtime rt,
		  struct container_info *out)
{
	return lookup_with(&roots, id, rt, "", out);
}

static void expect_only_id(const struct container_info *c, const char *id)
{
	CHECK_STR(c->id, id);
	CHECK_STR(c->runtime, "");
	CHECK_STR(c->name, "");
	CHECK_STR(c->image, "");
	CHECK_STR(c->k8s_namespace, "");
	CHECK_STR(c->k8s_pod, "");
	CHECK_STR(c->k8s_container, "");
}

static void test_docker(void)
{
	struct container_info c;

	CHECK(lookup(DOCKER_ID, RUNTIME_DOCKER, &c) == 1);
	CHECK_STR(c.id, DOCKER_ID);
	CHECK_STR(c.runtime, "docker");
	CHECK_STR(c.name, "test-trace-tcp");
	CHECK_STR(c.image, "bbtest:latest");
	CHECK_STR(c.k8s_pod, "");
	/* Kubernetes through cri-dockerd: pod from the container labels. */
	CHECK(lookup(DOCKER_K8S, RUNTIME_DOCKER, &c) == 1);
	CHECK_STR(c.runtime, "docker");
	CHECK_STR(c.name, "k8s_nginx_web-5d8f7c9b4-x2x7k_shop_"
		  "0f3c2a1e-7b9d-4c5e-8f6a-1b2c3d4e5f60_0");
	CHECK_STR(c.image, "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c"
		  "3c9a29f762b011a10c54a66cd53c9b31");
	CHECK_STR(c.k8s_namespace, "shop");
	CHECK_STR(c.k8s_pod, "web-5d8f7c9b4-x2x7k");
	CHECK_STR(c.k8s_container, "nginx");
	/* the pod's labels from its sandbox, without the runtime's own */
	CHECK_STR(c.k8s_labels, "app=web,pod-template-hash=5d8f7c9b4,"
		  "tier=frontend");
	CHECK(lookup(DOCKER_SANDBOX, RUNTIME_DOCKER, &c) == 1);
	CHECK_STR(c.k8s_container, "POD");
	CHECK_STR(c.k8s_labels, "app=web,pod-template-hash=5d8f7c9b4,"
		  "tier=frontend");
	CHECK(lookup(DOCKER_ID, RUNTIME_DOCKER, &c) == 1);
	CHECK_STR(c.k8s_labels, "");
	/* A truncated file, and a file naming another container. */
	CHECK(lookup(TRUNC_DOCKER, RUNTIME_DOCKER, &c) == 0);
	expect_only_id(&c, TRUNC_DOCKER);
	CHECK(lookup(WRONG_ID, RUNTIME_DOCKER, &c) == 0);
	expect_only_id(&c, WRONG_ID);
}

static void test_podman(void)
{
	struct container_info c;

	CHECK(lookup(PODMAN_ID, RUNTIME_PODMAN, &c) == 1);
	CHECK_STR(c.runtime, "podman");
	CHECK_STR(c.name, "test-trace-tcp");
	CHECK_STR(c.image, "localhost/bbtest:latest");
	CHECK_STR(c.k8s_namespace, "");
	CHECK(lookup(PODMAN_POD, RUNTIME_PODMAN, &c) == 1);
	CHECK_STR(c.runtime, "podman");
	CHECK_STR(c.name, "inpod");
	CHECK_STR(c.image, "localhost/bbtest:latest");
	/* containers.json present but truncated: nothing. */
	{
		struct runtime_roots bad = roots;

		bad.storage_root = RT "/storage-bad";
		CHECK(lookup_with(&bad, PODMAN_ID, RUNTIME_PODMAN, "",
				  &c) == 0);
		expect_only_id(&c, PODMAN_ID);
	}
}

static void test_crio(void)
{
	struct container_info c;

	/* Its config.json is only under the run root. */
	CHECK(lookup(CRIO_ID, RUNTIME_CRIO, &c) == 1);
	CHECK_STR(c.runtime, "cri-o");
	CHECK_STR(c.name, "nginx");
	CHECK_STR(c.image, "docker.io/library/nginx:1.25");
	CHECK_STR(c.k8s_namespace, "shop");
	CHECK_STR(c.k8s_pod, "web-5d8f7c9b4-x2x7k");
	CHECK_STR(c.k8s_container, "nginx");
	CHECK_STR(c.k8s_labels, "app=web,pod-template-hash=5d8f7c9b4,"
		  "tier=frontend");
	/* Without the run root: names[0] and metadata only, runtime by
	 * guess. */
	{
		struct runtime_roots r = roots;

		r.storage_runroot = NULL;
		CHECK(lookup_with(&r, CRIO_ID, RUNTIME_CRIO, "", &c) == 1);
		CHECK_STR(c.runtime, "cri-o");
		CHECK_STR(c.name, "k8s_nginx_web-5d8f7c9b4-x2x7k_shop_"
			  "0f3c2a1e-7b9d-4c5e-8f6a-1b2c3d4e5f60_0");
		CHECK_STR(c.image, "docker.io/library/nginx:1.25");
		/* metadata's pod-name is CRI-O's k8s_... */
		CHECK_STR(c.k8s_pod, "");
		CHECK(lookup_with(&r, CRIO_ID, RUNTIME_UNKNOWN, "", &c) == 1);
		CHECK_STR(c.runtime, "");
	}
}

static void test_containerd(void)
{
	struct container_info c;

	CHECK(lookup_with(&roots, CRI_ID, RUNTIME_CONTAINERD, "k8s.io",
			  &c) == 1);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "coredns");
	CHECK_STR(c.image, "registry.k8s.io/coredns/coredns:v1.10.1");
	CHECK_STR(c.k8s_namespace, "kube-system");
	CHECK_STR(c.k8s_pod, "coredns-5d78c9869d-8xq4w");
	CHECK_STR(c.k8s_container, "coredns");
	/* The pod sandbox (pause): pod known, no container name. */
	CHECK(lookup_with(&roots, CRI_SANDBOX, RUNTIME_CONTAINERD, "k8s.io",
			  &c) == 1);
	CHECK_STR(c.name, "");
	CHECK_STR(c.k8s_pod, "coredns-5d78c9869d-8xq4w");
	CHECK_STR(c.k8s_container, "");
	/* ctr with a nerdctl/name annotation (real), namespace unknown. */
	CHECK(lookup(CTR_ID, RUNTIME_CONTAINERD, &c) == 1);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "test-ctr");
	CHECK_STR(c.image, "");
	/* A wrong namespace guess falls back to scanning. */
	CHECK(lookup_with(&roots, CTR_ID, RUNTIME_CONTAINERD, "k8s.io",
			  &c) == 1);
	CHECK_STR(c.name, "test-ctr");
	CHECK(lookup_with(&roots, TRUNC_CRI, RUNTIME_CONTAINERD, "k8s.io",
			  &c) == 0);
	expect_only_id(&c, TRUNC_CRI);
}

static void test_wrong_guess_and_unknown(void)
{
	struct container_info c;

	/* The guess only orders the search; the files decide. */
	CHECK(lookup(DOCKER_ID, RUNTIME_CONTAINERD, &c) == 1);
	CHECK_STR(c.runtime, "docker");
	CHECK(lookup(PODMAN_ID, RUNTIME_UNKNOWN, &c) == 1);
	CHECK_STR(c.runtime, "podman");
	CHECK(lookup(CRI_ID, RUNTIME_DOCKER, &c) == 1);
	CHECK_STR(c.name, "coredns");
	CHECK(lookup(NOWHERE, RUNTIME_DOCKER, &c) == 0);
	expect_only_id(&c, NOWHERE);
	/* Hostile references never reach a path. */
	CHECK(lookup("../../../../etc/passwd", RUNTIME_DOCKER, &c) == -1);
	CHECK_STR(c.id, "");
	CHECK(lookup_with(&roots, CRI_ID, RUNTIME_CONTAINERD, "../k8s.io",
			  &c) == 1);
	CHECK_STR(c.name, "coredns");
	/* Missing roots: nothing found, nothing crashes. */
	{
		struct runtime_roots none = { NULL, NULL, NULL, NULL };
		struct runtime_roots absent = {
			"/nonexistent", "/nonexistent",
			"/nonexistent", "/nonexistent"
		};

		CHECK(lookup_with(&none, DOCKER_ID, RUNTIME_DOCKER, "",
				  &c) == 0);
		CHECK(lookup_with(&absent, DOCKER_ID, RUNTIME_DOCKER, "",
				  &c) == 0);
		expect_only_id(&c, DOCKER_ID);
	}
	/* The defaults point at the real places. */
	CHECK_STR(runtime_roots_default.docker_root, "/var/lib/docker");
	CHECK_STR(runtime_roots_default.storage_root,
		  "/var/lib/containers/storage");
}

/* A private Docker root in /tmp for the hostile files below. */
static char hostile_root[64];

/* Its config.v2.json path for id (made here, or NULL). */
static const char *hostile_path(const char *id)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/containers", hostile_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/containers/%s", hostile_root, id);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json",
		 hostile_root, id);
	return path;
}

/* A config.v2.json for id naming it name, padded with spaces (valid
 * JSON) to size bytes when size is larger. */
static void write_state(const char *id, const char *name, size_t size)
{
	char head[512];
	size_t n = (size_t)snprintf(head, sizeof(head),
				    "{\"ID\":\"%s\",\"Name\":\"/%s\"}",
				    id, name);
	char *doc = malloc(n > size ? n : size);
	FILE *f = fopen(hostile_path(id), "w");

	memcpy(doc, head, n);
	if (size > n)
		memset(doc + n, ' ', size - n);
	CHECK(f && fwrite(doc, 1, n > size ? n : size, f) > 0);
	if (f)
		fclose(f);
	free(doc);
}

/* 1 if the lookup of id in the hostile root names it name (0: id only). */
static int named(const char *id, const char *name)
{
	struct runtime_roots r = { .docker_root = hostile_root };
	struct container_info c;
	int rc = lookup_with(&r, id, RUNTIME_DOCKER, "", &c);

	CHECK_STR(c.id, id);
	if (rc != 1)
		expect_only_id(&c, id);
	return rc == 1 && strcmp(c.name, name) == 0;
}

#define HOSTILE_ID(c) \
	c "000000000000000000000000000000000000000000000000000000000000000"

/* Not a regular file, or over the cap: id only, and never a hang (alarm
 * ends a blocked open of the FIFO with a failure). */
static void test_hostile_files(void)
{
	const char *fifo = HOSTILE_ID("1"), *zero = HOSTILE_ID("2"),
		   *dir = HOSTILE_ID("3"), *link = HOSTILE_ID("4"),
		   *cap = HOSTILE_ID("5"), *over = HOSTILE_ID("6");

	strcpy(hostile_root, "/tmp/tt-unit-state.XXXXXX");
	if (!mkdtemp(hostile_root)) {
		CHECK(!"mkdtemp");
		return;
	}
	alarm(10);
	CHECK(mkfifo(hostile_path(fifo), 0644) == 0);
	CHECK(!named(fifo, "x"));
	CHECK(symlink("/dev/zero", hostile_path(zero)) == 0);
	CHECK(!named(zero, "x"));
	CHECK(mkdir(hostile_path(dir), 0755) == 0);
	CHECK(!named(dir, "x"));
	/* The runtimes write their files in place: no symlink is followed,
	 * not even to a good file. */
	write_state(cap, "at-the-cap", RUNTIME_CONFIG_MAX);
	CHECK(named(cap, "at-the-cap"));
	{
		char target[256];

		snprintf(target, sizeof(target), "%s", hostile_path(cap));
		CHECK(symlink(target, hostile_path(link)) == 0);
	}
	CHECK(!named(link, "at-the-cap"));
	write_state(over, "over-the-cap", RUNTIME_CONFIG_MAX + 1);
	CHECK(!named(over, "over-the-cap"));
	alarm(0);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", hostile_root);
		CHECK(system(cmd) == 0);
	}
}

/* Names with control characters, quotes, backslashes, or too long. */
static void test_hostile_names(void)
{
	const char *ctl = HOSTILE_ID("7"), *big = HOSTILE_ID("8");
	char name[300];

	strcpy(hostile_root, "/tmp/tt-unit-state.XXXXXX");
	if (!mkdtemp(hostile_root)) {
		CHECK(!"mkdtemp");
		return;
	}
	write_state(ctl, "a\\u001b[2J\\r\\n\\\"q\\\"\\\\\\u007f\\u0085", 0);
	CHECK(named(ctl, "a?[2J??\"q\"\\?\xc2\x85"));
	/* 254 bytes and Docker's '/' fit; one more does not, and leaves
	 * the id alone. */
	memset(name, 'n', 254);
	name[254] = '\0';
	write_state(big, name, 0);
	CHECK(named(big, name));
	strcat(name, "n");
	write_state(big, name, 0);
	CHECK(named(big, ""));
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", hostile_root);
		CHECK(system(cmd) == 0);
	}
}

int main(void)
{
	RUN(test_docker);
	RUN(test_podman);
	RUN(test_crio);
	RUN(test_containerd);
	RUN(test_wrong_guess_and_unknown);
	RUN(test_hostile_files);
	RUN(test_hostile_names);
	UNIT_EXIT();
}
