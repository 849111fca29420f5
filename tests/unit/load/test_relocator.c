// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/load/relocator.c: every program of the real object
 * (and of its big-endian twin) is relocated against fake map fds and fake
 * constants, and each patched instruction is checked against its
 * relocation entry; crafted copies of the object exercise every error
 * path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_map_def.h"
#include "kconst_names.h"
#include "load/elf.h"
#include "load/relocator.h"
#include "objects.h"
#include "unit.h"

#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define FIRST_FD 100
#define MAX_MAPS 64
/* Constant number i resolves to CONST_HIGH:CONST_LOW|i, so both halves
 * of the ld_imm64 are checked and neither is 0; a constant that is also
 * the offset of a tracepoint field (tt_f_*) resolves to FIELD_STEP*(i+1),
 * a small aligned offset. */
#define CONST_HIGH 0x11223344u
#define CONST_LOW 0x55660000u
#define FIELD_STEP 8
#define FIELD_PREFIX "tt_f_"	/* a tracepoint field */
#define MEMBER_PREFIX "tt_m_"	/* a BTF member: any alignment */
#define KFUNC_PREFIX "tt_k_kfunc_"	/* a kernel function's BTF id */
#define KFUNC_ID 4242
#define R_BPF_64_32 10

static const char *const kconst_names[] = {
#define KCONST_STRING(name) #name,
	TT_KCONST_LIST(KCONST_STRING)
#undef KCONST_STRING
};
#define NKCONST (sizeof(kconst_names) / sizeof(kconst_names[0]))

static struct tt_err err;
/* The object the fixtures copy: the native one unless a test switches
 * to the twin (then the tests only read it: crafted copies are native). */
static struct test_object under_test;
static int map_fds[MAX_MAPS];
/* referenced as tt_f_ or tt_m_ by the object */
static unsigned char is_field[NKCONST];
/* when nonzero, every field's offset */
static uint64_t odd_field_value;
/* of those, referenced as tt_m_ */
static unsigned char is_member[NKCONST];
/* when nonzero, every member's offset */
static uint64_t odd_member_value;
/* what every tt_k_kfunc_ constant resolves to */
static uint64_t kfunc_id = KFUNC_ID;

static int kconst_index(const char *name)
{
	for (size_t i = 0; i < NKCONST; i++)
		if (!strcmp(kconst_names[i], name))
			return (int)i;
	return -1;
}

static uint64_t fake_value(int i)
{
	if (!strncmp(kconst_names[i], KFUNC_PREFIX, strlen(KFUNC_PREFIX)))
		return kfunc_id;
	if (is_member[i] && odd_member_value)
		return odd_member_value;
	if (is_field[i])
		return odd_field_value ? odd_field_value
				       : FIELD_STEP * (uint64_t)(i + 1);
	return (uint64_t)CONST_HIGH << 32 | (CONST_LOW | (uint32_t)i);
}

/* The resolver: every known name but the one in arg (if any). */
static int fake_constant(void *arg, const char *name, uint64_t *value)
{
	const char *reject = arg;
	int i = kconst_index(name);

	if (i < 0 || (reject && !strcmp(name, reject)))
		return -1;
	*value = fake_value(i);
	return 0;
}

/* fake_constant, noting any name outside the tt_k_ namespace. */
static int asked_outside;
static int strict_constant(void *arg, const char *name, uint64_t *value)
{
	if (strncmp(name, "tt_k_", 5))
		asked_outside = 1;
	return fake_constant(arg, name, value);
}

/* The constant a tt_f_ or tt_m_ symbol names, as a kconst index, or -1. */
static int field_index(const char *name)
{
	char constant[96];

	if (strncmp(name, FIELD_PREFIX, strlen(FIELD_PREFIX)) &&
	    strncmp(name, MEMBER_PREFIX, strlen(MEMBER_PREFIX)))
		return -1;
	snprintf(constant, sizeof(constant), "tt_k_%s",
		 name + strlen(FIELD_PREFIX));
	return kconst_index(constant);
}

