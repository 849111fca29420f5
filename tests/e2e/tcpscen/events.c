// SPDX-License-Identifier: GPL-2.0-only
/* Reading an events file, line by line. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "events.h"

#define EVENT_LINE_MAX 4096

void free_events(struct event_list *list)
{
	int i;

	for (i = 0; i < list->n; i++) {
		free(list->v[i].raw);
		free(list->v[i].fields);
		free(list->v[i].pool);
	}
	free(list->v);
	memset(list, 0, sizeof *list);
}

static void events_append(struct event_list *list, const struct event *ev)
{
	if (list->n == list->cap) {
		int cap = list->cap ? list->cap * 2 : 64;
		struct event *v = realloc(list->v, sizeof *v * cap);

		if (!v)
			die("realloc");
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *ev;
}

static void report_bad_line(FILE *out, const char *name, int *bad, int line,
			    const char *why)
{
	if (++*bad <= REPORT_BAD_LINES_MAX)
		fprintf(out, "FAIL: %s: line %d: %s\n", name, line, why);
}

/* The event on one line (its newline removed): NULL, or why it is malformed. */
static const char *parse_line(const char *line, size_t len, struct event *ev)
{
	if (len != strlen(line))
		return "NUL byte in line";
	if (len == 0)
		return "empty line";
	if (len > EVENT_LINE_MAX)
		return "line too long";
	return parse_event(line, len, ev);
}

static void check_shape(const struct event *ev, const char *name, int *bad,
			FILE *out)
{
	char why[160], msg[200];
	const char *problem = schema_problem(ev, why, sizeof why);

	if (problem) {
		snprintf(msg, sizeof msg, "bad event: %s", problem);
		report_bad_line(out, name, bad, ev->line, msg);
	}
}

/* Reads every line of path; returns the number of bad lines (reported). */
int load_events(const char *path, struct event_list *list, const char *name,
		FILE *out)
{
	char *line = NULL, why[160];
	size_t cap = 0;
	ssize_t len;
	int number = 0, bad = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(out, "FAIL: %s: cannot open %s: %s\n", name, path, strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct event ev = { .line = ++number };
		const char *problem;

		if (len == 0 || line[len - 1] != '\n') {
			report_bad_line(out, name, &bad, number, "truncated (no newline)");
			continue;
		}
		line[--len] = '\0';
		problem = parse_line(line, (size_t)len, &ev);
		if (problem) {
			snprintf(why, sizeof why, "malformed JSON: %s", problem);
			report_bad_line(out, name, &bad, number, why);
			continue;
		}
		check_shape(&ev, name, &bad, out);
		events_append(list, &ev);
	}
	free(line);
	fclose(f);
	if (bad > REPORT_BAD_LINES_MAX)
		fprintf(out, "FAIL: %s: %d more bad lines\n", name, bad - REPORT_BAD_LINES_MAX);
	return bad;
}
