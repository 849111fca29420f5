// SPDX-License-Identifier: GPL-2.0-only
/* Event -> container, with a cache per cgroup id (see containers.h). */
#include "containers/containers.h"

#include <stdlib.h>
#include <string.h>

#include "containers/cgroup_fs.h"
#include "containers/container_id.h"
#include "kernel/bpf_syscall.h"

/* For events that carry no cgroup id (kernels before 4.18). */
static struct container_entry host_entry = { .used = 1, .shown = 1 };

void containers_init(struct containers *c, const struct runtime_roots *roots,
		     const struct container_filter *filter,
		     const char *mountinfo)
{
	memset(c, 0, sizeof(*c));
	c->roots = *roots;
	c->filter = filter;
	c->verdicts_fd = c->new_cgroups_fd = -1;
	if (cgroup2_mount_point(mountinfo, c->cgroup2_mount,
				sizeof(c->cgroup2_mount)) != 1)
		c->cgroup2_mount[0] = '\0';
	host_entry.shown = (unsigned char)container_filter_shows(filter, NULL);
}

void containers_set_maps(struct containers *c, int verdicts_fd,
			 int new_cgroups_fd)
{
	c->verdicts_fd = verdicts_fd;
	c->new_cgroups_fd = new_cgroups_fd;
}

static unsigned int slot_of(uint64_t id)
{
	return (unsigned int)((id * 0x9e3779b97f4a7c15ull) >> 32) &
	       (CONTAINERS_CACHE_SLOTS - 1);
}

static struct container_entry *find(struct containers *c, uint64_t id)
{
	unsigned int i = slot_of(id);

	for (;; i = (i + 1) & (CONTAINERS_CACHE_SLOTS - 1)) {
		struct container_entry *e = &c->slots[i];

		if (!e->used || e->cgroup_id == id)
			return e;	/* a free slot ends the probe */
	}
}

/* Before an insertion: forget everything once the table is 3/4 full
 * (ids of removed cgroups are never reused, so old entries are mostly
 * dead). 1 if it did. */
static int make_room(struct containers *c)
{
	if (c->used < CONTAINERS_CACHE_SLOTS / 4 * 3)
		return 0;
	containers_free(c);
	return 1;
}

/* The cgroup's path by the first source that knows it: 1, or 0 if
 * none does. */
static int cgroup_path(struct containers *c, uint64_t id, char *path,
		       size_t pathlen)
{
	struct tt_cgroup_path created;

	if (c->new_cgroups_fd >= 0 &&
	    bpf_map_lookup(c->new_cgroups_fd, &id, &created) == 0) {
		bpf_map_delete(c->new_cgroups_fd, &id);
		created.path[sizeof(created.path) - 1] = '\0';
		if (strlen(created.path) < pathlen) {
			strcpy(path, created.path);
			return 1;
		}
	}
	return c->cgroup2_mount[0] &&
	       cgroup2_path_of_id(c->cgroup2_mount, id, path, pathlen) == 1;
}

/* The container a cgroup path names, or NULL for the host. Unknown
 * runtime state leaves only the id (and the runtime guessed from the
 * path): the id is shown instead of a name, never a wrong name. */
static struct container_info *container_of_path(struct containers *c,
						const char *path)
{
	struct container_ref ref;
	struct container_info *info;

	if (!container_from_cgroup_path(path, &ref))
		return NULL;
	info = malloc(sizeof(*info));
	if (!info)
		return NULL;
	if (runtime_state_lookup(&c->roots, &ref, info) != 1 &&
	    !info->runtime[0])
		strcpy(info->runtime, container_runtime_name(ref.runtime));
	return info;
}

static void tell_kernel(struct containers *c, const struct container_entry *e)
{
	unsigned char verdict = e->shown ? TT_CGROUP_SHOW : TT_CGROUP_HIDE;

	if (c->verdicts_fd >= 0 && container_filter_active(c->filter))
		bpf_map_update(c->verdicts_fd, &e->cgroup_id, &verdict,
			       BPF_ANY);
}

/* The entry for id, resolved now if it is new: by known_path when the
 * caller has it, else by cgroup_path(). */
static struct container_entry *resolve(struct containers *c, uint64_t id,
				       const char *known_path)
{
	struct container_entry *e;
	char path[CGROUP2_PATH_MAX];

	e = find(c, id);
	if (e->used)
		return e;
	if (make_room(c))
		e = find(c, id);
	e->used = 1;
	e->cgroup_id = id;
	c->used++;
	if (known_path)
		e->info = container_of_path(c, known_path);
	else if (cgroup_path(c, id, path, sizeof(path)))
		e->info = container_of_path(c, path);
	else
		e->info = NULL;
	e->shown = (unsigned char)container_filter_shows(c->filter, e->info);
	tell_kernel(c, e);
	return e;
}

void containers_cgroup_created(struct containers *c, uint64_t cgroup_id)
{
	resolve(c, cgroup_id, NULL);
}

static void judge_one(void *arg, uint64_t id, const char *path)
{
	resolve(arg, id, path);
}

void containers_judge_existing(struct containers *c)
{
	if (container_filter_active(c->filter) && c->cgroup2_mount[0])
		cgroup2_for_each(c->cgroup2_mount, judge_one, c);
}

const struct container_entry *containers_of_event(struct containers *c,
						  const struct tt_event *e)
{
	if (!(e->known & TT_KNOWN_CGROUP) || !c->cgroup2_mount[0])
		return &host_entry;
	return resolve(c, e->cgroup_id, NULL);
}

void containers_free(struct containers *c)
{
	for (unsigned int i = 0; i < CONTAINERS_CACHE_SLOTS; i++)
		free(c->slots[i].info);
	memset(c->slots, 0, sizeof(c->slots));
	c->used = 0;
}

int containers_cgroup2_mounted(const struct containers *c)
{
	return c->cgroup2_mount[0] != '\0';
}
