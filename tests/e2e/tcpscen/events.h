/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checker's events: trace_tcp's JSON lines, each flattened to dotted
 * keys ("proc.creds.uid") and checked against the shape the tracer
 * promises.
 */
#ifndef TCPSCEN_EVENTS_H
#define TCPSCEN_EVENTS_H

#include <stddef.h>
#include <stdio.h>

#define REPORT_BAD_LINES_MAX 20

struct field {
	const char *key;	/* dotted path, e.g. "proc.creds.uid" */
	const char *value;	/* decoded string, or the integer's text */
	int is_string;
};

struct event {
	int line;
	char *raw;
	int n_fields;
	struct field *fields;
	char *pool;
};

struct event_list {
	struct event *v;
	int n, cap;
};

const char *parse_event(const char *line, size_t len, struct event *ev);
const struct field *event_field(const struct event *ev, const char *key);
const char *event_get(const struct event *ev, const char *key);
const char *schema_problem(const struct event *ev, char *buf, size_t cap);
int load_events(const char *path, struct event_list *list, const char *name,
		FILE *out);
void free_events(struct event_list *list);

#endif
