// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/load/elf.c: the real embedded object, and its
 * big-endian twin, open and index; truncated, corrupted and crafted
 * objects give an error, never a crash (every image is an exact-size heap
 * copy, so ASan sees overreads).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_map_def.h"
#include "load/elf.h"
#include "load/relocator.h"
#include "objects.h"
#include "unit.h"

#define FUZZ_RUNS 4000
#define FUZZ_SEED 0x7463705f656c66ULL
#define MAX_FAKE_MAPS 64

static struct tt_err err;
/* The object under test (test_object): the native one unless a test
 * switches to the twin. */
static struct test_object pristine;

static size_t object_size(void)
{
	return pristine.size;
}

/* A heap copy of the object with extra bytes of room at the end. */
static uint8_t *object_copy(size_t extra)
{
	uint8_t *img = malloc(object_size() + extra);

	memcpy(img, pristine.image, object_size());
	memset(img + object_size(), 0, extra);
	return img;
}

/* Crafted headers are written in place, so only into the native object. */
static Elf64_Ehdr *ehdr_of(uint8_t *img)
{
	return (Elf64_Ehdr *)img;
}

static Elf64_Shdr *shdr_of(uint8_t *img, unsigned int idx)
{
	return (Elf64_Shdr *)(img + ehdr_of(img)->e_shoff) + idx;
}

/* A field of the pristine object, at offset off of its ELF header or of
 * section header idx, in the object's byte order. */
#define EHDR(field) field_get(pristine.image + offsetof(Elf64_Ehdr, field), \
			      sizeof(((Elf64_Ehdr *)0)->field),             \
			      pristine.big_endian)
#define SHDR(idx, field)                                                    \
	field_get(pristine.image + EHDR(e_shoff) +                          \
			  (idx) * sizeof(Elf64_Shdr) +                      \
			  offsetof(Elf64_Shdr, field),                      \
		  sizeof(((Elf64_Shdr *)0)->field), pristine.big_endian)

/* Index of the first section of this type and with these flags, in the
 * pristine object; 0 if none. */
static unsigned int section_of_type(uint32_t type, uint64_t flags)
{
	for (unsigned int i = 0; i < EHDR(e_shnum); i++)
		if (SHDR(i, sh_type) == type &&
		    (SHDR(i, sh_flags) & flags) == flags && SHDR(i, sh_size))
			return i;
	return 0;
}

/* Does elf_open reject img with an error mentioning want? */
static int open_fails_with(const uint8_t *img, size_t size, const char *want)
{
	struct elf_object obj;

	err.msg[0] = 0;
	if (elf_open(&obj, img, size, &err) == 0) {
		elf_close(&obj);
		fprintf(stderr, "  elf_open accepted a bad image "
			"(want \"%s\")\n", want);
		return 0;
	}
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "  err \"%s\" lacks \"%s\"\n", err.msg, want);
		return 0;
	}
	return 1;
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int any_constant(void *arg, const char *name, uint64_t *value)
{
	*value = 0x1122334455667788ULL;
	return 0;
}

static void test_real_object(void)
{
	static const char *const wanted[] = {
		"maps", "license", "tracepoint/sock/inet_sock_set_state",
		"kprobe/tcp_close",
	};
	const char *name;
	struct elf_object obj;
	Elf64_Sym sym;
	int prog, rel;

	CHECK(elf_open(&obj, pristine.image, object_size(), &err) == 0);
	CHECK(obj.big_endian == pristine.big_endian);
	CHECK(obj.swapped == (pristine.big_endian !=
			      (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)));
	CHECK(obj.nsections > 4 && obj.nsymbols > 0);
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		CHECK(elf_find_section(&obj, wanted[i]) > 0);
	CHECK(elf_find_section(&obj, "no/such/section") == -1);

	prog = elf_find_section(&obj, "tracepoint/sock/inet_sock_set_state");
	rel = elf_find_relocations(&obj, (unsigned int)prog);
	CHECK(rel > 0);
	if (rel > 0) {
		CHECK(obj.sections[rel].type == SHT_REL);
		CHECK(obj.sections[rel].info == (uint32_t)prog);
		CHECK(!strcmp(obj.sections[rel].name,
			      ".reltracepoint/sock/inet_sock_set_state"));
	}
	CHECK(elf_find_relocations(&obj, (unsigned int)elf_find_section(
					  &obj, "license")) == -1);

	CHECK(elf_symbol(&obj, 0, &sym, &name) == 0);
	CHECK(elf_symbol(&obj, obj.nsymbols - 1, &sym, &name) == 0);
	CHECK(elf_symbol(&obj, obj.nsymbols, &sym, &name) == -1);
	CHECK(elf_symbol(&obj, ~0u, &sym, &name) == -1);
	elf_close(&obj);
	CHECK(obj.sections == NULL && obj.nsections == 0);
}

