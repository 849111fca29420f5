/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel filter (include/tt_filter.h): does an event about to be
 * sent pass the tests user space wrote into the filter map?
 *
 * filter_passes() is plain C on a struct tt_filter and a struct
 * tt_event, so that tests/unit/bpf/ runs it natively; the programs call
 * it through kernel_filter_passes(), which adds the map and the
 * constant. Its loop runs once per test in use; the verifier walks it
 * as many times, so each test is computed without a branch (one would
 * double the paths to verify per test): numbers, masks and the
 * comparison's outcome are arithmetic, hidden from the compiler where
 * it would make comparisons (branches, in BPF) of them.
 */
#ifndef TT_BPF_FILTER_H
#define TT_BPF_FILTER_H

#include "trace_tcp.h"
#include "tt_filter.h"

#define FILTER_INLINE static inline __attribute__((always_inline))

#ifdef __bpf__
#define FILTER_OPAQUE(v) asm volatile("" : "+r"(v))
#define FILTER_NO_UNROLL _Pragma("clang loop unroll(disable)")
#else
#define FILTER_OPAQUE(v) ((void)0)
#define FILTER_NO_UNROLL
#endif

/* Eight bytes of a byte array that is 8-byte aligned (the event's comm
 * and addresses, a test's bytes and mask). */
typedef __u64 __attribute__((may_alias)) filter_word;

FILTER_INLINE __u64 filter_word_at(const void *p, unsigned int i)
{
	return ((const filter_word *)p)[i];
}

/* v's top bit, 0 or 1. */
FILTER_INLINE __u64 filter_top_bit(__u64 v)
{
	FILTER_OPAQUE(v);
	return v >> 63;
}

/* 1 if v is 0, else 0. */
FILTER_INLINE __u64 filter_is_zero(__u64 v)
{
	return filter_top_bit(v | (0 - v)) ^ 1;
}

/* All ones if bit (0 or 1) is 1, else 0. */
FILTER_INLINE __u64 filter_mask(__u64 bit)
{
	__u64 m = 0 - bit;

	FILTER_OPAQUE(m);
	return m;
}

/* 1 if a < b as signed 64-bit numbers: the sign of a - b, corrected
 * where the subtraction overflowed. */
FILTER_INLINE __u64 filter_less(__u64 a, __u64 b)
{
	__u64 d = a - b;

	return filter_top_bit(d ^ ((a ^ b) & (a ^ d)));
}

/* A bit per enum tt_filter_field. */
#define FILTER_BIT(field) (1ULL << (field))
#define FILTER_BYTE_FIELDS                                             \
	(FILTER_BIT(TT_FF_COMM) | FILTER_BIT(TT_FF_SADDR) |             \
	 FILTER_BIT(TT_FF_DADDR))
#define FILTER_KNOWN_FIELDS                                            \
	(FILTER_BIT(TT_FF_DADDR + 1) - FILTER_BIT(TT_FF_PID))

/* All ones if reads (the test's field as a FILTER_BIT) is field's bit,
 * else 0. */
FILTER_INLINE __u64 filter_is(__u64 reads, enum tt_filter_field field)
{
	return filter_mask(reads >> field & 1);
}

/*
 * Which comparisons hold for each outcome: a nibble per enum
 * tt_filter_op from TT_FOP_EQ, its bit n set when the op holds at
 * outcome n (0 less, 1 equal, 2 greater). EQ 010, LT 001, LE 011,
 * GT 100, GE 110; an op past GE holds at none.
 */
#define FILTER_OP_TABLE 0x64312ULL

/* Does the number compare with the test's value as its op says? */
FILTER_INLINE __u64 filter_compare(const struct tt_filter_test *t,
				   __u64 number)
{
	__u64 value = (__u64)t->value;
	__u64 op = t->op;
	__u64 outcome = 2 - 2 * filter_less(number, value) -
			filter_is_zero(number ^ value);

	/* ops from 8 on: past the table, so none */
	return FILTER_OP_TABLE >> ((op & 7) * 4 + outcome) & 1 &
	       filter_is_zero(op >> 3);
}

