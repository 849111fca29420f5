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

static int check_header(const Elf64_Ehdr *eh, size_t size, struct tt_err *err)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return tt_fail(err, MALFORMED "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return tt_fail(err, MALFORMED "not a 64-bit little-endian ELF");
	if (eh->e_type != ET_REL || eh->e_machine != EM_BPF)
		return tt_fail(err, MALFORMED "not a relocatable BPF object");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    eh->e_shoff % 8 ||
	    !in_bounds(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		       size))
		return tt_fail(err, MALFORMED
			       "section header table out of bounds");
	if (eh->e_shstrndx >= eh->e_shnum)
		return tt_fail(err, MALFORMED "bad section name table index");
	return 0;
}

static int index_sections(struct elf_object *obj, const Elf64_Ehdr *eh,
			  struct tt_err *err)
{
	const Elf64_Shdr *shdrs = (const void *)(obj->image + eh->e_shoff);
	const Elf64_Shdr *names = &shdrs[eh->e_shstrndx];
	const char *name_table;

	if (names->sh_type != SHT_STRTAB ||
	    !in_bounds(names->sh_offset, names->sh_size, obj->image_size))
		return tt_fail(err, MALFORMED
			       "section name table out of bounds");
	name_table = (const char *)obj->image + names->sh_offset;

	obj->sections = calloc(eh->e_shnum, sizeof(*obj->sections));
	if (!obj->sections)
		return tt_fail(err, MALFORMED "out of memory");
	obj->nsections = eh->e_shnum;
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *sh = &shdrs[i];
		struct elf_section *sec = &obj->sections[i];

		sec->name = string_at(name_table, names->sh_size, sh->sh_name);
		if (!sec->name)
			return tt_fail(err, MALFORMED
				       "section name out of bounds");
		sec->type = sh->sh_type;
		sec->link = sh->sh_link;
		sec->info = sh->sh_info;
		sec->size = sh->sh_size;
		if (sh->sh_type == SHT_NOBITS || sh->sh_type == SHT_NULL)
			continue;
		if (!in_bounds(sh->sh_offset, sh->sh_size, obj->image_size))
			return tt_fail(err, MALFORMED
				       "section data out of bounds");
		/* Tables we read as structs must be aligned for them. */
		if ((sh->sh_type == SHT_SYMTAB || sh->sh_type == SHT_REL ||
		     (sh->sh_flags & SHF_EXECINSTR)) && sh->sh_offset % 8)
			return tt_fail(err, MALFORMED "misaligned section");
		sec->data = obj->image + sh->sh_offset;
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
	const Elf64_Ehdr *eh = image;

	memset(obj, 0, sizeof(*obj));
	obj->image = image;
	obj->image_size = size;
	if (!image)
		return tt_fail(err, MALFORMED "no object");
	if (check_header(eh, size, err) ||
	    index_sections(obj, eh, err) ||
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
	       const Elf64_Sym **sym, const char **name)
{
	const char *sym_name;

	if (idx >= obj->nsymbols)
		return -1;
	sym_name = string_at(obj->symbol_names, obj->symbol_names_size,
			     obj->symbols[idx].st_name);
	if (!sym_name)
		return -1;
	*sym = &obj->symbols[idx];
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
