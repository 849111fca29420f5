/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The filter map (bpf/filter.h): the in-kernel filter user space
 * compiled (include/tt_filter.h), checked and written before the
 * programs are attached.
 */
#ifndef TT_LOAD_KERNEL_FILTER_H
#define TT_LOAD_KERNEL_FILTER_H

#include "common/err.h"
#include "tt_filter.h"

/* Are the first ntests tests of f what the programs can evaluate: at
 * most TT_FILTER_TESTS, known fields and ops, EQ for comm and
 * addresses, an address's family 4 or 6, the last test ending a
 * group? 0, or -1 with err. */
int kernel_filter_check(const struct tt_filter *f, unsigned int ntests,
			struct tt_err *err);

/* Write the first ntests tests of f, the rest zeroed, into the filter
 * map's one entry. 0, or -1 with err. */
int kernel_filter_write(int map_fd, const struct tt_filter *f,
			unsigned int ntests, struct tt_err *err);

#endif