static void mark_fields(const struct elf_object *obj)
{
	memset(is_field, 0, sizeof(is_field));
	memset(is_member, 0, sizeof(is_member));
	for (unsigned int i = 0; i < obj->nsymbols; i++) {
		const char *name;
		Elf64_Sym sym;
		int k;

		if (elf_symbol(obj, i, &sym, &name) == 0 &&
		    (k = field_index(name)) >= 0) {
			is_field[k] = 1;
			is_member[k] = !strncmp(name, MEMBER_PREFIX,
						strlen(MEMBER_PREFIX));
		}
	}
}

/* An object over a private heap copy of the embedded one, which tests
 * may corrupt in place (obj views the same bytes). */
struct fixture {
	uint8_t *img;
	size_t size;
	struct elf_object obj;
	struct reloc_context ctx;
};

static int fixture_open(struct fixture *f)
{
	f->size = under_test.size;
	f->img = malloc(f->size);
	memcpy(f->img, under_test.image, f->size);
	for (int i = 0; i < MAX_MAPS; i++)
		map_fds[i] = FIRST_FD + i;
	if (elf_open(&f->obj, f->img, f->size, &err)) {
		fprintf(stderr, "  elf_open: %s\n", err.msg);
		unit_failed_checks++;
		free(f->img);
		return -1;
	}
	mark_fields(&f->obj);
	odd_field_value = odd_member_value = 0;
	kfunc_id = KFUNC_ID;
	memset(&f->ctx, 0, sizeof(f->ctx));
	f->ctx.maps_section = elf_find_section(&f->obj, TT_MAPS_SECTION);
	f->ctx.map_fds = map_fds;
	f->ctx.nmaps =
		(unsigned int)(f->obj.sections[f->ctx.maps_section].size /
			       sizeof(struct tt_map_def));
	f->ctx.constant = fake_constant;
	return 0;
}

static void fixture_close(struct fixture *f)
{
	elf_close(&f->obj);
	free(f->img);
}

/* The bytes of our copy that p, a pointer into f->obj, views. */
static void *writable(struct fixture *f, const void *p)
{
	return f->img + ((const uint8_t *)p - f->img);
}

static int is_program(const struct elf_section *sec)
{
	return !strncmp(sec->name, "tracepoint/", 11) ||
	       !strncmp(sec->name, "kprobe/", 7);
}

/* The relocations of section prog, writable; *n of them. */
static Elf64_Rel *relocations_of(struct fixture *f, int prog, size_t *n)
{
	int idx = elf_find_relocations(&f->obj, (unsigned int)prog);
	const struct elf_section *rels;

	*n = 0;
	if (idx < 0)
		return NULL;
	rels = &f->obj.sections[idx];
	*n = rels->size / sizeof(Elf64_Rel);
	return writable(f, rels->data);
}

/* Check the instruction(s) one relocation patched; 1 if right. */
static int check_patched(const struct fixture *f, const Elf64_Rel *rel,
			 const struct bpf_insn *insns,
			 const struct bpf_insn *orig, size_t n)
{
	size_t at = rel->r_offset / sizeof(struct bpf_insn);
	const char *name;
	Elf64_Sym sym;
	int field;

	if (ELF64_R_TYPE(rel->r_info) == R_BPF_64_32)	/* a kfunc call */
		return at < n && insns[at].code == (BPF_JMP | BPF_CALL) &&
		       insns[at].src_reg == BPF_PSEUDO_KFUNC_CALL &&
		       insns[at].off == 0 && insns[at].imm == KFUNC_ID;
	if (at + 1 >= n || insns[at].code != LD_IMM64 ||
	    elf_symbol(&f->obj, ELF64_R_SYM(rel->r_info), &sym, &name))
		return 0;
	field = field_index(name);
	if (field >= 0)	/* the offset went into the load that follows */
		return at + 2 < n && BPF_CLASS(insns[at + 2].code) == BPF_LDX &&
		       insns[at + 2].dst_reg == insns[at].dst_reg &&
		       insns[at + 2].off ==
			       orig[at + 2].off + (int)fake_value(field) &&
		       (uint32_t)insns[at].imm == (uint32_t)fake_value(field);
	if (sym.st_shndx == f->ctx.maps_section)
		return insns[at].src_reg == BPF_PSEUDO_MAP_FD &&
		       insns[at].imm == FIRST_FD + (int32_t)(sym.st_value /
						   sizeof(struct tt_map_def)) &&
		       insns[at + 1].imm == 0;
	if (kconst_index(name) < 0)
		return 0;
	return insns[at].src_reg == 0 &&
	       (uint32_t)insns[at].imm ==
		       (uint32_t)fake_value(kconst_index(name)) &&
	       (uint32_t)insns[at + 1].imm ==
		       (uint32_t)(fake_value(kconst_index(name)) >> 32);
}

