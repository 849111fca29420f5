/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relocator: turns one program section of the object into
 * instructions the kernel accepts, by patching its ld_imm64 relocations:
 *   - a reference to a map (a symbol in the "maps" section) becomes
 *     BPF_PSEUDO_MAP_FD with the map's fd;
 *   - a reference to an undefined symbol tt_k_* becomes the constant the
 *     running kernel dictates (see loader/load/kconst.c);
 *   - a reference to tt_f_* puts the offset of a tracepoint field (the
 *     constant tt_k_*) into the load that follows it (TP_LOAD in
 *     bpf/tp_record.h).
 * Any other relocation is an error. Then, on kernels before 5.5, calls
 * of bpf_probe_read_kernel and bpf_probe_read_user become bpf_probe_read.
 */
#ifndef RELOCATOR_H
#define RELOCATOR_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "load/elf.h"

/* The offset of a field the running kernel does not have (TT_ABSENT). */
#define TT_FIELD_ABSENT 0xffffffffULL

struct reloc_context {
	int maps_section;		/* section index of "maps" */
	const int *map_fds;		/* by map index (offset / sizeof def) */
	unsigned int nmaps;
	/* The value of constant `name`; 0 if known, -1 if not. */
	int (*constant)(void *arg, const char *name, uint64_t *value);
	void *constant_arg;
	/* The kernel has bpf_probe_read_kernel and _user (5.5+); else the
	 * programs' calls of them become bpf_probe_read (same arguments). */
	int split_probe_read;
};

/* Copy section prog_section's instructions to a new buffer (*insns,
 * *ninsns; free() it) and apply its relocations, writing them in the
 * object's byte order. 0 ok, -1 with err. */
int relocate_program(const struct elf_object *obj, unsigned int prog_section,
		     const struct reloc_context *ctx, struct bpf_insn **insns,
		     size_t *ninsns, struct tt_err *err);

#endif
