/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checker: an expectation file against an events file, one PASS or
 * FAIL line per group; and its selftest against handcrafted fixtures.
 */
#ifndef TCPSCEN_CHECK_H
#define TCPSCEN_CHECK_H

#include <stdio.h>

int check_files(const char *expect_path, const char *events_path,
		const char *tag, FILE *out, FILE *dbg);
int cmd_check(int argc, char **argv);
int cmd_selftest(const char *dir);

#endif
