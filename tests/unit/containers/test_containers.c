// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the container stage: filter.c (-c lists and
 * what they show), cgroup_fs.c (cgroup2 mount, id -> path walk) and
 * containers.c (event -> container through a fake cgroup2 tree, whose
 * directory inodes play the cgroup ids, and the runtime fixtures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers/cgroup_fs.h"
#include "containers/containers.h"
#include "containers/filter.h"
#include "unit.h"

#define RUNTIMES FIXTURES "/runtimes"
#define DOCKER_ID \
	"fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
#define UNKNOWN_ID \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char tree[64];		/* the fake cgroup2 mount */
static char mountinfo[96];

static struct container_info named(const char *name, const char *id)
{
	struct container_info c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.id, sizeof(c.id), "%s", id);
	return c;
}

static void test_filter_parse(void)
{
	static struct container_filter f;
	struct tt_err err;

	CHECK(container_filter_add(&f, "web,!db", &err) == 0);
	CHECK(f.count == 2 && !f.excluded[0] && f.excluded[1]);
	CHECK_STR(f.names[0], "web");
	CHECK_STR(f.names[1], "db");
	CHECK(f.any_included && container_filter_active(&f));
	CHECK(container_filter_add(&f, "a,,b", &err) == -1);
	CHECK(strstr(err.msg, "empty container name") != NULL);
	CHECK(container_filter_add(&f, "!", &err) == -1);
	CHECK(container_filter_add(&f, "", &err) == -1);
	memset(&f, 0, sizeof(f));
	CHECK(!container_filter_active(&f));
	for (int i = 0; i < CONTAINER_FILTER_MAX; i++)
		CHECK(container_filter_add(&f, "x", &err) == 0);
	CHECK(container_filter_add(&f, "y", &err) == -1);
}

static void test_filter_shows(void)
{
	static struct container_filter f;
	struct container_info web = named("web", DOCKER_ID);
	struct container_info db = named("db", UNKNOWN_ID);
	struct container_info anon = named("", UNKNOWN_ID);
	struct tt_err err;

	/* No filter: everything, host included. */
	CHECK(container_filter_shows(&f, NULL));
	CHECK(container_filter_shows(&f, &web));
	/* --containers-only */
	f.containers_only = 1;
	CHECK(!container_filter_shows(&f, NULL));
	CHECK(container_filter_shows(&f, &web) &&
	      container_filter_shows(&f, &anon));
	/* -c web: that one only; by name, full id or a 12+ digit prefix. */
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "web", &err);
	CHECK(container_filter_shows(&f, &web));
	CHECK(!container_filter_shows(&f, &db) &&
	      !container_filter_shows(&f, NULL));
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "fce0568bbb37", &err);
	CHECK(container_filter_shows(&f, &web) &&
	      !container_filter_shows(&f, &db));
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "fce0568bbb3", &err);	/* too short */
	CHECK(!container_filter_shows(&f, &web));
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "0123456789abcdef0123456789abcdef"
			     "0123456789abcdef0123456789abcdef", &err);
	CHECK(container_filter_shows(&f, &anon));
	/* -c !db: all but db, host included; with --containers-only, not
	 * host. */
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "!db", &err);
	CHECK(container_filter_shows(&f, &web) &&
	      !container_filter_shows(&f, &db));
	CHECK(container_filter_shows(&f, NULL));
	f.containers_only = 1;
	CHECK(!container_filter_shows(&f, NULL));
	/* -c web,!web: exclusion wins. */
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "web,!web", &err);
	CHECK(!container_filter_shows(&f, &web));
}

static unsigned long long inode_of(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", tree, rel);
	if (stat(path, &st))
		return 0;
	return (unsigned long long)st.st_ino;
}

static void make_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", tree, rel);
	mkdir(path, 0755);
}

/* A tree like a hybrid host's /sys/fs/cgroup/unified. */
static int build_tree(void)
{
	FILE *f;

	snprintf(tree, sizeof(tree), "/tmp/tt-cgroup-test.XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	make_dir("/docker");
	make_dir("/docker/" DOCKER_ID);
	make_dir("/libpod_parent");
	make_dir("/libpod_parent/libpod-" UNKNOWN_ID);
	make_dir("/user.slice");
	make_dir("/user.slice/user-0.slice");
	snprintf(mountinfo, sizeof(mountinfo), "%s/mountinfo", tree);
	f = fopen(mountinfo, "w");
	if (!f)
		return -1;
	fprintf(f, "22 1 0:21 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
		   "30 22 0:26 / /sys/fs/cgroup ro shared:9 - "
		   "tmpfs tmpfs ro,mode=755\n"
		   "31 30 0:27 / /sys/fs/cgroup/sp\\040ace rw shared:10 - "
		   "cgroup2 cgroup2 rw\n"
		   "32 30 0:28 / %s rw,nosuid shared:11 - "
		   "cgroup2 cgroup2 rw,nsdelegate\n"
		   "33 30 0:29 / /sys/fs/cgroup/cpu rw shared:12 - "
		   "cgroup cgroup rw,cpu\n",
		tree);
	fclose(f);
	return 0;
}

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	if (system(cmd))
		fprintf(stderr, "  could not remove %s\n", tree);
}

