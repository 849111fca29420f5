/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the BPF programs need to talk to the kernel and to our loader:
 * helper declarations, the map definition format, and KCONST, the way a
 * program asks the loader for a value only the running kernel knows.
 * BPF side only.
 */
#ifndef BPF_API_H
#define BPF_API_H

#include <linux/types.h>
#include <linux/bpf.h>
#include "bpf_map_def.h"

#define SEC(name) __attribute__((section(name), used))
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))

/*
 * KCONST(name): a 64-bit constant that the loader's relocator writes into
 * the instruction at load time (tracepoint field offsets from tracefs
 * `format` files, struct member offsets from BTF, options). The asm emits
 * `rX = name ll`, an ld_imm64 with an R_BPF_64_64 relocation against the
 * undefined symbol `name`; every such symbol must start with "tt_k_".
 * The verifier then sees a plain known constant.
 */
#define KCONST(name)                                                   \
	({                                                             \
		__u64 kconst_;                                         \
		asm volatile("%0 = " #name " ll" : "=r"(kconst_));     \
		kconst_;                                               \
	})

/*
 * OFFSET_LOAD: an ld_imm64 naming symbol <prefix><name>, then a load
 * from base at `at`, to whose offset the relocator adds the value of
 * tt_k_<name> (loader/load/relocator.c). The ld_imm64 stays a harmless
 * constant load into the register the load then overwrites.
 */
#define OFFSET_LOAD(prefix, width, base, name, at)                       \
	({                                                               \
		__u64 v_;                                                \
		asm volatile("%0 = " #prefix #name " ll\n\t"             \
			     "%0 = *(" #width " *)(%1 + " #at ")"        \
			     : "=&r"(v_)                                 \
			     : "r"(base));                               \
		v_;                                                      \
	})

/*
 * BTF_READ(width, ptr, name, at): the member at offset tt_k_<name> (+ at)
 * of ptr, a pointer whose type the verifier knows from the kernel's BTF
 * (AS_BTF), by an OFFSET_LOAD of symbol tt_m_<name>. The verifier
 * checks the load against BTF and the JIT guards it against faults, so a
 * member costs one load instead of a bpf_probe_read_kernel call (about
 * 25 ns here). A faulting or NULL-based read gives 0, as a failed probe
 * read does.
 */
#define BTF_READ(width, ptr, name, at) OFFSET_LOAD(tt_m_, width, ptr, name, at)

/*
 * AS_BTF(ptr, type): ptr seen as a struct `type` * of the kernel's BTF
 * (id tt_k_btf_<type>), read-only and untrusted: the kfunc
 * bpf_rdonly_cast (6.2+), which the verifier turns into a move. Its
 * members are then read with BTF_READ. An untrusted pointer, unlike the
 * trusted one bpf_get_current_task_btf() gives, costs the verifier no
 * search of the kernel's BTF by name per pointer load (about 0.2 ms each
 * on 6.18). The relocator makes the call a kfunc call where the loader
 * found the kfunc (tt_k_btf_reads), else a move, in code that never runs.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id);
#define AS_BTF(ptr, type)                                                \
	((__u64)bpf_rdonly_cast((const void *)(ptr), KCONST(tt_k_btf_##type)))

/* KCONST as a value the compiler may compute once per function. */
#define KCONST_ONCE(name)                                              \
	({                                                             \
		__u64 kconst_;                                         \
		asm("%0 = " #name " ll" : "=r"(kconst_));              \
		kconst_;                                               \
	})

/* A field the running kernel does not have is given this offset. */
#define TT_ABSENT 0xffffffffULL

/* Helpers, by their stable UAPI numbers. */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_map_update_elem)(void *map, const void *key,
				   const void *value, __u64 flags) =
	(void *)BPF_FUNC_map_update_elem;
static long (*bpf_map_delete_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_delete_elem;
/* Reads of kernel and of user memory (5.5+). Before 5.5 the loader makes
 * both the older bpf_probe_read, which tells them apart by address on x86
 * (see loader/load/relocator.h). */
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_kernel;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_user;
static long (*bpf_probe_read_str)(void *dst, __u32 size, const void *src) =
	(void *)BPF_FUNC_probe_read_str;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)BPF_FUNC_ktime_get_ns;
static __u64 (*bpf_get_current_pid_tgid)(void) =
	(void *)BPF_FUNC_get_current_pid_tgid;
static __u64 (*bpf_get_current_uid_gid)(void) =
	(void *)BPF_FUNC_get_current_uid_gid;
static long (*bpf_get_current_comm)(void *buf, __u32 size) =
	(void *)BPF_FUNC_get_current_comm;
static __u64 (*bpf_get_current_task)(void) = (void *)BPF_FUNC_get_current_task;
/* 5.15+: called only where the loader chose tt_k_regs_args. */
static void *(*bpf_get_current_task_btf)(void) =
	(void *)BPF_FUNC_get_current_task_btf;
static void *(*bpf_task_pt_regs)(void *task) = (void *)BPF_FUNC_task_pt_regs;
static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags,
				     void *data, __u64 size) =
	(void *)BPF_FUNC_perf_event_output;
static __u64 (*bpf_get_current_cgroup_id)(void) =
	(void *)BPF_FUNC_get_current_cgroup_id;
/* 5.8+: called only where the loader found a ring buffer (tt_k_ringbuf). */
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
				  __u64 flags) = (void *)BPF_FUNC_ringbuf_output;
static __u64 (*bpf_ringbuf_query)(void *ringbuf, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_query;

/* The CPU's argument registers, for kprobe programs (PT_ARG1). */
#include "cpu_regs.h"
#include <asm/unistd.h>	/* syscall numbers, for current_syscall() */

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

/*
 * A 16-bit value from network byte order to the CPU's (ntohs): BPF's
 * `be16`, which swaps on a little-endian CPU and only truncates on a
 * big-endian one. The same instruction in the objects of both byte
 * orders, where a swap written in C would be one only in the other.
 */
static __always_inline __u16 tt_ntohs(__u16 v)
{
	__u64 x = v;

	asm("%0 = be16 %0" : "+r"(x));
	return (__u16)x;
}

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
};

#endif
