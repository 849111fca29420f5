// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ELF reader. The object is embedded in our own binary, but it is
 * parsed as untrusted input all the same: every offset, size and index is
 * checked before use, so a corrupted object gives an error, never a crash.
 */
#include "load/elf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every complaint about the object starts so. */
#define MALFORMED "malformed BPF object: "

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* Does [off, off+len) lie inside a buffer of size total? */
static int in_bounds(uint64_t off, uint64_t len, uint64_t total)
{
	return off <= total && len <= total - off;
}

/* A NUL-terminated string at offset off of a string table, or NULL. */
static const char *string_at(const char *table, size_t table_size,
			     uint64_t off)
{
	if (off >= table_size || !memchr(table + off, '\0', table_size - off))
		return NULL;
	return table + off;
}

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BIG_ENDIAN 1
#else
#define HOST_BIG_ENDIAN 0
#endif

/* Where the section header table is, from the ELF header. */
struct section_table {
	uint64_t offset;
	unsigned int count;
	unsigned int names;	/* index of the section name table */
};

static int check_header(struct elf_object *obj, struct section_table *table,
			struct tt_err *err)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj->image;
	unsigned char data;

	if (obj->image_size < sizeof(*eh) ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return tt_fail(err, MALFORMED "not an ELF file");
	data = eh->e_ident[EI_DATA];
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    (data != ELFDATA2LSB && data != ELFDATA2MSB))
		return tt_fail(err, MALFORMED "not a 64-bit ELF of either "
			       "byte order");
	obj->big_endian = data == ELFDATA2MSB;
	obj->swapped = obj->big_endian != HOST_BIG_ENDIAN;
	if (elf_u16(obj, eh->e_type) != ET_REL ||
	    elf_u16(obj, eh->e_machine) != EM_BPF)
		return tt_fail(err, MALFORMED "not a relocatable BPF object");
	table->offset = elf_u64(obj, eh->e_shoff);
	table->count = elf_u16(obj, eh->e_shnum);
	table->names = elf_u16(obj, eh->e_shstrndx);
	if (elf_u16(obj, eh->e_shentsize) != sizeof(Elf64_Shdr) ||
	    table->count == 0 || table->offset % 8 ||
	    !in_bounds(table->offset,
		       (uint64_t)table->count * sizeof(Elf64_Shdr),
		       obj->image_size))
		return tt_fail(err, MALFORMED
			       "section header table out of bounds");
	if (table->names >= table->count)
		return tt_fail(err, MALFORMED "bad section name table index");
	return 0;
}

/* Section header idx, the fields this reader uses, in this CPU's order. */
static Elf64_Shdr section_header(const struct elf_object *obj,
				 const struct section_table *table,
				 unsigned int idx)
{
	const Elf64_Shdr *sh =
		(const Elf64_Shdr *)(obj->image + table->offset) + idx;

	return (Elf64_Shdr){
		.sh_name = elf_u32(obj, sh->sh_name),
		.sh_type = elf_u32(obj, sh->sh_type),
		.sh_flags = elf_u64(obj, sh->sh_flags),
		.sh_offset = elf_u64(obj, sh->sh_offset),
		.sh_size = elf_u64(obj, sh->sh_size),
		.sh_link = elf_u32(obj, sh->sh_link),
		.sh_info = elf_u32(obj, sh->sh_info),
	};
}

static int index_sections(struct elf_object *obj,
			  const struct section_table *table,
			  struct tt_err *err)
{
	Elf64_Shdr names = section_header(obj, table, table->names);
	const char *name_table;

	if (names.sh_type != SHT_STRTAB ||
	    !in_bounds(names.sh_offset, names.sh_size, obj->image_size))
		return tt_fail(err, MALFORMED
			       "section name table out of bounds");
	name_table = (const char *)obj->image + names.sh_offset;

