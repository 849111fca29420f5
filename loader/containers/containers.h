/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The container stage of the pipeline: which container (or the host) an
 * event's task runs in, by its cgroup v2 id, and whether the container
 * filters show it. Answers are cached per cgroup id; a filter's verdict
 * is also written to the kernel's cgroup_verdicts map so that later
 * events of a hidden cgroup are dropped before the perf buffer.
 *
 * How an id is resolved to a path, first that answers:
 *   1. the new_cgroups map (filled at cgroup_mkdir: a cgroup created
 *      after start, even one already removed again);
 *   2. a walk of the cgroup2 mount (cgroups older than this run).
 * Without a cgroup2 mount every event is the host's (see cgroup_fs.h).
 * The path names the container id (container_id.c); the runtime's files
 * name the container (runtime_state.c).
 */
#ifndef CONTAINERS_H
#define CONTAINERS_H

#include <stdint.h>

#include "containers/filter.h"
#include "containers/runtime_state.h"
#include "trace_tcp.h"

#define CONTAINERS_CACHE_SLOTS 1024	/* a power of two */

struct container_entry {
	uint64_t cgroup_id;
	unsigned char used;
	unsigned char shown;	/* the filters let its events through */
	struct container_info *info;	/* NULL: a host cgroup */
};

struct containers {
	struct runtime_roots roots;
	const struct container_filter *filter;
	char cgroup2_mount[256];	/* "" when cgroup2 is not mounted */
	int verdicts_fd;		/* cgroup_verdicts map, or -1 */
	int new_cgroups_fd;		/* new_cgroups map, or -1 */
	unsigned int used;
	struct container_entry slots[CONTAINERS_CACHE_SLOTS];
};

/* mountinfo: where to find the cgroup2 mount ("/proc/self/mountinfo").
 * The maps are set later (-1: none). */
void containers_init(struct containers *c, const struct runtime_roots *roots,
		     const struct container_filter *filter,
		     const char *mountinfo);
void containers_set_maps(struct containers *c, int verdicts_fd,
			 int new_cgroups_fd);

/* A TT_RECORD_CGROUP_MKDIR arrived: resolve that cgroup now, while the
 * runtime's state surely exists. */
void containers_cgroup_created(struct containers *c, uint64_t cgroup_id);

/* With a container filter: judge every cgroup that exists now and write
 * the verdicts into the kernel's map, so that hidden cgroups are dropped
 * there from their first event on (new ones are judged when created). */
void containers_judge_existing(struct containers *c);

/* The entry for an event's cgroup (resolved on first sight). Never NULL:
 * an event without a cgroup id gets a shared host entry. */
const struct container_entry *containers_of_event(struct containers *c,
						  const struct tt_event *e);

/* Is there a cgroup v2 mount to tell containers apart by? */
int containers_cgroup2_mounted(const struct containers *c);

void containers_free(struct containers *c);

#endif
