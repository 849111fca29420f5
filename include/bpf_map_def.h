/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the BPF object declares its maps: one struct tt_map_def per map in
 * the ELF section "maps". Shared by the BPF side and the loader.
 */
#ifndef BPF_MAP_DEF_H
#define BPF_MAP_DEF_H

#include <linux/types.h>

#define TT_MAPS_SECTION "maps"

struct tt_map_def {
	__u32 type;		/* BPF_MAP_TYPE_* */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;	/* 0 for the perf array: one slot per CPU */
	__u32 map_flags;
};

/*
 * In map_flags, for the loader only (never passed to the kernel): a hash
 * declared BPF_F_NO_PREALLOC that must become a preallocated LRU hash
 * where allocating at run time is not possible or entries could leak
 * (see map_def_for_kernel in loader/load/maps.c).
 */
#define TT_MAP_F_LRU_FALLBACK (1u << 31)

#endif
