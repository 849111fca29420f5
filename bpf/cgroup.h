/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * New cgroups, for naming containers: a container's cgroup is created
 * (by runc) before any of its tasks runs, so telling user space at
 * cgroup_mkdir lets it read the runtime's state and name the container
 * while that state surely exists, even for a container that lives as
 * long as one wget.
 */
#ifndef TT_CGROUP_H
#define TT_CGROUP_H

#include "emit.h"
#include "kconst.h"
#include "maps.h"
#include "tp_record.h"

/* The cgroup v2 hierarchy is hierarchy 0 ("0::" in /proc/PID/cgroup). */
#define CGROUP2_HIERARCHY 0

/* cgroup:cgroup_mkdir: its path kept, and user space told at once. */
static __always_inline void cgroup_created(void *ctx)
{
	const char *record = ctx;
	__s32 root = (__s32)TP_LOAD(u32, ctx, cgm_root, 0);
	struct tt_cgroup_path path;
	struct tt_event note;
	__u32 path_loc;
	__u64 id;

	if (root != CGROUP2_HIERARCHY)
		return;	/* a v1 hierarchy: ids are not cgroup v2 ids */
	id = TP_LOAD(u64, ctx, cgm_id, 0);
	path_loc = (__u32)TP_LOAD(u32, ctx, cgm_path, 0);
	/* __data_loc: offset of the string in the record (low 16 bits);
	 * a variable offset, so it is copied with a helper. */
	if (bpf_probe_read_str(path.path, sizeof(path.path),
			       record + (path_loc & 0xffff)) <= 0)
		return;
	bpf_map_update_elem(&new_cgroups, &id, &path, BPF_ANY);

	__builtin_memset(&note, 0, sizeof(note));
	note.type = TT_RECORD_CGROUP_MKDIR;
	note.cgroup_id = id;
	note.known = TT_KNOWN_CGROUP;
	note.timestamp_ns = bpf_ktime_get_ns();
	/* If the ring is full the path still waits in new_cgroups. A
	 * notice wakes the reader at once: the container is named while
	 * its runtime's state surely exists. */
	output(ctx, &notices, &note, BPF_RB_FORCE_WAKEUP);
}

#endif