/* A pod's container: namespace, pod, container name and labels. */
static struct container_info in_pod(const char *ns, const char *pod,
				    const char *name, const char *labels)
{
	struct container_info c = named(name, DOCKER_ID);

	strcpy(c.k8s_namespace, ns);
	strcpy(c.k8s_pod, pod);
	strcpy(c.k8s_container, name);
	strcpy(c.k8s_labels, labels);
	return c;
}

static void test_filter_k8s(void)
{
	static struct container_filter f;
	struct container_info web = in_pod("shop", "web-1", "nginx",
					   "app=web,tier=frontend");
	struct container_info db = in_pod("shop", "db-0", "postgres",
					  "app=db");
	struct container_info sys = in_pod("kube-system", "dns-1",
					   "coredns", "");
	struct container_info plain = named("plain", UNKNOWN_ID);
	struct tt_err err;

	/* -n shop: its pods only; never the host, nor a container in no
	 * pod */
	CHECK(container_filter_add_k8s(&f, K8S_NAMESPACE, "shop", &err) == 0);
	CHECK(container_filter_active(&f));
	CHECK(container_filter_shows(&f, &web) &&
	      container_filter_shows(&f, &db));
	CHECK(!container_filter_shows(&f, &sys) &&
	      !container_filter_shows(&f, &plain) &&
	      !container_filter_shows(&f, NULL));
	/* -n again adds a namespace; -p narrows to pods of either */
	CHECK(container_filter_add_k8s(&f, K8S_NAMESPACE, "kube-system",
				       &err) == 0);
	CHECK(container_filter_shows(&f, &sys));
	CHECK(container_filter_add_k8s(&f, K8S_POD, "web-1,dns-1", &err) == 0);
	CHECK(container_filter_shows(&f, &web) &&
	      container_filter_shows(&f, &sys) &&
	      !container_filter_shows(&f, &db));
	memset(&f, 0, sizeof(f));
	CHECK(container_filter_add_k8s(&f, K8S_CONTAINER, "postgres",
				       &err) == 0);
	CHECK(container_filter_shows(&f, &db) &&
	      !container_filter_shows(&f, &web));
	/* -l: every pair among the labels; unknown labels match nothing */
	memset(&f, 0, sizeof(f));
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "app=web", &err) == 0);
	CHECK(container_filter_shows(&f, &web) &&
	      !container_filter_shows(&f, &db) &&
	      !container_filter_shows(&f, &sys));
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "tier=backend",
				       &err) == 0);
	CHECK(!container_filter_shows(&f, &web));
	memset(&f, 0, sizeof(f));
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR,
				       "tier=frontend,app=web", &err) == 0);
	CHECK(container_filter_shows(&f, &web));
	memset(&f, 0, sizeof(f));
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "app=we", &err) == 0);
	CHECK(!container_filter_shows(&f, &web));
	/* -c and -n together: both must hold */
	memset(&f, 0, sizeof(f));
	container_filter_add(&f, "!nginx", &err);
	CHECK(container_filter_add_k8s(&f, K8S_NAMESPACE, "shop", &err) == 0);
	CHECK(!container_filter_shows(&f, &web) &&
	      container_filter_shows(&f, &db));
	/* malformed */
	memset(&f, 0, sizeof(f));
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "app", &err) == -1);
	CHECK_STR(err.msg, "--k8s-selector: \"app\" is not KEY=VALUE");
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "=x", &err) == -1);
	CHECK(container_filter_add_k8s(&f, K8S_SELECTOR, "a=b=c", &err) == -1);
	CHECK(container_filter_add_k8s(&f, K8S_POD, "a,,b", &err) == -1);
	CHECK_STR(err.msg, "--k8s-podname: an empty value in \"a,,b\"");
	CHECK(container_filter_add_k8s(&f, K8S_NAMESPACE, "", &err) == -1);
	CHECK(!container_filter_active(&f));
	for (int i = 0; i < K8S_LISTS_MAX; i++)
		CHECK(container_filter_add_k8s(&f, K8S_POD, "p", &err) == 0);
	CHECK(container_filter_add_k8s(&f, K8S_POD, "p", &err) == -1);
}

