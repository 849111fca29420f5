/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The running kernel's layouts, read at run time and written into the
 * constant table: tracepoint records from tracefs `format` files, struct
 * members from BTF. Nothing here is a hard-coded kernel offset.
 */
#ifndef KERNEL_LAYOUT_H
#define KERNEL_LAYOUT_H

#include <stddef.h>

#include "common/err.h"
#include "kernel/tracefs.h"
#include "load/kconst.h"

/* The tracepoints the programs always need: 0 when described, -1 with
 * err when missing or unusable. */
int layout_inet_sock_set_state(struct kconst_table *kt,
			       const struct tracefs *t, struct tt_err *err);
/* The syscall tracepoints we use must agree on where the first two
 * arguments and the return value are. events:
 * "syscalls/sys_enter_connect"... */
int layout_syscalls(struct kconst_table *kt, const struct tracefs *t,
		    const char *const *events, size_t count,
		    struct tt_err *err);

/* The optional ones: 1 when described, 0 when this kernel lacks it, -1
 * with err when its layout is unusable. */
int layout_inet_sk_error_report(struct kconst_table *kt,
				const struct tracefs *t, struct tt_err *err);
/* RSTs in any state (4.15+); only used where a connect's errno has no
 * other source. */
int layout_tcp_receive_reset(struct kconst_table *kt, const struct tracefs *t,
			     struct tt_err *err);
int layout_tcp_destroy_sock(struct kconst_table *kt, const struct tracefs *t,
			    struct tt_err *err);
/* 0 also when its `id` is not the 8-byte cgroup v2 id (before 5.5). */
int layout_cgroup_mkdir(struct kconst_table *kt, const struct tracefs *t,
			struct tt_err *err);

/* What BTF let us fill; each flag is also set in the table. */
struct btf_layout {
	int has_btf;
	int parent, mntns, netns, fdwalk, sock_protocol;
	int file_refs;		/* a file's reference count (last close) */
	int task_flags;		/* PF_EXITING */
	/* a socket's file being released, its lock owned */
	int release;
	int sock_err;		/* a failed connect's errno (sock.sk_err) */
	int tcp_bytes;		/* a close's bytes (tcp_sock.bytes_*) */
	int bytes_asked;	/* ...were wanted, and so looked for */
	int btf_reads;		/* members by BTF-typed loads (AS_BTF, 6.2+) */
};
/* btf_path NULL: no BTF (all flags 0). A file that cannot be read as
 * BTF means no BTF too, unless required: then -1 with err. BTF only
 * adds: what it lacks is not used. */
int layout_btf(struct kconst_table *kt, const char *btf_path, int required,
	       int want_bytes, struct btf_layout *out, struct tt_err *err);

#endif
