/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Judging an event in user space by the rules of rules.h: those the
 * in-kernel filter does not (filter/kernel.h), or all of them.
 */
#ifndef TT_FILTER_MATCH_H
#define TT_FILTER_MATCH_H

#include "filter/rules.h"
#include "output/field_table.h"

/* Do the rules the kernel does not judge all hold for the event? 1 or
 * 0. No allocation; regular expressions were compiled by rules.c. */
int filter_match(const struct filter *f, const struct field_event *fe);

/* Do all the rules hold, the kernel's share included? */
int filter_match_all(const struct filter *f, const struct field_event *fe);

/* How many rules filter_match judges: 0, and it need not be called. */
unsigned int filter_user_rules(const struct filter *f);

#endif
