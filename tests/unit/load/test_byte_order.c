// SPDX-License-Identifier: GPL-2.0-only
/*
 * The big-endian twin of the object (objects.h) against the native one,
 * through the loader's ELF reader, map declarations and relocator: the
 * same sections, symbols, maps and relocations, and the same relocated
 * programs once each is decoded from its byte order. Then a loader
 * refuses an object whose byte order is not its CPU's.
 *
 * The compiler may merge constant stores of several small fields into
 * one wider constant, which then holds the same fields in the other
 * order (and may need an ld_imm64 in one object where a mov does in the
 * other). So programs are compared as sequences of operations: each
 * ld_imm64 one operation, jumps by the operation they reach, and a
 * constant by its fields; every other instruction must be identical.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_map_def.h"
#include "kernel/version.h"
#include "load/elf.h"
#include "load/kconst.h"
#include "load/maps.h"
#include "load/programs.h"
#include "load/relocator.h"
#include "objects.h"
#include "unit.h"

#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define FIRST_FD 100
#define MAX_FAKE_MAPS 64

static struct tt_err err;
static struct elf_object native, twin;

static int open_both(void)
{
	struct test_object n = test_object(0), t = test_object(1);

	if (elf_open(&native, n.image, n.size, &err) ||
	    elf_open(&twin, t.image, t.size, &err)) {
		fprintf(stderr, "  elf_open: %s\n", err.msg);
		unit_failed_checks++;
		elf_close(&native);
		return -1;
	}
	return 0;
}

static void close_both(void)
{
	elf_close(&native);
	elf_close(&twin);
}

static int is_program(const struct elf_section *sec)
{
	return !strncmp(sec->name, "tracepoint/", 11) ||
	       !strncmp(sec->name, "kprobe/", 7);
}

static void test_byte_orders(void)
{
	int host_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	if (open_both())
		return;
	CHECK(native.big_endian == host_big && !native.swapped);
	CHECK(twin.big_endian && twin.swapped == !host_big);
	close_both();
}

/* The same sections in the same order; a program's size may differ (see
 * above), string tables and the license are the same bytes. */
static void test_same_sections(void)
{
	if (open_both())
		return;
	CHECK(native.nsections == twin.nsections);
	for (unsigned int i = 0; i < native.nsections && i < twin.nsections;
	     i++) {
		const struct elf_section *a = &native.sections[i];
		const struct elf_section *b = &twin.sections[i];

		CHECK_STR(b->name, a->name);
		CHECK(a->type == b->type && a->link == b->link &&
		      a->info == b->info);
		if (!is_program(a))
			CHECK(a->size == b->size);
		if (a->type == SHT_STRTAB || !strcmp(a->name, "license"))
			CHECK(a->data && b->data && a->size == b->size &&
			      !memcmp(a->data, b->data, a->size));
	}
	close_both();
}

static void test_same_symbols(void)
{
	if (open_both())
		return;
	CHECK(native.nsymbols == twin.nsymbols);
	for (unsigned int i = 0; i < native.nsymbols && i < twin.nsymbols;
	     i++) {
		const char *na, *nb;
		Elf64_Sym a, b;

		CHECK(elf_symbol(&native, i, &a, &na) == 0);
		CHECK(elf_symbol(&twin, i, &b, &nb) == 0);
		CHECK_STR(nb, na);
		CHECK(a.st_info == b.st_info && a.st_other == b.st_other &&
		      a.st_shndx == b.st_shndx && a.st_value == b.st_value);
		/* a program's function spans its section */
		if (ELF64_ST_TYPE(a.st_info) == STT_FUNC &&
		    a.st_shndx < native.nsections)
			CHECK(a.st_size == native.sections[a.st_shndx].size &&
			      b.st_size == twin.sections[b.st_shndx].size);
		else
			CHECK(a.st_size == b.st_size);
	}
	close_both();
}

static void test_same_maps(void)
{
	int sa, sb;
	size_t count;

	if (open_both())
		return;
	sa = elf_find_section(&native, TT_MAPS_SECTION);
	sb = elf_find_section(&twin, TT_MAPS_SECTION);
	CHECK(sa > 0 && sa == sb);
	if (sa <= 0 || sa != sb) {
		close_both();
		return;
	}
	count = native.sections[sa].size / sizeof(struct tt_map_def);
	CHECK(count > 4);
	for (size_t i = 0; i < count; i++) {
		struct tt_map_def a, b;
		const char *na = map_declared(&native, sa, i, &a);
		const char *nb = map_declared(&twin, sb, i, &b);

		CHECK(na && nb && !strcmp(na, nb));
		CHECK(!memcmp(&a, &b, sizeof(a)));
		CHECK(a.type > 0 && a.type < 64);	/* read unswapped */
	}
	close_both();
}

/* The same value for the same name in both objects: a multiple of 8
 * (fields' offsets must be aligned), small (they fit a load's offset). */
