// SPDX-License-Identifier: GPL-2.0-only
/* Map creation (see maps.h). */
#include "load/maps.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpf_map_def.h"
#include "common/err.h"
#include "kernel/bpf_syscall.h"

/* The name of the map symbol defined at offset off of the maps section. */
static const char *map_name(const struct elf_object *obj, int section,
			    uint64_t off)
{
	for (unsigned int i = 0; i < obj->nsymbols; i++) {
		const char *name;
		Elf64_Sym sym;

		if (elf_symbol(obj, i, &sym, &name))
			continue;
		if (sym.st_shndx == section && sym.st_value == off &&
		    ELF64_ST_TYPE(sym.st_info) == STT_OBJECT)
			return name;
	}
	return NULL;
}

const char *map_declared(const struct elf_object *obj, int section,
			 size_t i, struct tt_map_def *def)
{
	struct tt_map_def stored;

	/* copied: the section need not be aligned */
	memcpy(&stored, obj->sections[section].data + i * sizeof(stored),
	       sizeof(stored));
	*def = (struct tt_map_def){
		.type = elf_u32(obj, stored.type),
		.key_size = elf_u32(obj, stored.key_size),
		.value_size = elf_u32(obj, stored.value_size),
		.max_entries = elf_u32(obj, stored.max_entries),
		.map_flags = elf_u32(obj, stored.map_flags),
	};
	return map_name(obj, section, i * sizeof(*def));
}

/* What stands for a map no live code uses: the programs' references to
 * it in dead code still need a map fd. */
static const struct tt_map_def placeholder_def = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
	.max_entries = 1,
};

struct tt_map_def map_def_for_plan(const struct tt_map_def *declared,
				   const char *name,
				   const struct map_policy *policy)
{
	for (unsigned int i = 0; i < policy->nunused; i++)
		if (!strcmp(policy->unused[i], name))
			return placeholder_def;
	return map_def_for_kernel(declared, policy);
}

struct tt_map_def map_def_for_kernel(const struct tt_map_def *declared,
				     const struct map_policy *policy)
{
	struct tt_map_def def = *declared;
	int on_use = def.map_flags & BPF_F_NO_PREALLOC;

	def.map_flags &= ~TT_MAP_F_LRU_FALLBACK;
	if (def.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && def.max_entries == 0)
		def.max_entries = policy->possible_cpus;
	if (def.type == BPF_MAP_TYPE_RINGBUF) {
		/* Unused where there is no ring buffer. */
		if (!policy->ring_bytes)
			return placeholder_def;
		def.max_entries = policy->ring_bytes;
	}
	if (!on_use || def.type != BPF_MAP_TYPE_HASH)
		return def;
	if (!policy->runtime_alloc)
		def.map_flags &= ~BPF_F_NO_PREALLOC;
	if ((declared->map_flags & TT_MAP_F_LRU_FALLBACK) &&
	    (!policy->runtime_alloc || policy->entries_may_leak)) {
		def.type = BPF_MAP_TYPE_LRU_HASH;
		def.map_flags &= ~BPF_F_NO_PREALLOC;
	}
	return def;
}

static int create_one(const struct tt_map_def *declared, const char *name,
		      const struct map_policy *policy, struct tt_err *err)
{
	struct tt_map_def def = map_def_for_plan(declared, name, policy);
	int fd;

	fd = bpf_map_create(def.type, name, def.key_size, def.value_size,
			    def.max_entries, def.map_flags);
	if (fd < 0)
		tt_fail(err, "cannot create map %s: %s", name,
			strerror(errno));
	return fd;
}

int maps_create(const struct elf_object *obj, const struct map_policy *policy,
		struct bpf_maps *maps, struct tt_err *err)
{
	const struct elf_section *sec;
	size_t count;

	memset(maps, 0, sizeof(*maps));
	maps->section = elf_find_section(obj, TT_MAPS_SECTION);
	if (maps->section < 0)
		return 0;
	sec = &obj->sections[maps->section];
	count = sec->size / sizeof(struct tt_map_def);
	if (!sec->data || sec->size % sizeof(struct tt_map_def) ||
	    count > MAX_MAPS) {
		return tt_fail(err, "malformed BPF object: bad maps section");
	}
	for (size_t i = 0; i < count; i++) {
		struct tt_map_def def;
		const char *name;

		name = map_declared(obj, maps->section, i, &def);
		if (!name) {
			return tt_fail(err, "malformed BPF object: map %zu "
				       "has no name", i);
		}
		snprintf(maps->names[i], sizeof(maps->names[i]), "%s", name);
		maps->fds[i] = create_one(&def, name, policy, err);
		if (maps->fds[i] < 0)
			return -1;
		maps->count = (unsigned int)i + 1;
	}
	return 0;
}

void maps_close(struct bpf_maps *maps)
{
	for (unsigned int i = 0; i < maps->count; i++)
		if (maps->fds[i] >= 0)
			close(maps->fds[i]);
	maps->count = 0;
}

int maps_fd(const struct bpf_maps *maps, const char *name)
{
	for (unsigned int i = 0; i < maps->count; i++)
		if (!strcmp(maps->names[i], name))
			return maps->fds[i];
	return -1;
}
