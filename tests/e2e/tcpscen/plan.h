/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The expectation file: groups of rules, one group per "# scenario NAME"
 * (the grammar is in tests/e2e/README.md).
 */
#ifndef TCPSCEN_PLAN_H
#define TCPSCEN_PLAN_H

#include <stdio.h>

#define RULE_PAIRS_MAX 32
#define PAIR_ALTS_MAX 16

enum rule_kind { RULE_EXPECT, RULE_EXPECT_ONLY, RULE_SCOPE, RULE_EXPECT_FAIL };

struct pair {
	const char *key;
	int negate;		/* key!=... */
	int n_alts;
	const char *alts[PAIR_ALTS_MAX];
};

struct rule {
	enum rule_kind kind;
	long count;
	int n_pairs;
	struct pair pairs[RULE_PAIRS_MAX];
	char *text;		/* the line, whitespace normalised */
	char *storage;		/* tokens point in here */
};

struct rule_group {
	char *name;
	struct rule *rules;
	int n_rules, cap;
};

struct plan {
	struct rule_group *groups;
	int n, cap;
};

int load_plan(const char *path, struct plan *plan, FILE *out);
void free_plan(struct plan *plan);

#endif