/* Every proper prefix of the object is rejected. */
static void test_truncated(void)
{
	size_t size = object_size();

	/* The test relies on the header table ending the file, as LLVM
	 * writes it: then no prefix holds a complete object. */
	CHECK(EHDR(e_shoff) + EHDR(e_shnum) * sizeof(Elf64_Shdr) == size);
	for (size_t len = 0; len < size; len++) {
		uint8_t *img = malloc(len ? len : 1);
		struct elf_object obj;

		memcpy(img, pristine.image, len);
		err.msg[0] = 0;
		if (elf_open(&obj, img, len, &err) == 0) {
			fprintf(stderr, "  prefix of %zu bytes accepted\n",
				len);
			unit_failed_checks++;
			elf_close(&obj);
		} else if (!err.msg[0]) {
			fprintf(stderr, "  prefix of %zu bytes: no error\n",
				len);
			unit_failed_checks++;
		}
		free(img);
	}
}

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = FUZZ_SEED;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

/* A value likely to hit an edge: 0, tiny, near the image size, huge. */
static uint64_t interesting_value(uint64_t old, size_t size)
{
	switch (rng_below(8)) {
	case 0: return 0;
	case 1: return rng_below(64);
	case 2: return size - rng_below(16);
	case 3: return size + rng_below(16);
	case 4: return old + rng_below(33) - 16;
	case 5: return old ^ (1ULL << rng_below(64));
	case 6: return ~0ULL - rng_below(4);
	default: return rng();
	}
}

/* Overwrite the width-byte field at img+off, in the object's order. */
static void mutate_field(uint8_t *img, size_t size, size_t off, int width)
{
	uint64_t old;

	if (off + width > size)
		return;
	old = field_get(img + off, width, pristine.big_endian);
	field_put(img + off, width, interesting_value(old, size),
		  pristine.big_endian);
}

struct field { unsigned char off, width; };

static const struct field ehdr_fields[] = {
	{ 4, 1 }, { 5, 1 }, { 16, 2 }, { 18, 2 }, { 40, 8 },
	{ 58, 2 }, { 60, 2 }, { 62, 2 },
};
static const struct field shdr_fields[] = {	/* name type flags offset
						   size link info entsize */
	{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 24, 8 }, { 32, 8 }, { 40, 4 },
	{ 44, 4 }, { 56, 8 },
};
static const struct field sym_fields[] = { { 0, 4 }, { 6, 2 }, { 8, 8 } };
/* r_info whole, and its type (the low half of r_info, wherever the
 * byte order puts it) */
static const struct field rel_fields[] = { { 0, 8 }, { 8, 8 }, { 8, 4 } };
static const struct field rel_fields_be[] = { { 0, 8 }, { 8, 8 }, { 12, 4 } };

#define PICK(arr) (&(arr)[rng_below(sizeof(arr) / sizeof((arr)[0]))])

/* A random entry of a table section of the pristine object. */
static size_t table_entry(uint32_t type, size_t entsize)
{
	unsigned int idx;

	do
		idx = (unsigned int)rng_below(EHDR(e_shnum));
	while (SHDR(idx, sh_type) != type);
	return SHDR(idx, sh_offset) +
	       rng_below(SHDR(idx, sh_size) / entsize) * entsize;
}

static void mutate_once(uint8_t *img, size_t size)
{
	const struct field *f;
	size_t base;

	switch (rng_below(6)) {
	case 0:		/* any byte */
		img[rng_below(size)] = (uint8_t)rng();
		return;
	case 1:		/* ELF header */
		f = PICK(ehdr_fields);
		base = 0;
		break;
	case 2: case 3:	/* a section header */
		f = PICK(shdr_fields);
		base = EHDR(e_shoff) +
		       rng_below(EHDR(e_shnum)) * sizeof(Elf64_Shdr);
		break;
	case 4:		/* a symbol */
		f = PICK(sym_fields);
		base = table_entry(SHT_SYMTAB, sizeof(Elf64_Sym));
		break;
	default:	/* a relocation */
		f = pristine.big_endian ? PICK(rel_fields_be)
					: PICK(rel_fields);
		base = table_entry(SHT_REL, sizeof(Elf64_Rel));
		break;
	}
	mutate_field(img, size, base + f->off, f->width);
}

