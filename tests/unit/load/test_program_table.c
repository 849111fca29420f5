// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit test of include/tt_programs.h against the embedded object: each
 * program of the table is a section of the object, and each program
 * section of the object is in the table, so that the loader, which plans
 * from the table, knows every program there is.
 */
#include <string.h>

#include "common/err.h"
#include "load/elf.h"
#include "tt_programs.h"
#include "unit.h"

extern const unsigned char tt_bpf_object[], tt_bpf_object_end[];

static const char *const sections[TT_PROGRAMS] = {
#define SECTION(id, optional) [TT_PROG_##id] = TT_SECTION(id),
	TT_PROGRAM_LIST(SECTION)
#undef SECTION
};

static int is_program(const char *section)
{
	return !strncmp(section, "tracepoint/", 11) ||
	       !strncmp(section, "kprobe/", 7);
}

static int in_table(const char *section)
{
	for (int i = 0; i < TT_PROGRAMS; i++)
		if (!strcmp(sections[i], section))
			return 1;
	return 0;
}

static void test_table_matches_object(void)
{
	struct elf_object obj;
	unsigned int programs = 0;
	struct tt_err err;

	CHECK(elf_open(&obj, tt_bpf_object,
		       (size_t)(tt_bpf_object_end - tt_bpf_object), &err) == 0);
	for (int i = 0; i < TT_PROGRAMS; i++) {
		CHECK(is_program(sections[i]));
		CHECK(elf_find_section(&obj, sections[i]) > 0);
	}
	for (unsigned int i = 0; i < obj.nsections; i++) {
		if (!is_program(obj.sections[i].name))
			continue;
		CHECK(in_table(obj.sections[i].name));
		programs++;
	}
	CHECK(programs == TT_PROGRAMS);
	elf_close(&obj);
}

int main(void)
{
	RUN(test_table_matches_object);
	UNIT_EXIT();
}
