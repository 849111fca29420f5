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
 * field's offset to that load's own offset (loader/relocator.c). No copy
 * of the record is made: a field costs one load, not a helper call.
 */
#ifndef TT_TP_RECORD_H
#define TT_TP_RECORD_H

#include "kconst.h"
#include "maps.h"

/* width: u8, u16, u32 or u64; at: a literal byte offset into the field. */
#define TP_LOAD(width, ctx, name, at)                                      \
	({                                                                 \
		__u64 v_;                                                  \
		asm volatile("%0 = tt_f_" #name " ll\n\t"                  \
			     "%0 = *(" #width " *)(%1 + " #at ")"          \
			     : "=&r"(v_)                                   \
			     : "r"(ctx));                                  \
		v_;                                                        \
	})

/* Address arrays may sit at any byte offset (4.16 has saddr at 31): read
 * them byte by byte. */
#define TP_BYTES4(dst, ctx, name)                                          \
	do {                                                               \
		(dst)[0] = TP_LOAD(u8, ctx, name, 0);                      \
		(dst)[1] = TP_LOAD(u8, ctx, name, 1);                      \
		(dst)[2] = TP_LOAD(u8, ctx, name, 2);                      \
		(dst)[3] = TP_LOAD(u8, ctx, name, 3);                      \
	} while (0)

#define TP_BYTES16(dst, ctx, name)                                         \
	do {                                                               \
		TP_BYTES4(dst, ctx, name);                                 \
		(dst)[4] = TP_LOAD(u8, ctx, name, 4);                      \
		(dst)[5] = TP_LOAD(u8, ctx, name, 5);                      \
		(dst)[6] = TP_LOAD(u8, ctx, name, 6);                      \
		(dst)[7] = TP_LOAD(u8, ctx, name, 7);                      \
		(dst)[8] = TP_LOAD(u8, ctx, name, 8);                      \
		(dst)[9] = TP_LOAD(u8, ctx, name, 9);                      \
		(dst)[10] = TP_LOAD(u8, ctx, name, 10);                    \
		(dst)[11] = TP_LOAD(u8, ctx, name, 11);                    \
		(dst)[12] = TP_LOAD(u8, ctx, name, 12);                    \
		(dst)[13] = TP_LOAD(u8, ctx, name, 13);                    \
		(dst)[14] = TP_LOAD(u8, ctx, name, 14);                    \
		(dst)[15] = TP_LOAD(u8, ctx, name, 15);                    \
	} while (0)

static __always_inline int is_v4_mapped(const __u8 *a)
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return 0;
	return a[10] == 0xff && a[11] == 0xff;
}

/*
 * Fill a tuple from a record that has the sock tracepoints' address
 * fields (P: iss or ser). Should a layout lack `family`, the kernel's
 * habit of storing IPv4 as v4-mapped IPv6 in saddr_v6 tells the family.
 */
#define TP_READ_TUPLE(ctx, t, P)                                            \
	do {                                                                \
		__builtin_memset((t), 0, sizeof(*(t)));                     \
		(t)->sport = TP_LOAD(u16, ctx, P##_sport, 0);               \
		(t)->dport = TP_LOAD(u16, ctx, P##_dport, 0);               \
		if (KCONST(tt_k_##P##_family) != TT_ABSENT) {               \
			(t)->family = TP_LOAD(u16, ctx, P##_family, 0);     \
		} else {                                                    \
			__u8 v6_[16];                                       \
			TP_BYTES16(v6_, ctx, P##_saddr_v6);                 \
			(t)->family = is_v4_mapped(v6_) ? AF_INET : AF_INET6; \
		}                                                           \
		if ((t)->family == AF_INET) {                               \
			TP_BYTES4((t)->saddr, ctx, P##_saddr);              \
			TP_BYTES4((t)->daddr, ctx, P##_daddr);              \
		} else {                                                    \
			TP_BYTES16((t)->saddr, ctx, P##_saddr_v6);          \
			TP_BYTES16((t)->daddr, ctx, P##_daddr_v6);          \
		}                                                           \
	} while (0)

/* The sock tracepoints fire for DCCP, SCTP and MPTCP too. `protocol` was
 * a __u8 until 5.6 and is a __u16 since (MPTCP is 262: its low byte is
 * TCP's 6, so the high byte is checked too; x86 is little-endian). */
#define TP_IS_TCP(ctx, P)                                                   \
	(KCONST(tt_k_##P##_protocol) == TT_ABSENT ||                        \
	 (TP_LOAD(u8, ctx, P##_protocol, 0) == IPPROTO_TCP &&               \
	  (KCONST(tt_k_##P##_protocol_size) == 1 ||                         \
	   TP_LOAD(u8, ctx, P##_protocol, 1) == 0)))

#endif