/* Relocate program prog into *n instructions decoded from the
 * object's byte order (free() them); NULL with err on failure. */
static struct bpf_insn *relocate_decoded(struct fixture *f, int prog,
					 size_t *n)
{
	struct bpf_insn *raw = NULL, *insns;

	if (relocate_program(&f->obj, (unsigned int)prog, &f->ctx, &raw, n,
			     &err))
		return NULL;
	insns = insns_decode(raw, *n, f->obj.big_endian);
	free(raw);
	return insns;
}

/* Relocation i of program prog, in this CPU's byte order. */
static Elf64_Rel relocation(const struct fixture *f, int prog, size_t i)
{
	int idx = elf_find_relocations(&f->obj, (unsigned int)prog);

	return elf_relocation(&f->obj, &f->obj.sections[idx], i);
}

/* Relocate one program and check it; counts what it saw. */
static void check_program(struct fixture *f, int prog, size_t *nmap_relocs,
			  size_t *nconst_relocs)
{
	const struct elf_section *sec = &f->obj.sections[prog];
	size_t count = sec->size / sizeof(struct bpf_insn);
	struct bpf_insn *orig = insns_decode(sec->data, count,
					     f->obj.big_endian);
	struct bpf_insn *insns;
	size_t n = 0, nrels, patched = 0;

	relocations_of(f, prog, &nrels);	/* only their count */
	insns = relocate_decoded(f, prog, &n);
	if (!insns) {
		fprintf(stderr, "  %s: %s\n", sec->name, err.msg);
		unit_failed_checks++;
		free(orig);
		return;
	}
	CHECK(n == count);
	for (size_t i = 0; i < nrels; i++) {
		Elf64_Rel rel = relocation(f, prog, i);
		const char *name;
		Elf64_Sym sym;

		if (!check_patched(f, &rel, insns, orig, n)) {
			size_t at = rel.r_offset / sizeof(struct bpf_insn);

			fprintf(stderr, "  %s: relocation %zu wrong (insn %zu: "
				"%02x %d, next %02x off %d was %d)\n",
				sec->name, i, at, insns[at].code, insns[at].imm,
				at + 2 < n ? insns[at + 2].code : 0,
				at + 2 < n ? insns[at + 2].off : 0,
				at + 2 < n ? orig[at + 2].off : 0);
			unit_failed_checks++;
		}
		if (elf_symbol(&f->obj, ELF64_R_SYM(rel.r_info), &sym, &name))
			continue;
		if (sym.st_shndx == f->ctx.maps_section)
			(*nmap_relocs)++;
		else
			(*nconst_relocs)++;
	}
	/* Exactly the relocated ld_imm64s and calls changed. */
	for (size_t i = 0; i < n; i++)
		if ((insns[i].code == LD_IMM64 ||
		     (orig[i].code == (BPF_JMP | BPF_CALL) &&
		      orig[i].src_reg == BPF_PSEUDO_CALL)) &&
		    memcmp(&insns[i], &orig[i], sizeof(insns[i])))
			patched++;
	CHECK(patched == nrels);
	free(insns);
	free(orig);
}

static void test_relocate_all(void)
{
	struct fixture f;
	size_t nmap = 0, nconst = 0, nprogs = 0;

	if (fixture_open(&f))
		return;
	CHECK(f.ctx.maps_section > 0 && f.ctx.nmaps > 0 &&
	      f.ctx.nmaps <= MAX_MAPS);
	for (unsigned int i = 0; i < f.obj.nsections; i++) {
		if (!is_program(&f.obj.sections[i]))
			continue;
		check_program(&f, (int)i, &nmap, &nconst);
		nprogs++;
	}
	CHECK(nprogs >= 4);
	CHECK(nmap > 0 && nconst > 0);
	fixture_close(&f);
}