	obj->sections = calloc(table->count, sizeof(*obj->sections));
	if (!obj->sections)
		return tt_fail(err, MALFORMED "out of memory");
	obj->nsections = table->count;
	for (unsigned int i = 0; i < table->count; i++) {
		Elf64_Shdr sh = section_header(obj, table, i);
		struct elf_section *sec = &obj->sections[i];

		sec->name = string_at(name_table, names.sh_size, sh.sh_name);
		if (!sec->name)
			return tt_fail(err, MALFORMED
				       "section name out of bounds");
		sec->type = sh.sh_type;
		sec->link = sh.sh_link;
		sec->info = sh.sh_info;
		sec->size = sh.sh_size;
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (!in_bounds(sh.sh_offset, sh.sh_size, obj->image_size))
			return tt_fail(err, MALFORMED
				       "section data out of bounds");
		/* Tables we read as structs must be aligned for them. */
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_REL ||
		     (sh.sh_flags & SHF_EXECINSTR)) && sh.sh_offset % 8)
			return tt_fail(err, MALFORMED "misaligned section");
		sec->data = obj->image + sh.sh_offset;
	}
	return 0;
}

static int index_symbols(struct elf_object *obj, struct tt_err *err)
{
	for (unsigned int i = 0; i < obj->nsections; i++) {
		const struct elf_section *sec = &obj->sections[i];
		const struct elf_section *names;

		if (sec->type != SHT_SYMTAB)
			continue;
		if (sec->size % sizeof(Elf64_Sym) ||
		    sec->link >= obj->nsections)
			return tt_fail(err, MALFORMED "bad symbol table");
		names = &obj->sections[sec->link];
		if (names->type != SHT_STRTAB || !names->data)
			return tt_fail(err, MALFORMED "bad symbol name table");
		obj->symbols = (const Elf64_Sym *)sec->data;
		obj->nsymbols = sec->size / sizeof(Elf64_Sym);
		obj->symbol_names = (const char *)names->data;
		obj->symbol_names_size = names->size;
		return 0;
	}
	return tt_fail(err, MALFORMED "no symbol table");
}

int elf_open(struct elf_object *obj, const void *image, size_t size,
	     struct tt_err *err)
{
	struct section_table table = { 0 };

	memset(obj, 0, sizeof(*obj));
	obj->image = image;
	obj->image_size = size;
	if (!image)
		return tt_fail(err, MALFORMED "no object");
	if (check_header(obj, &table, err) ||
	    index_sections(obj, &table, err) ||
	    index_symbols(obj, err)) {
		elf_close(obj);
		return -1;
	}
	return 0;
}

void elf_close(struct elf_object *obj)
{
	free(obj->sections);
	memset(obj, 0, sizeof(*obj));
}

int elf_find_section(const struct elf_object *obj, const char *name)
{
	for (unsigned int i = 0; i < obj->nsections; i++)
		if (!strcmp(obj->sections[i].name, name))
			return (int)i;
	return -1;
}

int elf_symbol(const struct elf_object *obj, unsigned int idx,
	       Elf64_Sym *sym, const char **name)
{
	const Elf64_Sym *stored;
	const char *sym_name;

	if (idx >= obj->nsymbols)
		return -1;
	stored = &obj->symbols[idx];
	sym_name = string_at(obj->symbol_names, obj->symbol_names_size,
			     elf_u32(obj, stored->st_name));
	if (!sym_name)
		return -1;
	*sym = (Elf64_Sym){
		.st_name = elf_u32(obj, stored->st_name),
		.st_info = stored->st_info,
		.st_other = stored->st_other,
		.st_shndx = elf_u16(obj, stored->st_shndx),
		.st_value = elf_u64(obj, stored->st_value),
		.st_size = elf_u64(obj, stored->st_size),
	};
	*name = sym_name;
	return 0;
}

int elf_find_relocations(const struct elf_object *obj, unsigned int target)
{
	for (unsigned int i = 0; i < obj->nsections; i++)
		if (obj->sections[i].type == SHT_REL &&
		    obj->sections[i].info == target)
			return (int)i;
	return -1;
}

Elf64_Rel elf_relocation(const struct elf_object *obj,
			 const struct elf_section *rels, size_t i)
{
	const Elf64_Rel *stored = (const Elf64_Rel *)rels->data + i;

	return (Elf64_Rel){
		.r_offset = elf_u64(obj, stored->r_offset),
		.r_info = elf_u64(obj, stored->r_info),
	};
}

int elf_sections_equal(const struct elf_object *obj, unsigned int a,
		       unsigned int b)
{
	const struct elf_section *sa, *sb;

	if (a >= obj->nsections || b >= obj->nsections)
		return 0;
	sa = &obj->sections[a];
	sb = &obj->sections[b];
	return sa->size == sb->size && sa->data && sb->data &&
	       !memcmp(sa->data, sb->data, sa->size);
}
