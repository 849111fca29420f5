// SPDX-License-Identifier: GPL-2.0-only
/* Reading the expectation file (see plan.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "plan.h"

static int key_ok(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (!isalnum((unsigned char)*key) && *key != '_' && *key != '.')
			return 0;
	return 1;
}

static const char *parse_pair(char *token, struct pair *pr)
{
	char *eq = strchr(token, '='), *value;

	if (!eq || eq == token)
		return "expected key=value";
	pr->negate = eq[-1] == '!';
	(pr->negate ? eq - 1 : eq)[0] = '\0';
	pr->key = token;
	if (!key_ok(pr->key))
		return "bad key";
	value = eq + 1;
	pr->n_alts = 0;
	for (;;) {
		char *bar = strchr(value, '|');

		if (pr->n_alts == PAIR_ALTS_MAX)
			return "too many alternatives";
		if (bar)
			*bar = '\0';
		pr->alts[pr->n_alts++] = value;
		if (!bar)
			return NULL;
		value = bar + 1;
	}
}

static const char *parse_count(const char *token, long *count)
{
	char *end;

	if (!token || !isdigit((unsigned char)token[0]))
		return "expected a count";
	*count = strtol(token, &end, 10);
	if (*end || *count > 1000000)
		return "bad count";
	return NULL;
}

/* Fills r from one directive line; NULL on success, else why not. */
static const char *parse_rule(const char *line, struct rule *r)
{
	char *save = NULL, *token, *p;
	const char *why;
	size_t n = 0;

	memset(r, 0, sizeof *r);
	r->text = malloc(strlen(line) + 1);
	r->storage = strdup(line);
	if (!r->text || !r->storage)
		die("malloc");
	for (p = r->storage, token = strtok_r(p, " \t", &save); token;
	     token = strtok_r(NULL, " \t", &save))
		n += (size_t)sprintf(r->text + n, "%s%s", n ? " " : "", token);
	r->text[n] = '\0';
	strcpy(r->storage, r->text);

	token = strtok_r(r->storage, " ", &save);
	if (!strcmp(token, "expect-fail")) {
		r->kind = RULE_EXPECT_FAIL;
		return NULL;
	}
	if (!strcmp(token, "expect")) {
		r->kind = RULE_EXPECT;
		if ((why = parse_count(strtok_r(NULL, " ", &save), &r->count)))
			return why;
	} else if (!strcmp(token, "expect-only")) {
		r->kind = RULE_EXPECT_ONLY;
	} else if (!strcmp(token, "scope")) {
		r->kind = RULE_SCOPE;
	} else {
		return "unknown directive";
	}
	while ((token = strtok_r(NULL, " ", &save))) {
		if (r->n_pairs == RULE_PAIRS_MAX)
			return "too many pairs";
		if ((why = parse_pair(token, &r->pairs[r->n_pairs++])))
			return why;
	}
	if (r->kind != RULE_EXPECT && r->n_pairs == 0)
		return "needs at least one key=value";
	return NULL;
}

static void free_rule(struct rule *r)
{
	free(r->text);
	free(r->storage);
}

static struct rule_group *plan_group(struct plan *plan, const char *name)
{
	struct rule_group *g;
	int i;

	for (i = 0; i < plan->n; i++)
		if (!strcmp(plan->groups[i].name, name))
			return &plan->groups[i];
	if (plan->n == plan->cap) {
		int cap = plan->cap ? plan->cap * 2 : 16;
		struct rule_group *v = realloc(plan->groups, sizeof *v * cap);

		if (!v)
			die("realloc");
		plan->groups = v;
		plan->cap = cap;
	}
	g = &plan->groups[plan->n++];
	memset(g, 0, sizeof *g);
	g->name = strdup(name);
	if (!g->name)
		die("strdup");
	return g;
}

static void group_add(struct rule_group *g, const struct rule *r)
{
	if (g->n_rules == g->cap) {
		int cap = g->cap ? g->cap * 2 : 16;
		struct rule *v = realloc(g->rules, sizeof *v * cap);

		if (!v)
			die("realloc");
		g->rules = v;
		g->cap = cap;
	}
	g->rules[g->n_rules++] = *r;
}

void free_plan(struct plan *plan)
{
	int i, j;

	for (i = 0; i < plan->n; i++) {
		for (j = 0; j < plan->groups[i].n_rules; j++)
			free_rule(&plan->groups[i].rules[j]);
		free(plan->groups[i].rules);
		free(plan->groups[i].name);
	}
	free(plan->groups);
	memset(plan, 0, sizeof *plan);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
			   end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Reads the expectation file; returns the number of bad lines (reported). */
int load_plan(const char *path, struct plan *plan, FILE *out)
{
	char *line = NULL, *text;
	struct rule_group *current = NULL;
	size_t cap = 0;
	int number = 0, bad = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(out, "FAIL: expectations: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (getline(&line, &cap, f) >= 0) {
		struct rule r;
		const char *why;

		number++;
		text = trim(line);
		if (!*text)
			continue;
		if (!strncmp(text, "# scenario ", 11) && *trim(text + 11)) {
			current = plan_group(plan, trim(text + 11));
			continue;
		}
		if (*text == '#')
			continue;
		why = parse_rule(text, &r);
		if (why) {
			fprintf(out, "FAIL: expectations: line %d: %s: %s\n", number, why, text);
			free_rule(&r);
			bad++;
			continue;
		}
		if (!current)
			current = plan_group(plan, "(no scenario)");
		group_add(current, &r);
	}
	free(line);
	fclose(f);
	return bad;
}