static int fake_constant(void *arg, const char *name, uint64_t *value)
{
	uint32_t hash = 2166136261u;

	for (const char *p = name; *p; p++)
		hash = (hash ^ (uint8_t)*p) * 16777619u;
	*value = 8 * (1 + hash % 512);
	return 0;
}

static struct bpf_insn *relocated(const struct elf_object *obj, int prog,
				  int split, size_t *n)
{
	static int fds[MAX_FAKE_MAPS];
	int maps = elf_find_section(obj, TT_MAPS_SECTION);
	struct reloc_context ctx = {
		.maps_section = maps, .map_fds = fds,
		.nmaps = (unsigned int)(obj->sections[maps].size /
					sizeof(struct tt_map_def)),
		.constant = fake_constant, .split_probe_read = split,
	};
	struct bpf_insn *raw = NULL, *insns;

	for (int i = 0; i < MAX_FAKE_MAPS; i++)
		fds[i] = FIRST_FD + i;
	if (relocate_program(obj, (unsigned int)prog, &ctx, &raw, n, &err)) {
		fprintf(stderr, "  %s: %s\n", obj->sections[prog].name,
			err.msg);
		return NULL;
	}
	insns = insns_decode(raw, *n, obj->big_endian);
	free(raw);
	return insns;
}

/* One operation of a program: an instruction, or both halves of an
 * ld_imm64; a constant loaded into a register (ld_imm64 or mov) is
 * kept as its register and value, a jump as the operation it reaches. */
struct op {
	struct bpf_insn insn;	/* code 0 for a constant; jump off 0 */
	uint64_t value;		/* an ld_imm64's, a constant's */
	long target;		/* a jump's */
	int constant;
};

static int is_jump(const struct bpf_insn *insn)
{
	unsigned int class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	return (class == BPF_JMP || class == BPF_JMP32) && op != BPF_CALL &&
	       op != BPF_EXIT;
}

static int is_wide(const struct bpf_insn *insns, size_t n, size_t i)
{
	return insns[i].code == LD_IMM64 && i + 1 < n;
}

/* The operation of each slot of insns, into slot_op; their count. */
static size_t number_ops(const struct bpf_insn *insns, size_t n,
			 size_t *slot_op)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++, k++) {
		slot_op[i] = k;
		if (is_wide(insns, n, i))
			slot_op[++i] = k;
	}
	return k;
}

static void to_ops(const struct bpf_insn *insns, size_t n,
		   const size_t *slot_op, struct op *ops)
{
	for (size_t i = 0, k = 0; i < n; i++, k++) {
		struct op *op = &ops[k];
		uint8_t dst = insns[i].dst_reg;

		*op = (struct op){ .insn = insns[i], .target = -1 };
		if (is_wide(insns, n, i)) {
			op->value = (uint32_t)insns[i].imm |
				    (uint64_t)(uint32_t)insns[i + 1].imm << 32;
			op->constant = insns[i].src_reg == 0;
			i++;
		} else if (insns[i].code == (BPF_ALU64 | BPF_MOV | BPF_K)) {
			op->value = (uint64_t)(int64_t)insns[i].imm;
			op->constant = 1;
		} else if (is_jump(&insns[i])) {
			long to = (long)i + 1 + insns[i].off;

			op->target = to >= 0 && (size_t)to < n
					     ? (long)slot_op[to] : -2;
			op->insn.off = 0;
		}
		if (op->constant)
			op->insn = (struct bpf_insn){ .dst_reg = dst };
	}
}

/* v's low s bytes with the order of their w-byte lanes reversed. */
static uint64_t lanes_reversed(uint64_t v, int s, int w)
{
	uint64_t lane_mask = w == 8 ? ~0ULL : (1ULL << 8 * w) - 1;
	uint64_t out = 0;

	for (int at = 0; at < s; at += w)
		out |= (v >> 8 * at & lane_mask) << 8 * (s - w - at);
	return out;
}

/* Is v an s-byte value, extended with zeros or with ones? */
static int fits(uint64_t v, int s)
{
	uint64_t high = s == 8 ? 0 : v >> 8 * s;

	return high == 0 || high == ~0ULL >> 8 * s;
}

/* Do a (stored little-endian) and b (big-endian) hold the same fields?
 * The same value, or for a store of s bytes of fields of w bytes each,
 * the same lanes in the other order. */
static int same_fields(uint64_t a, uint64_t b)
{
	if (a == b)
		return 1;
	for (int s = 8; s >= 2; s /= 2) {
		uint64_t mask = s == 8 ? ~0ULL : (1ULL << 8 * s) - 1;

		if (!fits(a, s) || !fits(b, s))
			continue;
		for (int w = 1; w < s; w *= 2)
			if (!((lanes_reversed(a, s, w) ^ b) & mask))
				return 1;
	}
	return 0;
}

static int same_op(const struct op *a, const struct op *b)
{
	if (a->constant || b->constant)
		return a->constant && b->constant &&
		       a->insn.dst_reg == b->insn.dst_reg &&
		       same_fields(a->value, b->value);
	return !memcmp(&a->insn, &b->insn, sizeof(a->insn)) &&
	       a->value == b->value && a->target == b->target;
}

