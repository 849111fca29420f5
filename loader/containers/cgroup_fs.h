/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From a cgroup v2 id (what bpf_get_current_cgroup_id() returns: the
 * kernfs inode number of the cgroup's directory) to its path, by looking
 * at the cgroup2 mount: on a pure v2 host /sys/fs/cgroup, on a hybrid
 * one /sys/fs/cgroup/unified. A host with no cgroup2 mount at all keeps
 * every task in the v2 root: its containers cannot be told by cgroup id.
 */
#ifndef CGROUP_FS_H
#define CGROUP_FS_H

#include <stddef.h>
#include <stdint.h>

/* The first cgroup2 mount point in a mountinfo file (normally
 * /proc/self/mountinfo): 1 and out filled; 0 if there is none (one
 * longer than outlen or with an escaped character is skipped); -1 if
 * the file cannot be read. */
int cgroup2_mount_point(const char *mountinfo, char *out, size_t outlen);

/* The path below mount ("/docker/<id>", "/" for the root) of the
 * cgroup directory whose inode is id. Before 5.5 the id also carried a
 * generation in its upper 32 bits: the inode is the lower half. 1, or
 * 0 if no directory has that id (removed, never in this mount, or its
 * path does not fit in pathlen), -1 if the mount cannot be opened. */
int cgroup2_path_of_id(const char *mount, uint64_t id, char *path,
		       size_t pathlen);

#define CGROUP2_PATH_MAX 1024

/* fn for every cgroup directory of the mount (its inode as the id, its
 * path), the root first; deeper than 32 levels or longer paths are not
 * visited. */
void cgroup2_for_each(const char *mount,
		      void (*fn)(void *arg, uint64_t id, const char *path),
		      void *arg);

#endif
