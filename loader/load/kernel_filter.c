// SPDX-License-Identifier: GPL-2.0-only
/* The filter map (see kernel_filter.h). */
#include "load/kernel_filter.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/bpf_syscall.h"

static int is_bytes_field(unsigned int field)
{
	return field == TT_FF_COMM || field == TT_FF_SADDR ||
	       field == TT_FF_DADDR;
}

static int check_test(const struct tt_filter_test *t, unsigned int i,
		      struct tt_err *err)
{
	int address = t->field == TT_FF_SADDR || t->field == TT_FF_DADDR;

	if (t->field < TT_FF_PID || t->field > TT_FF_DADDR)
		return tt_fail(err, "in-kernel filter test %u: unknown "
			       "field %u", i, t->field);
	if (t->op > TT_FOP_GE ||
	    (is_bytes_field(t->field) && t->op != TT_FOP_EQ))
		return tt_fail(err, "in-kernel filter test %u: field %u "
			       "cannot take op %u", i, t->field, t->op);
	if (address && t->value != 4 && t->value != 6)
		return tt_fail(err, "in-kernel filter test %u: address "
			       "family %lld is neither 4 nor 6", i,
			       (long long)t->value);
	return 0;
}

int kernel_filter_check(const struct tt_filter *f, unsigned int ntests,
			struct tt_err *err)
{
	if (!ntests)
		return 0;
	if (ntests > TT_FILTER_TESTS)
		return tt_fail(err, "the in-kernel filter needs %u tests, "
			       "at most %d fit: give fewer --pid, --uid, "
			       "--comm... values or -F rules", ntests,
			       TT_FILTER_TESTS);
	if (!f)
		return tt_fail(err, "in-kernel filter of %u tests given "
			       "without its tests", ntests);
	for (unsigned int i = 0; i < ntests; i++)
		if (check_test(&f->tests[i], i, err))
			return -1;
	if (!(f->tests[ntests - 1].flags & TT_FTEST_GROUP_END))
		return tt_fail(err, "in-kernel filter: its last test, %u, "
			       "does not end a group", ntests - 1);
	return 0;
}

int kernel_filter_write(int map_fd, const struct tt_filter *f,
			unsigned int ntests, struct tt_err *err)
{
	static struct tt_filter value;
	uint32_t zero = 0;

	memset(&value, 0, sizeof(value));
	memcpy(value.tests, f->tests, ntests * sizeof(value.tests[0]));
	if (bpf_map_update(map_fd, &zero, &value, 0))
		return tt_fail(err, "cannot write the in-kernel filter: %s",
			       strerror(errno));
	return 0;
}
