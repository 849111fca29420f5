/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF reader: a bounds-checked view of a BPF relocatable object, of
 * either byte order. Its fields are stored in the object's byte order
 * (EI_DATA); what this reader hands out (sections, symbols, relocations)
 * is in this CPU's. Only the programs' instructions stay as stored.
 */
#ifndef TT_LOAD_ELF_H
#define TT_LOAD_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct elf_section {
	const char *name;
	uint32_t type;		/* SHT_* */
	uint32_t link;
	uint32_t info;
	const uint8_t *data;	/* NULL for SHT_NOBITS */
	uint64_t size;
};

struct elf_object {
	const uint8_t *image;
	size_t image_size;
	int big_endian;		/* the object's byte order (EI_DATA) */
	int swapped;		/* not this CPU's: its fields are byte-swapped */
	struct elf_section *sections;
	unsigned int nsections;
	const Elf64_Sym *symbols;	/* the one SHT_SYMTAB, as stored */
	unsigned int nsymbols;
	const char *symbol_names;
	size_t symbol_names_size;
};

/* A field of the object, as stored, in this CPU's byte order. */
static inline uint16_t elf_u16(const struct elf_object *obj, uint16_t v)
{
	return obj->swapped ? __builtin_bswap16(v) : v;
}

static inline uint32_t elf_u32(const struct elf_object *obj, uint32_t v)
{
	return obj->swapped ? __builtin_bswap32(v) : v;
}

static inline uint64_t elf_u64(const struct elf_object *obj, uint64_t v)
{
	return obj->swapped ? __builtin_bswap64(v) : v;
}

/* Check and index an in-memory object. The image must outlive obj.
 * 0 on success; -1 with one line in err on malformed input. */
int elf_open(struct elf_object *obj, const void *image, size_t size,
	     struct tt_err *err);
void elf_close(struct elf_object *obj);

/* Index of the section with this name, or -1. */
int elf_find_section(const struct elf_object *obj, const char *name);

/* Symbol number idx (a copy, in this CPU's byte order) and its name; -1
 * when out of range. */
int elf_symbol(const struct elf_object *obj, unsigned int idx,
	       Elf64_Sym *sym, const char **name);

/* Do sections a and b have the same size and bytes? */
int elf_sections_equal(const struct elf_object *obj, unsigned int a,
		       unsigned int b);

/* Index of the SHT_REL section that relocates section target, or -1. */
int elf_find_relocations(const struct elf_object *obj, unsigned int target);

/* Entry i of SHT_REL section rels, which must hold it, in this CPU's byte
 * order. */
Elf64_Rel elf_relocation(const struct elf_object *obj,
			 const struct elf_section *rels, size_t i);

#endif
