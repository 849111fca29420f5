// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a BPF object as the loader takes it. The ELF reader
 * indexes it; every map declaration is read as maps_create reads it;
 * every program section is relocated, against fake map fds and every
 * constant known, then pruned of dead code.
 */
#include <stdint.h>
#include <stdlib.h>

#include "bpf_map_def.h"
#include "load/dead_code.h"
#include "load/elf.h"
#include "load/kconst.h"
#include "load/maps.h"
#include "load/programs.h"
#include "load/relocator.h"

#define FIRST_FD 100

static struct kconst_table constants;
static int map_fds[MAX_MAPS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	kconst_init(&constants);
	/* small aligned values: valid field offsets for the tt_f_ loads */
	for (int i = 0; i < KC_COUNT; i++)
		kconst_set(&constants, (enum kconst_id)i, 8 * (uint64_t)(i + 1));
	for (int i = 0; i < MAX_MAPS; i++)
		map_fds[i] = FIRST_FD + i;
	return 0;
}

/* The number of maps, read as maps_create reads them; 0 if none or
 * the section is unusable. */
static unsigned int read_maps(const struct elf_object *obj, int section)
{
	const struct elf_section *sec;
	struct tt_map_def def;
	size_t count;

	if (section < 0)
		return 0;
	sec = &obj->sections[section];
	count = sec->size / sizeof(struct tt_map_def);
	if (!sec->data || sec->size % sizeof(struct tt_map_def) ||
	    count > MAX_MAPS)
		return 0;
	for (size_t i = 0; i < count; i++)
		map_declared(obj, section, i, &def);
	return (unsigned int)count;
}

static void relocate_all(const struct elf_object *obj)
{
	struct reloc_context ctx = {
		.maps_section = elf_find_section(obj, TT_MAPS_SECTION),
		.map_fds = map_fds,
		.constant = kconst_lookup,
		.constant_arg = &constants,
	};
	struct bpf_insn *insns;
	struct tt_err err;
	size_t ninsns;

	ctx.nmaps = read_maps(obj, ctx.maps_section);
	for (unsigned int i = 0; i < obj->nsections; i++) {
		if (program_type(obj->sections[i].name) < 0)
			continue;
		ctx.split_probe_read = i & 1;	/* both kinds of kernel */
		if (relocate_program(obj, i, &ctx, &insns, &ninsns, &err))
			continue;
		dead_code_prune(insns, ninsns);
		free(insns);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_object obj;
	struct tt_err err;
	Elf64_Sym sym;
	const char *name;

	if (elf_open(&obj, data, size, &err))
		return 0;
	for (unsigned int i = 0; i < obj.nsymbols; i++)
		elf_symbol(&obj, i, &sym, &name);
	relocate_all(&obj);
	elf_close(&obj);
	return 0;
}
