/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver's output: the expectation lines a scenario emits while it
 * runs, printed at its end under "# scenario LABEL", after the scope of
 * the processes it created and the lines its filters imply.
 */
#ifndef TCPSCEN_REPORT_H
#define TCPSCEN_REPORT_H

#include <stddef.h>

void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void setup_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void scope_add_pid(int pid);
void print_expectations(void);
void set_label(const char *name);
void on_watchdog(int sig);

/* key=value pairs of one expectation line */
struct pairs {
	char text[1024];
	size_t len;
};

void pairs_add(struct pairs *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum outcome { SUCCESS, FAILURE };

void expect_events(int count, const char *type, enum outcome outcome,
		   const struct pairs *p);

#endif
