/* SPDX-License-Identifier: GPL-2.0-only */
/* The ELF reader: a bounds-checked view of a BPF relocatable object. */
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
	struct elf_section *sections;
	unsigned int nsections;
	const Elf64_Sym *symbols;	/* from the one SHT_SYMTAB */
	unsigned int nsymbols;
	const char *symbol_names;
	size_t symbol_names_size;
};

/* Check and index an in-memory object. The image must outlive obj.
 * 0 on success; -1 with one line in err on malformed input. */
int elf_open(struct elf_object *obj, const void *image, size_t size,
	     struct tt_err *err);
void elf_close(struct elf_object *obj);

/* Index of the section with this name, or -1. */
int elf_find_section(const struct elf_object *obj, const char *name);

/* Symbol number idx and its name; -1 when out of range. */
int elf_symbol(const struct elf_object *obj, unsigned int idx,
	       const Elf64_Sym **sym, const char **name);

/* Do sections a and b have the same size and bytes? */
int elf_sections_equal(const struct elf_object *obj, unsigned int a,
		       unsigned int b);

/* Index of the SHT_REL section that relocates section target, or -1. */
int elf_find_relocations(const struct elf_object *obj, unsigned int target);

#endif