/*
 * Does one test hold for e? A number field compares its value; comm
 * matches when (comm & mask) == bytes; an address when the event's
 * family equals value and (address & mask) == bytes. A field this
 * code does not know never holds. Each field's share is taken in turn,
 * so that few values are live at once (BPF has few registers).
 */
FILTER_INLINE __u64 filter_test_holds(const struct tt_filter_test *t,
				      const struct tt_event *e)
{
	__u64 reads = FILTER_BIT(t->field & 63);
	__u64 number, word0, word1, differ, m;

	FILTER_OPAQUE(reads);
	number = filter_is(reads, TT_FF_PID) & e->pid;
	number |= filter_is(reads, TT_FF_TID) & e->tid;
	number |= filter_is(reads, TT_FF_UID) & e->uid;
	number |= filter_is(reads, TT_FF_GID) & e->gid;
	number |= filter_is(reads, TT_FF_TYPE) & e->type;
	number |= filter_is(reads, TT_FF_ERROR) & (__u64)(__s64)e->error;
	number |= filter_is(reads, TT_FF_SPORT) & e->sport;
	number |= filter_is(reads, TT_FF_DPORT) & e->dport;
	/* The bytes, as two words; comm has no number (its op is EQ): the
	 * test's own value stands for it, an address's family for one. */
	m = filter_is(reads, TT_FF_COMM);
	number |= m & (__u64)t->value;
	word0 = m & filter_word_at(e->comm, 0);
	word1 = m & filter_word_at(e->comm, 1);
	m = filter_is(reads, TT_FF_SADDR);
	number |= m & e->family;
	word0 |= m & filter_word_at(e->saddr, 0);
	word1 |= m & filter_word_at(e->saddr, 1);
	m = filter_is(reads, TT_FF_DADDR);
	number |= m & e->family;
	word0 |= m & filter_word_at(e->daddr, 0);
	word1 |= m & filter_word_at(e->daddr, 1);
	/* 0 when the bytes match (always, for a number) */
	differ = ((word0 & filter_word_at(t->mask, 0)) ^
		  filter_word_at(t->bytes, 0)) |
		 ((word1 & filter_word_at(t->mask, 1)) ^
		  filter_word_at(t->bytes, 1));
	differ &= filter_mask(filter_is_zero(reads & FILTER_BYTE_FIELDS) ^ 1);
	return filter_compare(t, number) & filter_is_zero(differ) &
	       (filter_is_zero(reads & FILTER_KNOWN_FIELDS) ^ 1);
}

/*
 * Does e pass the first ntests tests of f (at most TT_FILTER_TESTS)?
 * Every group must hold: one of its tests, or with TT_FTEST_NEGATE on
 * its last, none. Tests after the last group's end are ignored (the
 * loader ends every filter with one). Always the whole loop, no early
 * exit: one more way out of it would be one more path to verify.
 */
FILTER_INLINE int filter_passes(const struct tt_filter *f, __u64 ntests,
				const struct tt_event *e)
{
	__u64 n = ntests < TT_FILTER_TESTS ? ntests : TT_FILTER_TESTS;
	__u64 all = 1, any = 0;

	FILTER_NO_UNROLL
	for (__u32 i = 0; i < n; i++) {
		const struct tt_filter_test *t = &f->tests[i];
		__u64 open = (t->flags & TT_FTEST_GROUP_END) ^ 1;
		__u64 negate = (t->flags & TT_FTEST_NEGATE) >> 1;

		any |= filter_test_holds(t, e);
		all &= (any ^ negate) | open;
		any &= open;
	}
	return (int)all;
}

#ifdef __bpf__
#include "kconst.h"
#include "maps.h"

/* --pid, --uid, --comm..., the kernel's share of -F: 1 when there is no
 * filter, decided at load (no code for it then). One map lookup for
 * the whole filter. */
static __always_inline int kernel_filter_passes(const struct tt_event *e)
{
	__u64 ntests = KCONST(tt_k_filter_tests);
	const struct tt_filter *f;
	__u32 zero;

	if (__builtin_expect(!ntests, 1))
		return 1;
	zero = 0;
	f = bpf_map_lookup_elem(&filter, &zero);
	/* an array's only entry is always there: pass, never drop */
	return !f || filter_passes(f, ntests, e);
}
#endif

#endif
