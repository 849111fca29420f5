/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small, streaming reader of the kernel's BTF that answers "at which
 * byte offset, and with which size, does member path X live", so the BPF
 * programs never depend on hard-coded struct layouts.
 *
 * A file is never held whole: it is streamed once through a fixed
 * window (the header, then the string section, then the type section;
 * no byte is read twice), keeping only a few bytes per type that could
 * lie on a member's type chain (under 300 KB for a 5.5 MB vmlinux).
 */
#ifndef TT_BTF_H
#define TT_BTF_H

#include <stddef.h>

#define BTF_VMLINUX_PATH "/sys/kernel/btf/vmlinux"

/* Most bytes one read asks for (sysfs hands out 4 KiB per read anyway). */
#define BTF_WINDOW_SIZE (256 * 1024)

struct btf_query {
	const char *path;      /* "struct_name.member[.member...]", e.g. "task_struct.nsproxy", "mnt_namespace.ns.inum", "sock.__sk_common.skc_net.net" */
	int found;             /* out: 1 if resolved */
	int bitfield;          /* out: 1 if the final member is a bitfield or not byte aligned (caller treats as unusable) */
	unsigned int offset;   /* out: byte offset from the start of the outer struct (sum along the path) */
	unsigned int size;     /* out: byte size of the final member's type (pointer = 8, arrays = elem*n, typedefs/const/volatile resolved) */
};

/*
 * Resolve every query against the BTF file at btf_path. Returns 0 when
 * the file was parsed (queries that could not be resolved just have
 * found=0), -1 when the file is missing, unreadable or malformed; then
 * err (if non-NULL) holds one line saying why.
 *
 * Path rules: the first component names a struct or union (the first
 * one of that name with at least one member, so forward declarations
 * are skipped); every further component but the last must be an
 * embedded (non-pointer) struct/union member; typedef, const, volatile,
 * restrict and type_tag are looked through; members of anonymous
 * struct/union members are searched as if they were direct members.
 * At most 8 components of at most 255 characters each.
 */
int btf_resolve(const char *btf_path, struct btf_query *queries, size_t count,
		char *err, size_t errlen);

/* Same, on an in-memory blob. */
int btf_resolve_blob(const void *data, size_t len, struct btf_query *queries,
		     size_t count, char *err, size_t errlen);

#endif
