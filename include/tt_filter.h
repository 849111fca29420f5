/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel filter: the share of --pid, --tid, --uid, --gid, --comm
 * and -F the programs decide before an event reaches the ring (bpf/
 * filter.h), written by the loader into the filter map (one entry).
 *
 * An event is sent when every group holds. A group is a run of tests
 * ending with one flagged TT_FTEST_GROUP_END; it holds when any of its
 * tests does, or, flagged TT_FTEST_NEGATE, when none does. So
 * "--pid 1,2" is one group of two tests, "-F pid!=7" one negated group,
 * and an IPv4 CIDR one group of two tests: the IPv4 event, and the IPv6
 * event with that address v4-mapped.
 */
#ifndef TT_FILTER_H
#define TT_FILTER_H

#include <linux/types.h>

#define TT_FILTER_TESTS 32

/* What a test reads from struct tt_event. */
enum tt_filter_field {
	TT_FF_PID = 1,		/* numbers, in value */
	TT_FF_TID,
	TT_FF_UID,
	TT_FF_GID,
	TT_FF_TYPE,		/* enum tt_event_type */
	TT_FF_ERROR,		/* tt_event.error, signed */
	TT_FF_SPORT,
	TT_FF_DPORT,
	TT_FF_COMM,		/* bytes: (comm & mask) == bytes */
	TT_FF_SADDR,		/* bytes, and family == value (4 or 6) */
	TT_FF_DADDR,
};

/* How a number compares with value (signed 64-bit). Bytes take EQ only. */
enum tt_filter_op {
	TT_FOP_EQ = 0,
	TT_FOP_LT,
	TT_FOP_LE,
	TT_FOP_GT,
	TT_FOP_GE,
};

/* tt_filter_test.flags */
#define TT_FTEST_GROUP_END (1 << 0)	/* the last test of its group */
#define TT_FTEST_NEGATE (1 << 1)	/* on the last test: the group holds
					 * when none of its tests does */

struct tt_filter_test {
	__u8 field;		/* enum tt_filter_field */
	__u8 op;		/* enum tt_filter_op */
	__u8 flags;		/* TT_FTEST_* */
	__u8 pad[5];
	__s64 value;
	__u8 bytes[16];
	__u8 mask[16];
};

/* The filter map's one value; the loader passes the number of tests in
 * use as the load-time constant tt_k_filter_tests (0: no filter, and no
 * code for one). */
struct tt_filter {
	struct tt_filter_test tests[TT_FILTER_TESTS];
};

_Static_assert(sizeof(struct tt_filter_test) == 48, "48-byte filter tests");

#endif
