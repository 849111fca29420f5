/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small, streaming reader of the kernel's BTF that answers "at which
 * byte offset, and with which size, does member path X live", so the BPF
 * programs never depend on hard-coded struct layouts.
 *
 * A file is never held whole: the type section is streamed from its
 * start, and the string section only as far as the names of the types
 * met so far need, each through its own fixed window (no byte is read
 * twice), keeping only a few bytes per type that could lie on a
 * member's type chain (under 300 KB for a 5.5 MB vmlinux). Reading stops
 * as soon as the types seen answer every query exactly as the whole file
 * would: the tracer's structs sit in the first fifth of vmlinux.
 */
#ifndef TT_BTF_H
#define TT_BTF_H

#include <stddef.h>

#include "common/err.h"

#define BTF_VMLINUX_PATH "/sys/kernel/btf/vmlinux"

/* Most bytes one read of a section asks for (sysfs gives 4 KiB a read). */
#define BTF_WINDOW_SIZE (128 * 1024)

struct btf_query {
	/* "struct_name.member[.member...]", e.g. "task_struct.nsproxy",
	 * "mnt_namespace.ns.inum", "sock.__sk_common.skc_net.net"; or
	 * "enum_name.VALUE", e.g. "sock_flags.SOCK_DONE" */
	const char *path;
	int found;		/* out: 1 if resolved */
	/* out: 1 if the final member is a bitfield or not byte aligned
	 * (the caller treats it as unusable) */
	int bitfield;
	/* out: byte offset from the start of the outer struct (the sum
	 * along the path); for an enum's value, the value (found only if
	 * it is not negative and below 2^32) */
	unsigned int offset;
	/* out: byte size of the final member's type (pointer = 8, arrays =
	 * elem * n, typedefs/const/volatile resolved) */
	unsigned int size;
	/* out: the BTF id of the outer struct, or of the function */
	unsigned int type_id;
};

/*
 * Resolve every query against the BTF file at btf_path. Returns 0 when
 * the file was parsed (queries that could not be resolved just have
 * found=0), -1 when the file is missing, unreadable or malformed; then
 * err (if non-NULL) holds one line saying why, starting with btf_path.
 *
 * Reading stops once every valid query is answered: those answers are
 * then final, and the rest of the file is not read, so damage past that
 * point goes unreported (damage in what is read always fails the call).
 * A query is answered "not found" early once its root struct was seen
 * without the member (file.f_count on a kernel with file.f_ref); a root
 * struct that never shows up, or a name met only as the tail of a longer
 * string (only the end tells if that tail counts), makes the whole file
 * be read. With no valid query, only the header is read.
 *
 * Path rules: the first component names a struct or union (the first
 * one of that name with at least one member, so forward declarations
 * are skipped), or an enum with values (then the second and last
 * component names one of them); every further component but the last
 * must be an embedded (non-pointer) struct/union member; typedef, const, volatile,
 * restrict and type_tag are looked through; members of anonymous
 * struct/union members are searched as if they were direct members.
 * At most 8 components of at most 255 characters each.
 *
 * A path "name()" asks for the function (BTF_KIND_FUNC) of that name: its
 * id only (offset and size 0). A function that is absent is known so only
 * at the end of the file, so ask for one only where it is expected.
 */
int btf_resolve(const char *btf_path, struct btf_query *queries, size_t count,
		struct tt_err *err);

/* Same, on an in-memory blob (the same answers). */
int btf_resolve_blob(const void *data, size_t len, struct btf_query *queries,
		     size_t count, struct tt_err *err);

/* What one call read of each section of the file: for tests, benchmarks. */
struct btf_read_stats {
	size_t type_bytes, type_len;	/* read of the type section; length */
	size_t str_bytes, str_len;	/* read of the string section; length */
};

/* btf_resolve, also filling *stats (if non-NULL) on success and failure. */
int btf_resolve_stats(const char *btf_path, struct btf_query *queries,
		      size_t count, struct tt_err *err,
		      struct btf_read_stats *stats);

#endif
