// SPDX-License-Identifier: GPL-2.0-only
/* Program loading (see programs.h). */
#include "load/programs.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "kernel/bpf_syscall.h"
#include "kernel/inject.h"
#include "kernel/version.h"
#include "load/dead_code.h"
#include "load/relocator.h"

#define VERIFIER_LOG_SIZE (1024 * 1024)

int program_type(const char *section)
{
	if (!strncmp(section, "tracepoint/", 11))
		return BPF_PROG_TYPE_TRACEPOINT;
	if (!strncmp(section, "kprobe/", 7))
		return BPF_PROG_TYPE_KPROBE;
	return -1;
}

/* The object's license string, which the kernel checks for GPL helpers. */
static const char *license(const struct elf_object *obj)
{
	int idx = elf_find_section(obj, "license");
	const struct elf_section *sec;

	if (idx < 0)
		return NULL;
	sec = &obj->sections[idx];
	if (!sec->data || !sec->size || !memchr(sec->data, '\0', sec->size))
		return NULL;
	return (const char *)sec->data;
}

/* A program name the kernel accepts: the part after the last '/'. */
static void short_name(const char *section, char *name, size_t size)
{
	const char *slash = strrchr(section, '/');

	snprintf(name, size, "%s", slash ? slash + 1 : section);
}

/* Load again with a log buffer and show the verifier's reasons. */
static void print_verifier_log(int type, const char *name,
			       const struct bpf_insn *insns, size_t ninsns,
			       const char *lic, uint32_t kern_version)
{
	char *log = malloc(VERIFIER_LOG_SIZE);

	if (!log)
		return;
	if (bpf_prog_load(type, name, insns, ninsns, lic, kern_version, log,
			  VERIFIER_LOG_SIZE) < 0 && log[0])
		fprintf(stderr, "--- verifier log for %s ---\n"
			"%s\n--- end ---\n", name, log);
	free(log);
}

int program_load(const struct elf_object *obj, const char *section,
		 const struct bpf_maps *maps, struct kconst_table *kt,
		 uint32_t kern_version, int show_log, struct tt_err *err)
{
	struct reloc_context ctx = {
		.maps_section = maps->section,
		.map_fds = maps->fds,
		.nmaps = maps->count,
		.constant = kconst_lookup,
		.constant_arg = kt,
		.split_probe_read = kern_version >= KERNEL_VERSION(5, 5, 0),
	};
	int idx = elf_find_section(obj, section), type = program_type(section);
	const char *lic = license(obj);
	struct bpf_insn *insns;
	char name[BPF_OBJ_NAME_LEN];
	size_t ninsns;
	int fd;

	/* The kernel reads instructions in its own byte order only. */
	if (obj->swapped)
		return tt_fail(err, "the BPF object is %s-endian and this CPU "
			       "is not: build trace_tcp for this CPU",
			       obj->big_endian ? "big" : "little");
	if (idx < 0 || type < 0 || !lic) {
		return tt_fail(err, "BPF object has no usable program %s",
			       section);
	}
	if (relocate_program(obj, (unsigned int)idx, &ctx, &insns, &ninsns,
			     err))
		return -1;
	/* Code the constants rule out is not handed to the verifier. */
	ninsns = dead_code_prune(insns, ninsns);
	/* r0 = *(u64 *)(r9 + 0) */
	if (ninsns && refusal_injected("programs"))
		insns[0] = (struct bpf_insn){
			.code = BPF_LDX | BPF_MEM | BPF_DW,
			.src_reg = BPF_REG_9,
		};
	short_name(section, name, sizeof(name));
	fd = bpf_prog_load(type, name, insns, ninsns, lic, kern_version,
			   NULL, 0);
	if (fd < 0) {
		int saved = errno;

		tt_fail(err, "the kernel rejected program %s: %s",
			section, strerror(saved));
		if (show_log && (saved == EACCES || saved == EINVAL))
			print_verifier_log(type, name, insns, ninsns, lic,
					   kern_version);
	}
	free(insns);
	return fd;
}
