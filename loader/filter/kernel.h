/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel filter's share of the rules (include/tt_filter.h): each
 * rule on a field the programs read (field_table's kernel member) with
 * an operator they evaluate becomes one group of tests:
 *
 *   numbers (pid, tid, uid, gid, src.port, dst.port), type, error:
 *     ==, a list: one EQ test per value; != the same group negated;
 *     <, <=, >, >=: one test
 *   comm == and != (lists too): (comm & mask) == bytes over the value
 *     and its NUL; a value of 16 bytes or more stays in user space
 *   src.addr, dst.addr == and !=: the network as IPv6 on a family 6
 *     event, and, where it holds IPv4 addresses (::ffff:0:0/96), the
 *     IPv4 part on a family 4 event (IPv4 in the first 4 bytes): an
 *     IPv4 rule is two tests, a.b.c.d/N and ::ffff:a.b.c.d/96+N
 *
 * Regular expressions, container fields and the rest stay in user space
 * (filter_match), and so does any rule whose tests no longer fit in the
 * TT_FILTER_TESTS of the map: the verdict is the same either way.
 */
#ifndef TT_FILTER_KERNEL_H
#define TT_FILTER_KERNEL_H

#include "filter/rules.h"
#include "tt_filter.h"

/* Fill *kf (all of it: unused tests zero) with the tests of the rules
 * the kernel can judge, in rule order, and mark those rules in_kernel.
 * Returns the number of tests in use (the constant tt_k_filter_tests),
 * 0 for none. Never fails. */
unsigned int filter_compile_kernel(struct filter *f, struct tt_filter *kf);

#endif
