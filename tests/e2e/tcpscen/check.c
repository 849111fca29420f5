// SPDX-License-Identifier: GPL-2.0-only
/* Expectations against events (see check.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common.h"
#include "events.h"
#include "plan.h"

#define DUMP_EVENTS_MAX 40

/* An integer in decimal, all of s; 0 if s is not one. */
static int whole_integer(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return end != s && !*end && !errno;
}

/* Is alt a range LO..HI of integers? Then into *lo and *hi. */
static int range_of(const char *alt, long long *lo, long long *hi)
{
	const char *dots = strstr(alt, "..");
	char low[32];

	if (!dots || (size_t)(dots - alt) >= sizeof low)
		return 0;
	memcpy(low, alt, (size_t)(dots - alt));
	low[dots - alt] = '\0';
	return whole_integer(low, lo) && whole_integer(dots + 2, hi);
}

/* Does value fit alternative alt: <absent>, a range LO..HI (an integer
 * value, both ends included), or else the same text? */
static int alt_matches(const char *alt, const char *value)
{
	long long lo, hi, v;

	if (!strcmp(alt, ABSENT))
		return value == NULL;
	if (!value)
		return 0;
	if (range_of(alt, &lo, &hi))
		return whole_integer(value, &v) && lo <= v && v <= hi;
	return !strcmp(value, alt);
}

static int pair_matches(const struct pair *pr, const struct event *ev)
{
	const char *value = event_get(ev, pr->key);
	int i, hit = 0;

	for (i = 0; i < pr->n_alts && !hit; i++)
		hit = alt_matches(pr->alts[i], value);
	return pr->negate ? !hit : hit;
}

static int rule_matches(const struct rule *r, const struct event *ev)
{
	int i;

	for (i = 0; i < r->n_pairs; i++)
		if (!pair_matches(&r->pairs[i], ev))
			return 0;
	return 1;
}

/* An event is in a group's scope if it matches any of its scope lines
 * (every event, if it has none). */
static int in_scope(const struct rule_group *g, const struct event *ev)
{
	int i, scoped = 0;

	for (i = 0; i < g->n_rules; i++) {
		if (g->rules[i].kind != RULE_SCOPE)
			continue;
		if (rule_matches(&g->rules[i], ev))
			return 1;
		scoped = 1;
	}
	return !scoped;
}

static long count_matching(const struct rule *r, const struct event_list *evs)
{
	long n = 0;
	int i;

	for (i = 0; i < evs->n; i++)
		n += rule_matches(r, &evs->v[i]);
	return n;
}

static long count_misplaced(const struct rule_group *g, const struct rule *r,
			    const struct event_list *evs)
{
	long n = 0;
	int i;

	for (i = 0; i < evs->n; i++)
		n += in_scope(g, &evs->v[i]) && !rule_matches(r, &evs->v[i]);
	return n;
}

/* Adds the proc.pid alternatives of r to pids (positive pairs only). */
static void collect_pids(const struct rule *r, const char **pids, int *n, int max)
{
	int i, j;

	for (i = 0; i < r->n_pairs; i++)
		if (!r->pairs[i].negate && !strcmp(r->pairs[i].key, "proc.pid"))
			for (j = 0; j < r->pairs[i].n_alts && *n < max; j++)
				pids[(*n)++] = r->pairs[i].alts[j];
}

/* To help debugging: the events of the processes the failing line is about. */
static void dump_related(const struct rule_group *g, const struct rule *r,
			 const struct event_list *evs, FILE *dbg)
{
	const char *pids[32];
	int n = 0, i, j, shown = 0;

	if (!dbg)
		return;
	collect_pids(r, pids, &n, 32);
	for (i = 0; i < g->n_rules && n == 0; i++)
		if (g->rules[i].kind == RULE_SCOPE)
			collect_pids(&g->rules[i], pids, &n, 32);
	if (n == 0)
		return;
	fprintf(dbg, "  %s: events of pid", g->name);
	for (i = 0; i < n; i++)
		fprintf(dbg, "%s%s", i ? "|" : " ", pids[i]);
	fprintf(dbg, ":\n");
	for (i = 0; i < evs->n && shown < DUMP_EVENTS_MAX; i++) {
		const char *pid = event_get(&evs->v[i], "proc.pid");

		for (j = 0; pid && j < n; j++)
			if (!strcmp(pid, pids[j])) {
				fprintf(dbg, "  line %d: %s\n", evs->v[i].line, evs->v[i].raw);
				shown++;
				break;
			}
	}
	if (shown == 0)
		fprintf(dbg, "  (none at all)\n");
}

/* Prints PASS/FAIL for one group; returns 1 if it failed. */
static int evaluate_group(const struct rule_group *g, const struct event_list *evs, FILE *out,
			  FILE *dbg)
{
	int i, checked = 0;

	for (i = 0; i < g->n_rules; i++) {
		const struct rule *r = &g->rules[i];
		long n;

		switch (r->kind) {
		case RULE_SCOPE:
			continue;
		case RULE_EXPECT_FAIL:
			fprintf(out, "FAIL: %s: %s\n", g->name, r->text);
			return 1;
		case RULE_EXPECT:
			n = count_matching(r, evs);
			if (n != r->count) {
				fprintf(out, "FAIL: %s: %s matched %ld\n", g->name, r->text, n);
				dump_related(g, r, evs, dbg);
				return 1;
			}
			break;
		case RULE_EXPECT_ONLY:
			n = count_misplaced(g, r, evs);
			if (n != 0) {
				fprintf(out, "FAIL: %s: %s: %ld event(s) in scope do not match\n",
					g->name, r->text, n);
				dump_related(g, r, evs, dbg);
				return 1;
			}
			break;
		}
		checked++;
	}
	if (checked == 0) {
		fprintf(out, "FAIL: %s: no expectations\n", g->name);
		return 1;
	}
	fprintf(out, "PASS: %s\n", g->name);
	return 0;
}

/* The whole check; returns the number of FAIL lines printed. */
int check_files(const char *expect_path, const char *events_path, const char *tag,
		FILE *out, FILE *dbg)
{
	struct event_list evs = { .n = 0 };
	struct plan plan = { .n = 0 };
	char name[160];
	int failures, bad, i;

	snprintf(name, sizeof name, "events-format%s%s", tag ? "/" : "", tag ? tag : "");
	failures = load_plan(expect_path, &plan, out);
	bad = load_events(events_path, &evs, name, out);
	if (bad == 0)
		fprintf(out, "PASS: %s\n", name);
	failures += bad < REPORT_BAD_LINES_MAX ? bad : REPORT_BAD_LINES_MAX + 1;
	if (dbg)
		fprintf(dbg, "tcpscen check: %d events, %d scenario(s)\n", evs.n, plan.n);
	if (plan.n == 0) {
		fprintf(out, "FAIL: expectations: no scenarios\n");
		failures++;
	}
	for (i = 0; i < plan.n; i++)
		failures += evaluate_group(&plan.groups[i], &evs, out, dbg);
	free_plan(&plan);
	free_events(&evs);
	return failures;
}

int cmd_check(int argc, char **argv)
{
	const char *tag = NULL;

	if (argc >= 2 && !strcmp(argv[0], "--tag")) {
		tag = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE\n");
		return 2;
	}
	return check_files(argv[0], argv[1], tag, stdout, stderr) ? 1 : 0;
}
