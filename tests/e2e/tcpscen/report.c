// SPDX-License-Identifier: GPL-2.0-only
/* The driver's output (see report.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "report.h"

static char out_text[32768];	/* expectation lines, printed at the end */
static size_t out_len;
static int scope_pids[8];	/* the processes this scenario created */
static int n_scope_pids;

void emit(const char *fmt, ...)
{
	size_t room = sizeof out_text - out_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out_text + out_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > room) {
		errno = ENOBUFS;
		die("expectation buffer full");
	}
	out_len += n;
	out_text[out_len++] = '\n';
	out_text[out_len] = '\0';
}

/* The scenario could not provoke what it tests: never let it pass. */
void setup_failed(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	emit("# setup-failed: %s", why);
	emit("expect-fail setup: %s", why);
}

void scope_add_pid(int pid)
{
	if (n_scope_pids < (int)(sizeof scope_pids / sizeof scope_pids[0]))
		scope_pids[n_scope_pids++] = pid;
}

void print_expectations(void)
{
	int i;

	printf("# scenario %s\n", label);
	if (n_scope_pids > 0) {
		printf("scope proc.pid=");
		for (i = 0; i < n_scope_pids; i++)
			printf("%s%d", i ? "|" : "", scope_pids[i]);
		printf("\n");
		if (filters & TT_ONLY_CONNECT)
			printf("expect-only type=connect\n");
		if (filters & TT_ONLY_ACCEPT)
			printf("expect-only type=accept\n");
		if (filters & TT_ONLY_FAILURE)
			printf("expect-only error!=\n");
	}
	fputs(out_text, stdout);
	fflush(stdout);
}

void set_label(const char *name)
{
	snprintf(label, sizeof label, "%s%s%s%s%s", name,
		 filters ? "/" : "",
		 filters & TT_ONLY_CONNECT ? "connect-only" : "",
		 filters & TT_ONLY_ACCEPT ? "accept-only" : "",
		 filters & TT_ONLY_FAILURE ?
			 (filters & ~TT_ONLY_FAILURE ? "+failure-only" : "failure-only") : "");
}

void on_watchdog(int sig)
{
	static const char head[] = "# scenario ";
	static const char tail[] = "\nexpect-fail watchdog: scenario did not finish in time\n";
	ssize_t ignored;

	(void)sig;
	ignored = write(1, head, sizeof head - 1);
	ignored = write(1, label, strlen(label));
	ignored = write(1, tail, sizeof tail - 1);
	(void)ignored;
	_exit(3);
}

void pairs_add(struct pairs *p, const char *fmt, ...)
{
	size_t room = sizeof p->text - p->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->text + p->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		errno = ENOBUFS;
		die("expectation line too long");
	}
	p->len += n;
}

/* Would the tracer, run with our filters, still report such an event? */
static int filtered_out(const char *type, enum outcome outcome)
{
	if ((filters & TT_ONLY_CONNECT) && strcmp(type, "connect"))
		return 1;
	if ((filters & TT_ONLY_ACCEPT) && strcmp(type, "accept"))
		return 1;
	if ((filters & TT_ONLY_FAILURE) && outcome == SUCCESS)
		return 1;
	return 0;
}

void expect_events(int count, const char *type, enum outcome outcome,
		   const struct pairs *p)
{
	if (count > 0 && filtered_out(type, outcome))
		count = 0;
	emit("expect %d type=%s%s", count, type, p->text);
}