static void test_cgroup_fs(void)
{
	char path[512], mount[256];
	unsigned long long id = inode_of("/docker/" DOCKER_ID);

	CHECK(cgroup2_mount_point(mountinfo, mount, sizeof(mount)) == 1);
	CHECK_STR(mount, tree);	/* the escaped mount point is skipped */
	CHECK(cgroup2_mount_point("/nonexistent", mount, sizeof(mount)) == -1);
	CHECK(cgroup2_mount_point(mountinfo, mount, 8) == 0);	/* too long */

	CHECK(cgroup2_path_of_id(tree, id, path, sizeof(path)) == 1);
	CHECK_STR(path, "/docker/" DOCKER_ID);
	/* Before 5.5 a generation sat in the upper half. */
	CHECK(cgroup2_path_of_id(tree, id | 7ull << 32, path,
				 sizeof(path)) == 1);
	CHECK_STR(path, "/docker/" DOCKER_ID);
	CHECK(cgroup2_path_of_id(tree, inode_of(""), path, sizeof(path)) == 1);
	CHECK_STR(path, "/");
	CHECK(cgroup2_path_of_id(tree, inode_of("/user.slice/user-0.slice"),
				 path, sizeof(path)) == 1);
	CHECK_STR(path, "/user.slice/user-0.slice");
	CHECK(cgroup2_path_of_id(tree, 1, path, sizeof(path)) == 0);
	/* A path that does not fit is not returned cut short. */
	CHECK(cgroup2_path_of_id(tree, id, path, 20) == 0);
	CHECK(cgroup2_path_of_id("/nonexistent", id, path, sizeof(path)) == -1);
}

/* A line longer than the reader's buffer: its tail is not a line of its
 * own. Here the tail of a cgroup2 mount at a 4100-byte path, read alone,
 * would put "propagate_from:3" where the mount point is. */
static void test_mountinfo_long_line(void)
{
	char path[512], mount[256], point[4102];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mountinfo-long", tree);
	memset(point, 'a', sizeof(point) - 1);
	point[0] = '/';
	point[sizeof(point) - 1] = '\0';
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "40 30 0:40 / %s rw shared:1 master:2 propagate_from:3 - "
		   "cgroup2 cgroup2 rw\n"
		   "41 30 0:41 / /sys/fs/cgroup rw shared:9 - "
		   "cgroup2 cgroup2 rw\n", point);
	fclose(f);
	CHECK(cgroup2_mount_point(path, mount, sizeof(mount)) == 1);
	CHECK_STR(mount, "/sys/fs/cgroup");
}

/* /sys/fs/cgroup before any other cgroup2 mount; else the first. */
static void test_mountinfo_prefers_usual(void)
{
	char path[512], mount[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mountinfo-several", tree);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "50 30 0:40 /../../.. /run/containers/storage/overlay/x/"
		   "merged/sys/fs/cgroup ro shared:1 - cgroup2 cgroup2 rw\n"
		   "51 30 0:41 / /sys/fs/cgroup ro shared:9 - "
		   "cgroup2 cgroup2 rw\n"
		   "52 30 0:42 / /mnt/other rw - cgroup2 cgroup2 rw\n");
	fclose(f);
	CHECK(cgroup2_mount_point(path, mount, sizeof(mount)) == 1);
	CHECK_STR(mount, "/sys/fs/cgroup");
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "52 30 0:42 / /mnt/first rw - cgroup2 cgroup2 rw\n"
		   "53 30 0:43 / /mnt/second rw - cgroup2 cgroup2 rw\n");
	fclose(f);
	CHECK(cgroup2_mount_point(path, mount, sizeof(mount)) == 1);
	CHECK_STR(mount, "/mnt/first");
}

static const struct runtime_roots roots = {
	RUNTIMES "/docker", RUNTIMES "/storage", RUNTIMES "/runroot",
	RUNTIMES "/containerd",
};

static struct tt_event event_in(unsigned long long cgroup_id)
{
	struct tt_event e;

	memset(&e, 0, sizeof(e));
	e.type = TT_EVENT_CONNECT;
	e.cgroup_id = cgroup_id;
	e.known = TT_KNOWN_CGROUP;
	return e;
}

