/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user side's one error convention. A function that can fail returns
 * -1 (or NULL) and fills a struct tt_err with one line saying why, in
 * words a user can act on; success is 0 or a value >= 0. A caller either
 * passes the error up as it is or wraps it with context through tt_fail.
 * main() prints it once, as "trace_tcp: <line>".
 */
#ifndef TT_COMMON_ERR_H
#define TT_COMMON_ERR_H

#define TT_ERR_SIZE 512

struct tt_err {
	char msg[TT_ERR_SIZE];
};

/* Write the line (printf format) into err, which may be NULL. Returns -1,
 * so that a failure reads `return tt_fail(err, "...", ...);`. */
int tt_fail(struct tt_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
