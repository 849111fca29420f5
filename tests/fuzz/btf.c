// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a BTF blob, asked what the tracer asks of the kernel's
 * (struct members, nested and through anonymous members, an enum's
 * value, a function) and a few malformed paths; then the same bytes as
 * a file (a memfd), streamed, which must give the same answers.
 */
#include "memory_file.h"

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

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fd = memory_file_open("btf", path, sizeof(path));
	return 0;
}

static void ask(struct btf_query *q)
{
	memset(q, 0, NPATHS * sizeof(*q));
	for (size_t i = 0; i < NPATHS; i++)
		q[i].path = paths[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_query in_memory[NPATHS], in_file[NPATHS];
	struct tt_err err;
	int memory_ret, file_ret;

	ask(in_memory);
	memory_ret = btf_resolve_blob(data, size, in_memory, NPATHS, &err);
	memory_file_set(fd, data, size);
	ask(in_file);
	file_ret = btf_resolve(path, in_file, NPATHS, &err);
	if (file_ret != memory_ret ||
	    (memory_ret == 0 && memcmp(in_memory, in_file, sizeof(in_file))))
		__builtin_trap();	/* the two sources disagree */
	return 0;
}
