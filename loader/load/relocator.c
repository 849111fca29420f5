// SPDX-License-Identifier: GPL-2.0-only
/* The relocator (see relocator.h). */
#include "load/relocator.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_map_def.h"

#define R_BPF_64_64 1
#define R_BPF_64_32 10	/* a call to a function of another object */
#define KFUNC_PREFIX "tt_k_kfunc_"
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define CONST_PREFIX "tt_k_"
/* the offset of a tracepoint field, for the next load */
#define FIELD_PREFIX "tt_f_"
/* the offset of a BTF member, for the next load */
#define MEMBER_PREFIX "tt_m_"
#define PREFIX_LEN 5		/* both */

static int patch_map(struct bpf_insn *insn, const Elf64_Sym *sym,
		     const char *name, const struct reloc_context *ctx,
		     struct tt_err *err)
{
	uint64_t idx = sym->st_value / sizeof(struct tt_map_def);

	if (sym->st_value % sizeof(struct tt_map_def) || idx >= ctx->nmaps)
		return tt_fail(err, "bad map reference %s", name);
	insn[0].src_reg = BPF_PSEUDO_MAP_FD;
	insn[0].imm = ctx->map_fds[idx];
	insn[1].imm = 0;
	return 0;
}

/* prefix + rest into buf (a constant's name); -1 if it does not fit.
 * Not snprintf: this runs for every reference, and formatting is slow. */
static int join(char *buf, size_t size, const char *prefix, const char *rest)
{
	size_t a = strlen(prefix), b = strlen(rest);

	if (a + b >= size)
		return -1;
	memcpy(buf, prefix, a);
	memcpy(buf + a, rest, b + 1);
	return 0;
}

static int patch_constant(struct bpf_insn *insn, const char *name,
			  const struct reloc_context *ctx, struct tt_err *err)
{
	uint64_t value;

	if (strncmp(name, CONST_PREFIX, strlen(CONST_PREFIX)) ||
	    ctx->constant(ctx->constant_arg, name, &value))
		return tt_fail(err, "unknown constant %s", name);
	insn[0].src_reg = 0;
	insn[0].imm = (int32_t)(uint32_t)value;
	insn[1].imm = (int32_t)(uint32_t)(value >> 32);
	return 0;
}

static int load_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

/*
 * tt_f_<name> (TP_LOAD in bpf/tp_record.h): the ld_imm64 is followed by
 * a load into the same register; the offset of field tt_k_<name> is added
 * to that load's own offset, which must stay aligned to the load's size
 * (the verifier's rule for tracepoint records). A field this kernel lacks
 * (TT_ABSENT) leaves the load as it is: the program reads it only behind
 * a check that the field exists.
 * tt_m_<name> (BTF_READ in bpf/bpf_api.h) is the same for a load
 * through a pointer the verifier knows the BTF type of; such a load may be
 * unaligned (x86 has no alignment rule for it), so only its range is
 * checked.
 */
static int patch_field(struct bpf_insn *insn, size_t room, const char *name,
		       const struct reloc_context *ctx, struct tt_err *err)
{
	int member = !strncmp(name, MEMBER_PREFIX, PREFIX_LEN);
	char constant[96];
	struct bpf_insn *load = &insn[2];
	uint64_t value;
	int64_t off;

	if (join(constant, sizeof(constant), CONST_PREFIX, name + PREFIX_LEN) ||
	    ctx->constant(ctx->constant_arg, constant, &value))
		return tt_fail(err, "unknown constant %s%s", CONST_PREFIX,
			       name + PREFIX_LEN);
	if (room < 3 || BPF_CLASS(load->code) != BPF_LDX ||
	    BPF_MODE(load->code) != BPF_MEM || load->dst_reg != insn->dst_reg)
		return tt_fail(err, "field %s is not followed by its load",
			       name);
	/* The ld_imm64 itself stays a harmless constant load. */
	insn[0].src_reg = 0;
	insn[0].imm = (int32_t)(uint32_t)value;
	insn[1].imm = (int32_t)(uint32_t)(value >> 32);
	if (value == TT_FIELD_ABSENT)
		return 0;
	off = (int64_t)value + load->off;
	if (value > INT16_MAX || off < 0 || off > INT16_MAX ||
	    (!member && off % load_size(load->code)))
		return tt_fail(err, "field %s at offset %llu cannot be "
			       "loaded %d bytes at a time", constant,
			       (unsigned long long)value,
			       load_size(load->code));
	load->off = (int16_t)off;
	return 0;
}

/*
 * A call to an undefined function (AS_BTF's bpf_rdonly_cast): a kfunc
 * call to the kernel function whose BTF id is tt_k_kfunc_<name>; where
 * the loader found none (0), a move of the argument to r0, which keeps
 * the program valid in code that then never runs (AS_BTF is used only
 * behind tt_k_btf_reads).
 */
static int patch_kfunc(struct bpf_insn *insn, const char *name,
		       const struct reloc_context *ctx, struct tt_err *err)
{
	char constant[96];
	uint64_t id;

	if (insn->code != (BPF_JMP | BPF_CALL) ||
	    insn->src_reg != BPF_PSEUDO_CALL)
		return tt_fail(err, "call relocation against %s not on "
			       "a call", name);
	if (join(constant, sizeof(constant), KFUNC_PREFIX, name) ||
	    ctx->constant(ctx->constant_arg, constant, &id) || id > INT32_MAX)
		return tt_fail(err, "unknown kernel function %s", name);
	if (!id) {
		*insn = (struct bpf_insn){
			.code = BPF_ALU64 | BPF_MOV | BPF_X,
			.dst_reg = BPF_REG_0, .src_reg = BPF_REG_1,
		};
		return 0;
	}
	insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
	insn->off = 0;	/* vmlinux BTF */
	insn->imm = (int32_t)id;
	return 0;
}

