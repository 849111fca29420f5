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

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else {
			report_bad_line(out, name, &bad, number, "truncated (no newline)");
			continue;
		}
		if ((size_t)len != strlen(line))
			problem = "NUL byte in line";
		else if (len == 0)
			problem = "empty line";
		else if (len > EVENT_LINE_MAX)
			problem = "line too long";
		else
			problem = parse_event(line, (size_t)len, &ev);
		if (problem) {
			snprintf(why, sizeof why, "malformed JSON: %s", problem);
			report_bad_line(out, name, &bad, number, why);
			continue;
		}
		if ((problem = schema_problem(&ev, why, sizeof why)) != NULL) {
			char msg[200];

			snprintf(msg, sizeof msg, "bad event: %s", problem);
			report_bad_line(out, name, &bad, number, msg);
		}
		events_append(list, &ev);
	}
	free(line);
	fclose(f);
	if (bad > REPORT_BAD_LINES_MAX)
		fprintf(out, "FAIL: %s: %d more bad lines\n", name, bad - REPORT_BAD_LINES_MAX);
	return bad;
}
