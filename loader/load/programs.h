/* SPDX-License-Identifier: GPL-2.0-only */
/* The programs: relocate a program section and bpf(BPF_PROG_LOAD) it. */
#ifndef TT_LOAD_PROGRAMS_H
#define TT_LOAD_PROGRAMS_H

#include <stdint.h>

#include "common/err.h"
#include "load/elf.h"
#include "load/kconst.h"
#include "load/maps.h"

/* The BPF_PROG_TYPE_* a program section's name ("kprobe/...",
 * "tracepoint/...") implies, or -1. */
int program_type(const char *section);

/* Relocate and load the program in section `section`. The fd, or -1 with
 * err; with show_log, a verifier rejection also prints the verifier's log
 * on stderr (not wanted when a fallback load follows). */
int program_load(const struct elf_object *obj, const char *section,
		 const struct bpf_maps *maps, struct kconst_table *kt,
		 uint32_t kern_version, int show_log, struct tt_err *err);

#endif