static int apply_one(struct bpf_insn *insns, size_t ninsns,
		     const Elf64_Rel *rel, const struct elf_object *obj,
		     const struct reloc_context *ctx, struct tt_err *err)
{
	uint64_t at = rel->r_offset / sizeof(struct bpf_insn);
	const char *name;
	Elf64_Sym sym;

	if (ELF64_R_TYPE(rel->r_info) == R_BPF_64_32) {
		if (rel->r_offset % sizeof(struct bpf_insn) || at >= ninsns)
			return tt_fail(err, "call relocation out of range");
		if (elf_symbol(obj, ELF64_R_SYM(rel->r_info), &sym, &name))
			return tt_fail(err, "relocation symbol out of range");
		if (sym.st_shndx != SHN_UNDEF)
			return tt_fail(err, "unsupported call to %s", name);
		return patch_kfunc(&insns[at], name, ctx, err);
	}
	if (ELF64_R_TYPE(rel->r_info) != R_BPF_64_64)
		return tt_fail(err, "unsupported relocation type %u",
			       (unsigned int)ELF64_R_TYPE(rel->r_info));
	if (rel->r_offset % sizeof(struct bpf_insn) || at + 1 >= ninsns ||
	    insns[at].code != LD_IMM64)
		return tt_fail(err, "relocation not on an ld_imm64");
	if (elf_symbol(obj, ELF64_R_SYM(rel->r_info), &sym, &name))
		return tt_fail(err, "relocation symbol out of range");
	if (sym.st_shndx == ctx->maps_section && ctx->maps_section > 0)
		return patch_map(&insns[at], &sym, name, ctx, err);
	if (sym.st_shndx == SHN_UNDEF &&
	    (!strncmp(name, FIELD_PREFIX, PREFIX_LEN) ||
	     !strncmp(name, MEMBER_PREFIX, PREFIX_LEN)))
		return patch_field(&insns[at], ninsns - at, name, ctx, err);
	if (sym.st_shndx == SHN_UNDEF)
		return patch_constant(&insns[at], name, ctx, err);
	return tt_fail(err, "unsupported relocation against %s", name);
}

static void use_plain_probe_read(struct bpf_insn *insns, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) &&
		    insns[i].src_reg == 0 &&
		    (insns[i].imm == BPF_FUNC_probe_read_kernel ||
		     insns[i].imm == BPF_FUNC_probe_read_user))
			insns[i].imm = BPF_FUNC_probe_read;
}

/*
 * Instructions between the object's byte order and this CPU's (either
 * way): off and imm are stored in the object's order, and the registers'
 * byte holds dst_reg in its low nibble in a little-endian object, in its
 * high nibble in a big-endian one, as the bitfields of struct bpf_insn
 * fall on a CPU of each order.
 */
static void swap_insns(struct bpf_insn *insns, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct bpf_insn *insn = &insns[i];
		uint8_t dst = insn->dst_reg;

		insn->dst_reg = insn->src_reg;
		insn->src_reg = dst;
		insn->off = (int16_t)__builtin_bswap16((uint16_t)insn->off);
		insn->imm = (int32_t)__builtin_bswap32((uint32_t)insn->imm);
	}
}

static int apply_all(struct bpf_insn *insns, size_t count,
		     const struct elf_object *obj, unsigned int prog_section,
		     const struct reloc_context *ctx, struct tt_err *err)
{
	int rel_idx = elf_find_relocations(obj, prog_section);
	const struct elf_section *rels;

	if (rel_idx < 0)
		return 0;
	rels = &obj->sections[rel_idx];
	if (!rels->data || rels->size % sizeof(Elf64_Rel))
		return tt_fail(err, "bad relocation section");
	for (size_t i = 0; i < rels->size / sizeof(Elf64_Rel); i++) {
		Elf64_Rel rel = elf_relocation(obj, rels, i);

		if (apply_one(insns, count, &rel, obj, ctx, err))
			return -1;
	}
	return 0;
}

int relocate_program(const struct elf_object *obj, unsigned int prog_section,
		     const struct reloc_context *ctx, struct bpf_insn **insns,
		     size_t *ninsns, struct tt_err *err)
{
	const struct elf_section *prog;
	struct bpf_insn *copy;
	size_t count;

	if (prog_section >= obj->nsections)
		return tt_fail(err, "no such program section");
	prog = &obj->sections[prog_section];
	if (!prog->data || !prog->size ||
	    prog->size % sizeof(struct bpf_insn))
		return tt_fail(err, "program %s has a bad size", prog->name);
	count = prog->size / sizeof(struct bpf_insn);
	copy = malloc(prog->size);
	if (!copy)
		return tt_fail(err, "out of memory");
	memcpy(copy, prog->data, prog->size);
	/* Patched in this CPU's order, handed back in the object's. */
	if (obj->swapped)
		swap_insns(copy, count);
	if (apply_all(copy, count, obj, prog_section, ctx, err)) {
		free(copy);
		return -1;
	}
	if (!ctx->split_probe_read)
		use_plain_probe_read(copy, count);
	if (obj->swapped)
		swap_insns(copy, count);
	*insns = copy;
	*ninsns = count;
	return 0;
}
