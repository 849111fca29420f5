/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The maps: one bpf(BPF_MAP_CREATE) per struct tt_map_def in the object's
 * "maps" section, shaped for the running kernel and the plan.
 */
#ifndef TT_LOAD_MAPS_H
#define TT_LOAD_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "bpf_map_def.h"
#include "common/err.h"
#include "load/elf.h"

#define MAX_MAPS 32

struct bpf_maps {
	int section;			/* index of the "maps" section */
	unsigned int count;
	int fds[MAX_MAPS];
	char names[MAX_MAPS][32];
};

/* What the running kernel and the plan allow for the maps' memory. */
struct map_policy {
	unsigned int possible_cpus;	/* perf arrays get one slot each */
	/* Programs on tracepoints and kprobes may allocate hash entries at
	 * run time: Linux 6.1+ (bpf_mem_alloc). Before, the verifier warns
	 * (a kernel WARN splat, 5.7-6.0) or refuses (PREEMPT_RT). */
	int runtime_alloc;
	/* No tcp_destroy_sock: a socket's entries could outlive it. */
	int entries_may_leak;
	/* The ring buffer's size in bytes, or 0 where the kernel has none
	 * (before 5.8): then the ring map is a one-slot placeholder array. */
	uint32_t ring_bytes;
	/* Maps no live code uses: one-slot placeholders. */
	const char *const *unused;
	unsigned int nunused;
};

/* The definition to create for a declared one on this kernel: the
 * loader-only flag is dropped, BPF_F_NO_PREALLOC kept only where
 * allowed, TT_MAP_F_LRU_FALLBACK maps turned into preallocated LRU
 * hashes where they cannot be allocated on use or could leak. */
struct tt_map_def map_def_for_kernel(const struct tt_map_def *declared,
				     const struct map_policy *policy);
/* The same for the map called name, which may be one of the unused. */
struct tt_map_def map_def_for_plan(const struct tt_map_def *declared,
				   const char *name,
				   const struct map_policy *policy);

/* Map i of the maps section (whose size the caller checked): its
 * declaration in this CPU's byte order into def, and its name, or NULL
 * where no symbol names it. */
const char *map_declared(const struct elf_object *obj, int section,
			 size_t i, struct tt_map_def *def);

/* Create every map. 0 ok, -1 with err. */
int maps_create(const struct elf_object *obj, const struct map_policy *policy,
		struct bpf_maps *maps, struct tt_err *err);
void maps_close(struct bpf_maps *maps);
/* The fd of the map called name, or -1. */
int maps_fd(const struct bpf_maps *maps, const char *name);

#endif