/* Calls of helper id in the relocated program. */
static size_t count_calls(const struct bpf_insn *insns, size_t n, int32_t id)
{
	size_t calls = 0;

	for (size_t i = 0; i < n; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) &&
		    insns[i].src_reg == 0 && insns[i].imm == id)
			calls++;
	return calls;
}

/* bpf_probe_read_kernel/_user stay on 5.5+ and become bpf_probe_read
 * before, one for one; nothing else changes. */
static void test_probe_read_helpers(void)
{
	static const char *const progs[] = {
		"tracepoint/sock/inet_sock_set_state",	/* kernel reads */
		"tracepoint/syscalls/sys_exit_connect",	/* and user reads */
	};
	struct fixture f;

	if (fixture_open(&f))
		return;
	for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		int idx = elf_find_section(&f.obj, progs[p]);
		struct bpf_insn *split = NULL, *plain = NULL;
		size_t n1 = 0, n2 = 0, kernel, user;

		CHECK(idx > 0);
		if (idx <= 0)
			continue;
		f.ctx.split_probe_read = 1;
		split = relocate_decoded(&f, idx, &n1);
		f.ctx.split_probe_read = 0;
		plain = relocate_decoded(&f, idx, &n2);
		if (!split || !plain || n1 != n2) {
			unit_failed_checks++;
			free(split);
			free(plain);
			continue;
		}
		kernel = count_calls(split, n1, BPF_FUNC_probe_read_kernel);
		user = count_calls(split, n1, BPF_FUNC_probe_read_user);
		CHECK(kernel > 0);
		CHECK(p == 0 || user > 0);
		CHECK(count_calls(split, n1, BPF_FUNC_probe_read) == 0);
		CHECK(count_calls(plain, n2, BPF_FUNC_probe_read) ==
		      kernel + user);
		CHECK(count_calls(plain, n2, BPF_FUNC_probe_read_kernel) == 0);
		CHECK(count_calls(plain, n2, BPF_FUNC_probe_read_user) == 0);
		for (size_t i = 0; i < n1; i++)
			if (split[i].code != (BPF_JMP | BPF_CALL))
				CHECK(!memcmp(&split[i], &plain[i],
					      sizeof(split[i])));
		free(split);
		free(plain);
	}
	fixture_close(&f);
}

/* Relocate the named program, expecting failure with want in err. */
static int fails_with(struct fixture *f, const char *prog, const char *want)
{
	struct bpf_insn *insns = NULL;
	size_t n = 0;
	int idx = elf_find_section(&f->obj, prog);

	err.msg[0] = 0;
	if (relocate_program(&f->obj, (unsigned int)idx, &f->ctx, &insns, &n,
			     &err) == 0) {
		fprintf(stderr, "  %s relocated (want \"%s\")\n", prog, want);
		free(insns);
		return 0;
	}
	if (insns || !strstr(err.msg, want)) {
		fprintf(stderr, "  %s: err \"%s\" lacks \"%s\"\n", prog,
			err.msg, want);
		return 0;
	}
	return 1;
}

#define PROG "tracepoint/sock/inet_sock_set_state"

static void test_unknown_constant(void)
{
	struct fixture f;

	if (fixture_open(&f))
		return;
	f.ctx.constant_arg = (void *)"tt_k_filter";
	CHECK(fails_with(&f, "kprobe/tcp_close", "tt_k_filter"));
	CHECK(fails_with(&f, PROG, "unknown constant tt_k_filter"));
	fixture_close(&f);
}

enum reloc_kind {
	RELOC_CONST, RELOC_MAP, RELOC_FIELD, RELOC_MEMBER, RELOC_KFUNC
};