/* Drive every entry point over an object that opened. */
static int exercise(const struct elf_object *obj)
{
	int map_fds[MAX_FAKE_MAPS], maps = elf_find_section(obj, "maps");
	struct reloc_context ctx = {
		.maps_section = maps, .map_fds = map_fds,
		.constant = any_constant,
	};
	const char *name;
	int relocated = 0;
	Elf64_Sym sym;

	for (int i = 0; i < MAX_FAKE_MAPS; i++)
		map_fds[i] = 100 + i;
	if (maps >= 0) {
		uint64_t n = obj->sections[maps].size /
			     sizeof(struct tt_map_def);

		ctx.nmaps = n < MAX_FAKE_MAPS ? (unsigned int)n : MAX_FAKE_MAPS;
	}
	for (unsigned int i = 0; i <= obj->nsymbols; i++)
		if (elf_symbol(obj, i, &sym, &name) == 0)
			CHECK(i < obj->nsymbols && name != NULL);
	for (unsigned int i = 0; i < obj->nsections; i++) {
		const char *sname = obj->sections[i].name;
		int found = elf_find_section(obj, sname);
		struct bpf_insn *insns = NULL;
		size_t n;

		CHECK(found >= 0 && found <= (int)i);
		elf_find_relocations(obj, i);
		if (!starts_with(sname, "tracepoint/") &&
		    !starts_with(sname, "kprobe/"))
			continue;
		if (relocate_program(obj, i, &ctx, &insns, &n, &err) == 0) {
			CHECK(insns != NULL && n > 0);
			free(insns);
			relocated++;
		}
	}
	return relocated;
}

static void test_corrupted(void)
{
	size_t size = object_size();
	int opened = 0, relocated = 0;

	for (int run = 0; run < FUZZ_RUNS; run++) {
		uint8_t *img = object_copy(0);
		int flips = 1 + (int)rng_below(4);
		struct elf_object obj;

		for (int i = 0; i < flips; i++)
			mutate_once(img, size);
		err.msg[0] = 0;
		if (elf_open(&obj, img, size, &err) == 0) {
			opened++;
			relocated += exercise(&obj);
			elf_close(&obj);
		} else {
			CHECK(err.msg[0] != '\0');
		}
		free(img);
	}
	/* The mutations must leave some objects whole enough to go deep. */
	CHECK(opened > FUZZ_RUNS / 10);
	CHECK(relocated > 0);
}

static void test_bad_headers(void)
{
	size_t size = object_size();
	uint8_t *img = object_copy(0);
	Elf64_Ehdr *eh = ehdr_of(img);
	unsigned char data = eh->e_ident[EI_DATA];

	img[1] = 'X';
	CHECK(open_fails_with(img, size, "not an ELF file"));
	img[1] = 'E';

	eh->e_ident[EI_CLASS] = ELFCLASS32;
	CHECK(open_fails_with(img, size, "not a 64-bit ELF"));
	eh->e_ident[EI_CLASS] = ELFCLASS64;

	eh->e_ident[EI_DATA] = ELFDATANONE;
	CHECK(open_fails_with(img, size, "not a 64-bit ELF"));
	eh->e_ident[EI_DATA] = 3;
	CHECK(open_fails_with(img, size, "not a 64-bit ELF"));
	/* The other byte order: then its fields read as nonsense. */
	eh->e_ident[EI_DATA] = data == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
	CHECK(open_fails_with(img, size, "not a relocatable BPF object"));
	eh->e_ident[EI_DATA] = data;

	eh->e_machine = EM_X86_64;
	CHECK(open_fails_with(img, size, "not a relocatable BPF object"));
	eh->e_machine = 247;

	eh->e_type = ET_EXEC;
	CHECK(open_fails_with(img, size, "not a relocatable BPF object"));
	eh->e_type = ET_REL;

	eh->e_shstrndx = eh->e_shnum;
	CHECK(open_fails_with(img, size, "bad section name table index"));
	eh->e_shstrndx = 0xffff;
	CHECK(open_fails_with(img, size, "bad section name table index"));
	eh->e_shstrndx = (Elf64_Half)EHDR(e_shstrndx);

	eh->e_shnum = 0;
	CHECK(open_fails_with(img, size, "section header table"));
	eh->e_shnum = 0xffff;
	CHECK(open_fails_with(img, size, "section header table"));
	eh->e_shnum = (Elf64_Half)EHDR(e_shnum);

	eh->e_shentsize = 40;
	CHECK(open_fails_with(img, size, "section header table"));
	eh->e_shentsize = sizeof(Elf64_Shdr);

	eh->e_shoff = ~0ULL - 7;	/* offset + length would wrap */
	CHECK(open_fails_with(img, size, "section header table"));
	eh->e_shoff = EHDR(e_shoff);

	CHECK(open_fails_with(img, sizeof(Elf64_Ehdr) - 1, "not an ELF file"));
	free(img);
}

