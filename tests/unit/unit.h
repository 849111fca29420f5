/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny unit-test harness. Every test binary prints one line per check
 * group, "PASS: name" or "FAIL: name: why", which tests/run-all.sh counts.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_checks;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "  %s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                  \
			unit_failed_checks++;                                \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (strcmp(g_, w_) != 0) {                                   \
			fprintf(stderr, "  %s:%d: got  \"%s\"\n"             \
				"  want \"%s\"\n",                           \
				__FILE__, __LINE__, g_, w_);                 \
			unit_failed_checks++;                                \
		}                                                            \
	} while (0)

/* Run one test function and print its verdict line. */
#define RUN(fn)                                                              \
	do {                                                                 \
		int before_ = unit_failed_checks;                            \
		fn();                                                        \
		if (unit_failed_checks == before_)                           \
			printf("PASS: %s\n", #fn);                           \
		else                                                         \
			printf("FAIL: %s: %d check(s) failed\n", #fn,        \
			       unit_failed_checks - before_);                \
		fflush(stdout);                                              \
	} while (0)

#define UNIT_EXIT() return unit_failed_checks ? 1 : 0

#endif
