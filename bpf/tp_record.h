/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading tracepoint records whose layout the running kernel described in
 * its `format` files.
 *
 * A tracepoint program may load from its record (ctx) directly, but only
 * at an offset written in the load instruction itself, never at ctx plus
 * a register. So a field is read with TP_LOAD: an ld_imm64 naming the
 * field (symbol tt_f_<name>, whose value is the constant tt_k_<name>),
 * then the load, at offset `at` from the field. The relocator adds the
 * field's offset to that load's own offset (loader/load/relocator.c). No copy
 * of the record is made: a field costs one load, not a helper call.
 */
#ifndef TT_TP_RECORD_H
#define TT_TP_RECORD_H

#include "kconst.h"
#include "maps.h"

/* width: u8, u16, u32 or u64; at: a literal byte offset into the field. */
#define TP_LOAD(width, ctx, name, at) OFFSET_LOAD(tt_f_, width, ctx, name, at)

/*
 * A kernel pointer (TP_LOAD_PTR: skaddr) or long (TP_LOAD_LONG, signed
 * TP_LOAD_SLONG: a syscall's argument or return value), 0-extended or
 * sign-extended to 64 bits. Where the kernel's may be 4 bytes
 * (TT_KERNEL_WORD_VARIES, include/kconst_names.h), its size is a load-time
 * constant and the loader's dead-code pruner keeps one of the two loads.
 */
#ifdef TT_KERNEL_WORD_VARIES
/* The 8-byte load names <name>_wide, the field's offset where it is 8
 * bytes, else TT_ABSENT: the relocator leaves that load, never run, as
 * it is, rather than refuse a 4-aligned offset for it. */
#define TP_LOAD_WORD(ctx, name, size)                                      \
	(KCONST(tt_k_##size) == 4 ? (__u64)TP_LOAD(u32, ctx, name, 0)      \
				  : TP_LOAD(u64, ctx, name##_wide, 0))
#define TP_LOAD_SLONG(ctx, name)                                           \
	(KCONST(tt_k_long_size) == 4                                       \
		 ? (__s64)(__s32)TP_LOAD(u32, ctx, name, 0)                \
		 : (__s64)TP_LOAD(u64, ctx, name##_wide, 0))
#else
#define TP_LOAD_WORD(ctx, name, size) TP_LOAD(u64, ctx, name, 0)
#define TP_LOAD_SLONG(ctx, name) ((__s64)TP_LOAD(u64, ctx, name, 0))
#endif
#define TP_LOAD_PTR(ctx, name) TP_LOAD_WORD(ctx, name, ptr_size)
#define TP_LOAD_LONG(ctx, name) TP_LOAD_WORD(ctx, name, long_size)

/* Address arrays may sit at any byte offset (4.16 has saddr at 31): then
 * one helper call copies each, far less code than a load per byte (code
 * size is what a program's load time grows with). */
#define TP_COPY(dst, ctx, name, len)                                       \
	bpf_probe_read_kernel((dst), (len),                                \
			      (const char *)(ctx) + KCONST(tt_k_##name))

static __always_inline int is_v4_mapped(const __u8 *a)
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return 0;
	return a[10] == 0xff && a[11] == 0xff;
}

/* A 16-byte address array at a 4-aligned offset (A: tt_k_<A> is that
 * offset, see set_word_aligned in loader/plan/kernel_layout.c): four loads,
 * no helper call. */
#define TP_LOAD_ADDRESS(dst, ctx, A)                                        \
	do {                                                                \
		__u32 *d_ = (__u32 *)(dst);                                 \
		d_[0] = TP_LOAD(u32, ctx, A, 0);                            \
		d_[1] = TP_LOAD(u32, ctx, A, 4);                            \
		d_[2] = TP_LOAD(u32, ctx, A, 8);                            \
		d_[3] = TP_LOAD(u32, ctx, A, 12);                           \
	} while (0)

/*
 * Fill a tuple from a record that has the sock tracepoints' address
 * fields (P: iss or ser). The kernel stores an IPv4 socket's addresses
 * v4-mapped in saddr_v6/daddr_v6, so those two are the tuple for both
 * families, without a test of the family (each path would be verified
 * through the rest of the program; set_addresses() unmaps). Should a
 * layout lack `family`, the v4-mapped form tells it.
 */
#define TP_READ_TUPLE(ctx, t, P)                                            \
	do {                                                                \
		__builtin_memset((t), 0, sizeof(*(t)));                     \
		(t)->sport = TP_LOAD(u16, ctx, P##_sport, 0);               \
		(t)->dport = TP_LOAD(u16, ctx, P##_dport, 0);               \
		if (KCONST(tt_k_##P##_saddr_w) != TT_ABSENT &&              \
		    KCONST(tt_k_##P##_daddr_w) != TT_ABSENT) {              \
			TP_LOAD_ADDRESS((t)->saddr, ctx, P##_saddr_w);      \
			TP_LOAD_ADDRESS((t)->daddr, ctx, P##_daddr_w);      \
		} else {                                                    \
			TP_COPY((t)->saddr, ctx, P##_saddr_v6, 16);         \
			TP_COPY((t)->daddr, ctx, P##_daddr_v6, 16);         \
		}                                                           \
		if (KCONST(tt_k_##P##_family) != TT_ABSENT)                 \
			(t)->family = TP_LOAD(u16, ctx, P##_family, 0);     \
		else                                                        \
			(t)->family = is_v4_mapped((t)->saddr) ? AF_INET    \
							       : AF_INET6;  \
	} while (0)

/* The sock tracepoints fire for DCCP, SCTP and MPTCP too. `protocol` was
 * a __u8 until 5.6 and is a __u16 since (MPTCP is 262, whose low byte is
 * TCP's 6): loaded whole, so in the CPU's own byte order. Where it is 2
 * bytes, tt_k_<P>_protocol_wide is its offset, else TT_ABSENT. */
#define TP_IS_TCP(ctx, P)                                                   \
	(KCONST(tt_k_##P##_protocol) == TT_ABSENT ||                        \
	 (KCONST(tt_k_##P##_protocol_wide) != TT_ABSENT                     \
		  ? TP_LOAD(u16, ctx, P##_protocol_wide, 0) == IPPROTO_TCP   \
		  : TP_LOAD(u8, ctx, P##_protocol, 0) == IPPROTO_TCP))

#endif
