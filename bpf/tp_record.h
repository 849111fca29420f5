/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading tracepoint records whose layout the running kernel described in
 * its `format` files. A record is copied once to the stack; fields are
 * then read at offsets the loader patched in (KCONST).
 */
#ifndef TT_TP_RECORD_H
#define TT_TP_RECORD_H

#include "kconst.h"
#include "maps.h"

#define rec_u16(rec, off) (*(const __u16 *)((rec) + (off)))
#define rec_s32(rec, off) (*(const __s32 *)((rec) + (off)))
#define rec_u64(rec, off) (*(const __u64 *)((rec) + (off)))

/* Address arrays have 1-byte alignment in the record: copy bytewise. */
static __always_inline void rec_copy(__u8 *dst, const __u8 *rec, __u64 off,
				     int len)
{
#pragma unroll
	for (int i = 0; i < 16; i++)
		if (i < len)
			dst[i] = rec[off + i];
}

static __always_inline int is_v4_mapped(const __u8 *a)
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return 0;
	return a[10] == 0xff && a[11] == 0xff;
}

/*
 * Fill a tuple from a record that has the sock tracepoints' address
 * fields. Should a layout lack `family`, the kernel's habit of storing
 * IPv4 as v4-mapped IPv6 in saddr_v6 tells the family.
 */
#define REC_READ_TUPLE(rec, t, P)                                           \
	do {                                                                \
		__builtin_memset((t), 0, sizeof(*(t)));                     \
		(t)->sport = rec_u16(rec, KCONST(P##_sport));               \
		(t)->dport = rec_u16(rec, KCONST(P##_dport));               \
		if (KCONST(P##_family) != TT_ABSENT) {                      \
			(t)->family = rec_u16(rec, KCONST(P##_family));     \
		} else {                                                    \
			__u8 v6_[16];                                       \
			rec_copy(v6_, rec, KCONST(P##_saddr_v6), 16);       \
			(t)->family = is_v4_mapped(v6_) ? AF_INET : AF_INET6; \
		}                                                           \
		if ((t)->family == AF_INET) {                               \
			rec_copy((t)->saddr, rec, KCONST(P##_saddr), 4);    \
			rec_copy((t)->daddr, rec, KCONST(P##_daddr), 4);    \
		} else {                                                    \
			rec_copy((t)->saddr, rec, KCONST(P##_saddr_v6), 16); \
			rec_copy((t)->daddr, rec, KCONST(P##_daddr_v6), 16); \
		}                                                           \
	} while (0)

/* The sock tracepoints fire for DCCP, SCTP and MPTCP too. `protocol` was
 * a __u8 until 5.6 and is a __u16 since. */
#define REC_IS_TCP(rec, P)                                                  \
	(KCONST(P##_protocol) == TT_ABSENT ||                               \
	 (KCONST(P##_protocol_size) == 1                                    \
		  ? (rec)[KCONST(P##_protocol)] == IPPROTO_TCP               \
		  : rec_u16(rec, KCONST(P##_protocol)) == IPPROTO_TCP))

#endif
