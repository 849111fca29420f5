// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a BTF blob, asked what the tracer asks of the kernel's
 * (struct members, nested and through anonymous members, an enum's
 * value, a function) and a few malformed paths.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/btf/btf.h"

static const char *const paths[] = {
	"task_struct.real_parent", "task_struct.tgid", "task_struct.comm",
	"task_struct.nsproxy", "nsproxy.mnt_ns", "mnt_namespace.ns.inum",
	"sock.__sk_common.skc_net.net", "net.ns.inum", "file.private_data",
	"file.f_ref.refcnt.counter", "file.f_count.counter",
	"sock.sk_protocol", "sock_flags.SOCK_DONE", "tcp_sock.bytes_received",
	"bpf_rdonly_cast()", "a.b.c.d.e.f.g.h.i", "", ".", "x..y",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_query q[NPATHS];
	struct tt_err err;

	memset(q, 0, sizeof(q));
	for (size_t i = 0; i < NPATHS; i++)
		q[i].path = paths[i];
	btf_resolve_blob(data, size, q, NPATHS, &err);
	return 0;
}