/* The first relocation of PROG of this kind. */
static Elf64_Rel *find_relocation(struct fixture *f, enum reloc_kind want)
{
	size_t n;
	Elf64_Rel *rels = relocations_of(f, elf_find_section(&f->obj, PROG),
					 &n);

	for (size_t i = 0; i < n; i++) {
		const char *name;
		Elf64_Sym sym;

		if (elf_symbol(&f->obj, ELF64_R_SYM(rels[i].r_info), &sym,
			       &name))
			continue;
		if (ELF64_R_TYPE(rels[i].r_info) == R_BPF_64_32 ?
			    want == RELOC_KFUNC :
		    sym.st_shndx == f->ctx.maps_section ?
			    want == RELOC_MAP :
		    !strncmp(name, MEMBER_PREFIX, strlen(MEMBER_PREFIX)) ?
			    want == RELOC_MEMBER :
		    field_index(name) >= 0 ?
			    want == RELOC_FIELD :
		    want == RELOC_CONST)
			return &rels[i];
	}
	return NULL;
}

/* Index of the first instruction of PROG that is not an ld_imm64. */
static uint64_t first_plain_insn(struct fixture *f)
{
	const struct elf_section *sec =
		&f->obj.sections[elf_find_section(&f->obj, PROG)];
	const struct bpf_insn *insns = (const struct bpf_insn *)sec->data;

	for (uint64_t i = 0;; i++)
		if (insns[i].code != LD_IMM64)
			return i;
}

static void test_bad_offsets(void)
{
	struct fixture f;
	Elf64_Rel *rel, saved;
	struct bpf_insn *last;
	uint64_t prog_size;
	uint8_t last_code;
	int prog;

	if (fixture_open(&f))
		return;
	rel = find_relocation(&f, RELOC_MAP);
	saved = *rel;
	prog = elf_find_section(&f.obj, PROG);
	prog_size = f.obj.sections[prog].size;

	rel->r_offset = first_plain_insn(&f) * sizeof(struct bpf_insn);
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	rel->r_offset = prog_size;
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	/* An ld_imm64 opcode in the last slot, without its second half. */
	last = (struct bpf_insn *)writable(&f, f.obj.sections[prog].data +
					   prog_size) - 1;
	last_code = last->code;
	last->code = LD_IMM64;
	rel->r_offset = prog_size - sizeof(struct bpf_insn);
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	last->code = last_code;
	rel->r_offset = ~0ULL & ~7ULL;
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	rel->r_offset = saved.r_offset + 1;
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	rel->r_offset = saved.r_offset + 4;
	CHECK(fails_with(&f, PROG, "not on an ld_imm64"));
	*rel = saved;
	fixture_close(&f);
}

static void test_bad_relocations(void)
{
	struct fixture f;
	Elf64_Rel *rel, saved;
	Elf64_Sym *sym;

	if (fixture_open(&f))
		return;
	rel = find_relocation(&f, RELOC_CONST);
	saved = *rel;

	rel->r_info = ELF64_R_INFO(ELF64_R_SYM(saved.r_info), 2);
	CHECK(fails_with(&f, PROG, "unsupported relocation type 2"));
	rel->r_info = ELF64_R_INFO(ELF64_R_SYM(saved.r_info), 0);
	CHECK(fails_with(&f, PROG, "unsupported relocation type 0"));
	rel->r_info = ELF64_R_INFO(f.obj.nsymbols, 1);
	CHECK(fails_with(&f, PROG, "symbol out of range"));
	*rel = saved;

	/* A symbol that is neither a map nor undefined. */
	sym = (Elf64_Sym *)writable(&f, f.obj.symbols) +
	      ELF64_R_SYM(saved.r_info);
	sym->st_shndx = (uint16_t)elf_find_section(&f.obj, PROG);
	CHECK(fails_with(&f, PROG, "unsupported relocation against tt_k_"));
	sym->st_shndx = SHN_UNDEF;

	/* An undefined symbol outside the tt_k_ namespace: the resolver is
	 * never even asked for it. */
	f.ctx.constant = strict_constant;
	asked_outside = 0;
	sym->st_name = 0;	/* "" */
	CHECK(fails_with(&f, PROG, "unknown constant"));
	CHECK(!asked_outside);
	fixture_close(&f);
}