/* A program as operations (free() ops and slot_op). */
struct program {
	struct bpf_insn *insns;
	size_t n, nops, *slot_op;
	struct op *ops;
};

static int program_of(const struct elf_object *obj, int prog, int split,
		      struct program *p)
{
	memset(p, 0, sizeof(*p));
	p->insns = relocated(obj, prog, split, &p->n);
	if (!p->insns)
		return -1;
	p->slot_op = calloc(p->n, sizeof(*p->slot_op));
	p->nops = number_ops(p->insns, p->n, p->slot_op);
	p->ops = calloc(p->nops, sizeof(*p->ops));
	to_ops(p->insns, p->n, p->slot_op, p->ops);
	return 0;
}

static void program_free(struct program *p)
{
	free(p->insns);
	free(p->slot_op);
	free(p->ops);
}

/* The same relocations, of the same operations. */
static void compare_relocations(int prog, const struct program *a,
				const struct program *b)
{
	int ra = elf_find_relocations(&native, (unsigned int)prog);
	int rb = elf_find_relocations(&twin, (unsigned int)prog);
	size_t count;

	CHECK(ra == rb);
	if (ra < 0 || ra != rb)
		return;
	count = native.sections[ra].size / sizeof(Elf64_Rel);
	CHECK(twin.sections[rb].size == native.sections[ra].size);
	for (size_t i = 0; i < count; i++) {
		Elf64_Rel x = elf_relocation(&native, &native.sections[ra], i);
		Elf64_Rel y = elf_relocation(&twin, &twin.sections[rb], i);
		size_t sx = x.r_offset / sizeof(struct bpf_insn);
		size_t sy = y.r_offset / sizeof(struct bpf_insn);

		CHECK(x.r_info == y.r_info);
		CHECK(sx < a->n && sy < b->n &&
		      a->slot_op[sx] == b->slot_op[sy]);
	}
}

static void compare_programs(int prog, int split, size_t *merged)
{
	const char *name = native.sections[prog].name;
	struct program a, b;

	if (program_of(&native, prog, split, &a) ||
	    program_of(&twin, prog, split, &b)) {
		unit_failed_checks++;
		program_free(&a);
		return;
	}
	CHECK(a.nops == b.nops);
	for (size_t k = 0; k < a.nops && k < b.nops; k++) {
		if (!same_op(&a.ops[k], &b.ops[k])) {
			fprintf(stderr, "  %s: operation %zu differs (code "
				"%02x/%02x, value %#llx/%#llx)\n", name, k,
				a.ops[k].insn.code, b.ops[k].insn.code,
				(unsigned long long)a.ops[k].value,
				(unsigned long long)b.ops[k].value);
			unit_failed_checks++;
			break;
		}
		if (a.ops[k].constant && a.ops[k].value != b.ops[k].value)
			(*merged)++;
	}
	compare_relocations(prog, &a, &b);
	program_free(&a);
	program_free(&b);
}

static void test_same_programs(void)
{
	size_t programs = 0, merged = 0;

	if (open_both())
		return;
	for (unsigned int i = 0; i < native.nsections; i++) {
		if (!is_program(&native.sections[i]))
			continue;
		compare_programs((int)i, 1, &merged);
		compare_programs((int)i, 0, &merged);
		programs++;
	}
	CHECK(programs >= 4);
	fprintf(stderr, "  %zu programs; %zu merged constants hold their "
		"fields in each byte order\n", programs, merged / 2);
	close_both();
}

/* The lanes test itself, on the merges clang makes. */
static void test_same_fields(void)
{
	CHECK(same_fields(1ULL << 40, 1ULL << 16));	/* a byte */
	CHECK(same_fields(1ULL << 32, 1));		/* two u32s */
	CHECK(same_fields(0x1ffffffffULL, 0xffffffff00000001ULL));
	CHECK(same_fields(0x00010002, 0x00020001));	/* two u16s */
	CHECK(!same_fields(1, 2));
	CHECK(!same_fields(0x0102030405060708ULL, 0x0102030405060807ULL));
}

/* The kernel would misread every instruction: one line, before any is
 * relocated or handed to it. */
static void test_other_order_refused(void)
{
	struct bpf_maps maps = { .section = -1 };
	struct kconst_table kt;

	if (open_both())
		return;
	kconst_init(&kt);
	err.msg[0] = 0;
	CHECK(program_load(&twin, "kprobe/tcp_close", &maps, &kt,
			   KERNEL_VERSION(6, 1, 0), 1, &err) == -1);
	CHECK(strstr(err.msg, "the BPF object is big-endian") != NULL);
	CHECK(strstr(err.msg, "build trace_tcp for this CPU") != NULL);
	CHECK(!strchr(err.msg, '\n'));
	close_both();
}

int main(void)
{
	RUN(test_byte_orders);
	RUN(test_same_sections);
	RUN(test_same_symbols);
	RUN(test_same_maps);
	RUN(test_same_fields);
	RUN(test_same_programs);
	RUN(test_other_order_refused);
	UNIT_EXIT();
}