static void test_containers_resolve(void)
{
	static struct containers c;
	static struct container_filter none;
	struct tt_event e = event_in(inode_of("/docker/" DOCKER_ID));
	const struct container_entry *entry;

	containers_init(&c, &roots, &none, mountinfo);
	CHECK_STR(c.cgroup2_mount, tree);
	entry = containers_of_event(&c, &e);
	CHECK(entry->shown && entry->info != NULL);
	if (entry->info) {
		CHECK_STR(entry->info->name, "test-trace-tcp");
		CHECK_STR(entry->info->runtime, "docker");
		CHECK_STR(entry->info->id, DOCKER_ID);
	}
	CHECK(containers_of_event(&c, &e) == entry);	/* cached */
	CHECK(c.used == 1);

	/* A container whose runtime state is unknown: id and runtime guess. */
	e = event_in(inode_of("/libpod_parent/libpod-" UNKNOWN_ID));
	entry = containers_of_event(&c, &e);
	CHECK(entry->info != NULL);
	if (entry->info) {
		CHECK_STR(entry->info->name, "");
		CHECK_STR(entry->info->id, UNKNOWN_ID);
		CHECK_STR(entry->info->runtime, "podman");
	}
	/* Host cgroups, a vanished one, an event without a cgroup id. */
	e = event_in(inode_of("/user.slice/user-0.slice"));
	CHECK(containers_of_event(&c, &e)->info == NULL);
	e = event_in(1);
	CHECK(containers_of_event(&c, &e)->info == NULL);
	e.known = 0;
	CHECK(containers_of_event(&c, &e)->info == NULL);
	CHECK(containers_of_event(&c, &e)->shown);

	/* Many ids: the cache is emptied and refilled, answers stay right. */
	for (unsigned long long id = 1000000;
	     id < 1000000 + 2 * CONTAINERS_CACHE_SLOTS; id++) {
		e = event_in(id);
		CHECK(containers_of_event(&c, &e)->info == NULL);
	}
	CHECK(c.used < CONTAINERS_CACHE_SLOTS);
	e = event_in(inode_of("/docker/" DOCKER_ID));
	entry = containers_of_event(&c, &e);
	CHECK(entry->info && !strcmp(entry->info->name, "test-trace-tcp"));
	/* A full table is emptied only to insert, never to look up. */
	for (unsigned long long id = 2000000;
	     c.used < CONTAINERS_CACHE_SLOTS / 4 * 3; id++) {
		e = event_in(id);
		containers_of_event(&c, &e);
	}
	e = event_in(inode_of("/docker/" DOCKER_ID));
	CHECK(containers_of_event(&c, &e) == entry);
	CHECK(c.used == CONTAINERS_CACHE_SLOTS / 4 * 3);
	containers_free(&c);

	/* No cgroup2 mount: every event is the host's. */
	containers_init(&c, &roots, &none, "/nonexistent");
	e = event_in(inode_of("/docker/" DOCKER_ID));
	CHECK(containers_of_event(&c, &e)->info == NULL);
	containers_free(&c);
}

static void test_containers_filter(void)
{
	static struct containers c;
	static struct container_filter f;
	struct tt_event in_docker = event_in(inode_of("/docker/" DOCKER_ID));
	struct tt_event in_podman =
		event_in(inode_of("/libpod_parent/libpod-" UNKNOWN_ID));
	struct tt_event on_host = event_in(inode_of("/user.slice"));
	struct tt_err err;

	container_filter_add(&f, "test-trace-tcp", &err);
	containers_init(&c, &roots, &f, mountinfo);
	/* Every cgroup of the tree judged up front: root, docker, its
	 * container, libpod_parent, its container, user.slice, user-0.slice. */
	containers_judge_existing(&c);
	CHECK(c.used == 7);
	CHECK(containers_of_event(&c, &in_docker)->shown);
	CHECK(!containers_of_event(&c, &in_podman)->shown);
	CHECK(!containers_of_event(&c, &on_host)->shown);
	CHECK(c.used == 7);	/* nothing resolved twice */
	containers_free(&c);

	/* No filter: nothing to judge up front. */
	memset(&f, 0, sizeof(f));
	containers_init(&c, &roots, &f, mountinfo);
	containers_judge_existing(&c);
	CHECK(c.used == 0);
	containers_free(&c);

	memset(&f, 0, sizeof(f));
	f.containers_only = 1;
	containers_init(&c, &roots, &f, mountinfo);
	CHECK(containers_of_event(&c, &in_docker)->shown);
	CHECK(containers_of_event(&c, &in_podman)->shown);
	CHECK(!containers_of_event(&c, &on_host)->shown);
	on_host.known = 0;
	CHECK(!containers_of_event(&c, &on_host)->shown);
	containers_free(&c);
}

int main(void)
{
	RUN(test_filter_parse);
	RUN(test_filter_shows);
	RUN(test_filter_k8s);
	if (build_tree()) {
		printf("FAIL: test_cgroup_fs: cannot build the fake cgroup "
		       "tree\n");
		return 1;
	}
	RUN(test_cgroup_fs);
	RUN(test_mountinfo_long_line);
	RUN(test_mountinfo_prefers_usual);
	RUN(test_containers_resolve);
	RUN(test_containers_filter);
	remove_tree();
	UNIT_EXIT();
}
