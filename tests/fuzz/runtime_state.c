// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the runtimes' state files. The input split at NUL bytes
 * is, in order, Docker's config.v2.json, containers-storage's
 * containers.json, a podman/CRI-O container's userdata/config.json and
 * a containerd task's config.json (a missing one is empty), all of
 * container FUZZ_ID; they are written into a scratch tree and the
 * container is looked up in each runtime's root alone. The tree is in
 * /dev/shm where there is one (on a disk, the writes are most of the
 * time an input takes), else in /tmp. The seeds are
 * tests/fixtures/runtimes' files with their ids made FUZZ_ID.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers/runtime_state.h"

#define FUZZ_ID "fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
#define NS "default"

/* Below the scratch directory: the files, then the folders to make for
 * them, deepest last so that they are removed first backwards. */
static const char *const files[] = {
	"docker/containers/" FUZZ_ID "/config.v2.json",
	"storage/overlay-containers/containers.json",
	"storage/overlay-containers/" FUZZ_ID "/userdata/config.json",
	"containerd/" NS "/" FUZZ_ID "/config.json",
};
#define NFILES (sizeof(files) / sizeof(files[0]))
static const char *const dirs[] = {
	"docker", "docker/containers", "docker/containers/" FUZZ_ID,
	"storage", "storage/overlay-containers",
	"storage/overlay-containers/" FUZZ_ID,
	"storage/overlay-containers/" FUZZ_ID "/userdata",
	"containerd", "containerd/" NS, "containerd/" NS "/" FUZZ_ID,
};
#define NDIRS (sizeof(dirs) / sizeof(dirs[0]))

static char scratch[64];
static char docker[128], storage[128], runroot[128], containerd[128];

static void below(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", scratch, name);
}

static void remove_scratch(void)
{
	char path[512];

	for (size_t i = 0; i < NFILES; i++) {
		below(path, sizeof(path), files[i]);
		unlink(path);
	}
	for (size_t i = NDIRS; i-- > 0;) {
		below(path, sizeof(path), dirs[i]);
		rmdir(path);
	}
	rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[512];

	snprintf(scratch, sizeof(scratch), "%s/tt-fuzz-runtime-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(scratch)) {
		perror(scratch);
		exit(1);
	}
	atexit(remove_scratch);
	for (size_t i = 0; i < NDIRS; i++) {
		below(path, sizeof(path), dirs[i]);
		if (mkdir(path, 0700)) {
			perror(path);
			exit(1);
		}
	}
	below(docker, sizeof(docker), "docker");
	below(storage, sizeof(storage), "storage");
	below(runroot, sizeof(runroot), "runroot");	/* none */
	below(containerd, sizeof(containerd), "containerd");
	return 0;
}

static void write_file(const char *name, const uint8_t *data, size_t len)
{
	char path[512];
	FILE *f;

	below(path, sizeof(path), name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		abort();
	}
}

static void lookup(const struct runtime_roots *roots,
		   enum container_runtime guess, const char *ns)
{
	struct container_info info;
	struct container_ref ref = { .id = FUZZ_ID, .runtime = guess };

	snprintf(ref.ns, sizeof(ref.ns), "%s", ns);
	if (runtime_state_lookup(roots, &ref, &info) < 0)
		__builtin_trap();	/* FUZZ_ID is a container id */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *doc = data, *end = data + size;
	const struct runtime_roots docker_only = { .docker_root = docker };
	const struct runtime_roots storage_only = {
		.storage_root = storage, .storage_runroot = runroot,
	};
	const struct runtime_roots containerd_only = {
		.containerd_tasks = containerd,
	};

	for (size_t i = 0; i < NFILES; i++) {
		const uint8_t *nul = memchr(doc, '\0', (size_t)(end - doc));
		const uint8_t *stop = nul ? nul : end;

		write_file(files[i], doc, (size_t)(stop - doc));
		doc = nul ? nul + 1 : end;
	}
	lookup(&docker_only, RUNTIME_DOCKER, "");
	/* the guess decides podman or CRI-O where the files do not */
	lookup(&storage_only, size & 1 ? RUNTIME_CRIO : RUNTIME_PODMAN, "");
	/* the namespace named first, then by listing the tasks folder */
	lookup(&containerd_only, RUNTIME_CONTAINERD, size & 1 ? NS : "");
	return 0;
}