static void test_bad_maps(void)
{
	struct fixture f;
	Elf64_Rel *rel;
	Elf64_Sym *sym;
	uint64_t saved_value;

	if (fixture_open(&f))
		return;
	f.ctx.nmaps = 0;
	CHECK(fails_with(&f, PROG, "bad map reference"));
	f.ctx.nmaps = (unsigned int)(f.obj.sections[f.ctx.maps_section].size /
				     sizeof(struct tt_map_def));

	rel = find_relocation(&f, RELOC_MAP);
	sym = (Elf64_Sym *)writable(&f, f.obj.symbols) +
	      ELF64_R_SYM(rel->r_info);
	saved_value = sym->st_value;
	sym->st_value += 1;		/* not at the start of a map def */
	CHECK(fails_with(&f, PROG, "bad map reference"));
	sym->st_value = (uint64_t)f.ctx.nmaps * sizeof(struct tt_map_def);
	CHECK(fails_with(&f, PROG, "bad map reference"));
	sym->st_value = saved_value;

	/* Without a maps section, a map reference is unsupported. */
	f.ctx.maps_section = -1;
	CHECK(fails_with(&f, PROG, "unsupported relocation against"));
	fixture_close(&f);
}

/* Open the fixture at PROG's first relocation of this kind: 0 with
 * *prog, *rel and *at (its instruction) set, or -1 (checked and closed). */
static int open_at_relocation(struct fixture *f, enum reloc_kind kind,
			      int *prog, Elf64_Rel **rel, size_t *at)
{
	if (fixture_open(f))
		return -1;
	*prog = elf_find_section(&f->obj, PROG);
	*rel = find_relocation(f, kind);
	CHECK(*rel != NULL);
	if (!*rel) {
		fixture_close(f);
		return -1;
	}
	*at = (*rel)->r_offset / sizeof(struct bpf_insn);
	return 0;
}

/* A tracepoint field whose load is missing, or whose offset the load
 * cannot take; a field the kernel lacks leaves the load alone. */
static void test_bad_fields(void)
{
	struct fixture f;
	struct bpf_insn *load, saved, *insns = NULL;
	Elf64_Rel *rel;
	size_t at, n = 0;
	int prog;

	if (open_at_relocation(&f, RELOC_FIELD, &prog, &rel, &at))
		return;
	load = (struct bpf_insn *)writable(&f, f.obj.sections[prog].data) +
	       at + 2;
	saved = *load;
	load->code = BPF_ALU64 | BPF_MOV | BPF_K;
	CHECK(fails_with(&f, PROG, "is not followed by its load"));
	*load = saved;
	load->dst_reg = (uint8_t)((load->dst_reg + 1) % 10);
	CHECK(fails_with(&f, PROG, "is not followed by its load"));
	*load = saved;

	odd_field_value = 3;	/* misaligned for any load wider than a byte */
	CHECK(fails_with(&f, PROG, "cannot be loaded"));
	odd_field_value = 0x8000;	/* beyond a load's 16-bit offset */
	CHECK(fails_with(&f, PROG, "cannot be loaded"));
	odd_field_value = 0xffffffffULL;	/* TT_ABSENT */
	CHECK(relocate_program(&f.obj, (unsigned int)prog, &f.ctx, &insns, &n,
			       &err) == 0);
	if (insns)
		CHECK(insns[at + 2].off == saved.off);
	free(insns);
	fixture_close(&f);
}

/* A BTF member's load may take any offset in its 16 bits. */
static void test_members(void)
{
	struct fixture f;
	struct bpf_insn *insns = NULL, orig;
	Elf64_Rel *rel;
	size_t at, n = 0;
	int prog;

	if (open_at_relocation(&f, RELOC_MEMBER, &prog, &rel, &at))
		return;
	orig = ((const struct bpf_insn *)f.obj.sections[prog].data)[at + 2];
	odd_member_value = 3;	/* misaligned: fine through a BTF pointer */
	CHECK(relocate_program(&f.obj, (unsigned int)prog, &f.ctx, &insns, &n,
			       &err) == 0);
	if (insns)
		CHECK(insns[at + 2].off == orig.off + 3);
	free(insns);
	odd_member_value = 0x8000;	/* beyond a load's 16-bit offset */
	CHECK(fails_with(&f, PROG, "cannot be loaded"));
	fixture_close(&f);
}