/* The header table moved 4 bytes on, still inside the image. */
static void test_misaligned_header_table(void)
{
	size_t size = object_size() + 8;
	uint8_t *img = object_copy(8);
	Elf64_Ehdr *eh = ehdr_of(img);
	size_t table = (size_t)eh->e_shnum * sizeof(Elf64_Shdr);

	memmove(img + eh->e_shoff + 4, img + eh->e_shoff, table);
	eh->e_shoff += 4;
	CHECK(open_fails_with(img, size, "section header table"));
	free(img);
}

static void test_bad_sections(void)
{
	size_t size = object_size();
	uint8_t *img = object_copy(0);
	Elf64_Ehdr *eh = ehdr_of(img);
	Elf64_Shdr *names = shdr_of(img, eh->e_shstrndx);
	Elf64_Shdr *symtab = shdr_of(img, section_of_type(SHT_SYMTAB, 0));
	Elf64_Shdr *rel = shdr_of(img, section_of_type(SHT_REL, 0));
	unsigned int prog_idx = section_of_type(SHT_PROGBITS, SHF_EXECINSTR);
	Elf64_Shdr *prog = shdr_of(img, prog_idx);
	Elf64_Shdr saved;

	/* A section name offset at and past the end of the name table. */
	saved = *prog;
	prog->sh_name = (uint32_t)names->sh_size;
	CHECK(open_fails_with(img, size, "section name out of bounds"));
	prog->sh_name = 0xffffffff;
	CHECK(open_fails_with(img, size, "section name out of bounds"));
	/* The last name left unterminated. */
	prog->sh_name = (uint32_t)names->sh_size - 1;
	img[names->sh_offset + names->sh_size - 1] = 'x';
	CHECK(open_fails_with(img, size, "section name out of bounds"));
	img[names->sh_offset + names->sh_size - 1] = '\0';
	*prog = saved;

	saved = *names;
	names->sh_type = SHT_PROGBITS;
	CHECK(open_fails_with(img, size, "section name table"));
	names->sh_type = SHT_STRTAB;
	names->sh_size = size;
	CHECK(open_fails_with(img, size, "section name table"));
	*names = saved;

	saved = *prog;
	prog->sh_size = size;
	CHECK(open_fails_with(img, size, "section data out of bounds"));
	prog->sh_offset = ~0ULL;
	prog->sh_size = 2;
	CHECK(open_fails_with(img, size, "section data out of bounds"));
	prog->sh_offset = saved.sh_offset + 4;
	prog->sh_size = 8;
	CHECK(open_fails_with(img, size, "misaligned section"));
	*prog = saved;

	saved = *rel;
	rel->sh_offset += 4;
	CHECK(open_fails_with(img, size, "misaligned section"));
	*rel = saved;

	saved = *symtab;
	symtab->sh_size -= 1;
	CHECK(open_fails_with(img, size, "bad symbol table"));
	symtab->sh_size = saved.sh_size + 8;
	CHECK(open_fails_with(img, size, "bad symbol table"));
	symtab->sh_size = saved.sh_size;
	symtab->sh_link = eh->e_shnum;
	CHECK(open_fails_with(img, size, "bad symbol table"));
	symtab->sh_link = prog_idx;	/* a program, not a string table */
	CHECK(open_fails_with(img, size, "bad symbol name table"));
	symtab->sh_link = 0;	/* the SHT_NULL section */
	CHECK(open_fails_with(img, size, "bad symbol name table"));
	symtab->sh_type = SHT_PROGBITS;
	symtab->sh_link = saved.sh_link;
	CHECK(open_fails_with(img, size, "no symbol table"));
	*symtab = saved;
	free(img);
}

/* The same on the big-endian twin: its fields are read swapped. */
static void test_twin_real_object(void)
{
	pristine = test_object(1);
	test_real_object();
	pristine = test_object(0);
}

static void test_twin_truncated(void)
{
	pristine = test_object(1);
	test_truncated();
	pristine = test_object(0);
}

static void test_twin_corrupted(void)
{
	pristine = test_object(1);
	test_corrupted();
	pristine = test_object(0);
}

int main(void)
{
	pristine = test_object(0);
	RUN(test_real_object);
	RUN(test_truncated);
	RUN(test_corrupted);
	RUN(test_twin_real_object);
	RUN(test_twin_truncated);
	RUN(test_twin_corrupted);
	RUN(test_bad_headers);
	RUN(test_misaligned_header_table);
	RUN(test_bad_sections);
	UNIT_EXIT();
}
