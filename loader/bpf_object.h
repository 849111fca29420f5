/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Map and program creation from the parsed object:
 *   maps.c      one bpf(BPF_MAP_CREATE) per struct tt_map_def in "maps"
 *   programs.c  relocate a program section and bpf(BPF_PROG_LOAD) it
 */
#ifndef BPF_OBJECT_H
#define BPF_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "elf_reader.h"
#include "kconst.h"

#define MAX_MAPS 32

struct bpf_maps {
	int section;			/* index of the "maps" section */
	unsigned int count;
	int fds[MAX_MAPS];
	char names[MAX_MAPS][32];
};

/* Create every map; a map with max_entries 0 (the perf event array)
 * gets one slot per possible CPU. 0 ok, -1 with err. */
int maps_create(const struct elf_object *obj, unsigned int possible_cpus,
		struct bpf_maps *maps, char *err, size_t errlen);
void maps_close(struct bpf_maps *maps);
/* The fd of the map called name, or -1. */
int maps_fd(const struct bpf_maps *maps, const char *name);

/* Relocate and load the program in section `section`. The fd, or -1 with
 * err; a verifier rejection also prints the verifier's log on stderr. */
int program_load(const struct elf_object *obj, const char *section,
		 const struct bpf_maps *maps, struct kconst_table *kt,
		 uint32_t kern_version, char *err, size_t errlen);

#endif