/* A kfunc call: its BTF id, or, where the kernel has none (0), a move
 * in place of the call; a call relocation anywhere else is refused. */
static void test_kfunc_calls(void)
{
	struct fixture f;
	struct bpf_insn *insns = NULL, *call, saved;
	Elf64_Rel *rel;
	size_t at, n = 0;
	int prog;

	if (open_at_relocation(&f, RELOC_KFUNC, &prog, &rel, &at))
		return;
	kfunc_id = 0;
	CHECK(relocate_program(&f.obj, (unsigned int)prog, &f.ctx, &insns, &n,
			       &err) == 0);
	if (insns)
		CHECK(insns[at].code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
		      insns[at].dst_reg == BPF_REG_0 &&
		      insns[at].src_reg == BPF_REG_1);
	free(insns);
	kfunc_id = (uint64_t)INT32_MAX + 1;
	CHECK(fails_with(&f, PROG, "unknown kernel function"));
	kfunc_id = KFUNC_ID;
	f.ctx.constant_arg = (void *)"tt_k_kfunc_bpf_rdonly_cast";
	CHECK(fails_with(&f, PROG, "unknown kernel function bpf_rdonly_cast"));
	f.ctx.constant_arg = NULL;
	call = (struct bpf_insn *)writable(&f, f.obj.sections[prog].data) + at;
	saved = *call;
	call->code = BPF_ALU64 | BPF_MOV | BPF_K;
	CHECK(fails_with(&f, PROG, "not on a call"));
	*call = saved;
	rel->r_offset += 1;
	CHECK(fails_with(&f, PROG, "call relocation out of range"));
	fixture_close(&f);
}

static void test_bad_sections(void)
{
	struct fixture f;
	struct bpf_insn *insns = NULL;
	size_t n = 0;
	Elf64_Shdr *rel_shdr;
	int rel_idx;

	if (fixture_open(&f))
		return;
	CHECK(relocate_program(&f.obj, f.obj.nsections, &f.ctx, &insns, &n,
			       &err) == -1 && !insns);
	CHECK(strstr(err.msg, "no such program section") != NULL);
	CHECK(fails_with(&f, "license", "bad size"));	/* 4 bytes */
	CHECK(fails_with(&f, ".text", "bad size"));	/* empty */
	/* SHT_NULL */
	CHECK(relocate_program(&f.obj, 0, &f.ctx, &insns, &n, &err) == -1 &&
	      !insns);

	/* A relocation section whose size is not whole entries. */
	rel_idx = elf_find_relocations(&f.obj,
				       (unsigned int)elf_find_section(&f.obj,
								      PROG));
	rel_shdr = (Elf64_Shdr *)(f.img + ((Elf64_Ehdr *)f.img)->e_shoff) +
		   rel_idx;
	rel_shdr->sh_size -= 1;
	elf_close(&f.obj);
	CHECK(elf_open(&f.obj, f.img, f.size, &err) == 0);
	CHECK(fails_with(&f, PROG, "bad relocation section"));
	fixture_close(&f);
}

/* The same on the big-endian twin: its instructions are patched in its
 * own byte order. */
static void test_twin_relocate_all(void)
{
	under_test = test_object(1);
	test_relocate_all();
	under_test = test_object(0);
}

static void test_twin_probe_read_helpers(void)
{
	under_test = test_object(1);
	test_probe_read_helpers();
	under_test = test_object(0);
}

int main(void)
{
	under_test = test_object(0);
	RUN(test_relocate_all);
	RUN(test_probe_read_helpers);
	RUN(test_twin_relocate_all);
	RUN(test_twin_probe_read_helpers);
	RUN(test_unknown_constant);
	RUN(test_bad_offsets);
	RUN(test_bad_relocations);
	RUN(test_bad_maps);
	RUN(test_bad_fields);
	RUN(test_members);
	RUN(test_kfunc_calls);
	RUN(test_bad_sections);
	UNIT_EXIT();
}
