// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/common/err.c: the one error convention. */
#include <string.h>

#include "common/err.h"
#include "unit.h"

static void test_fail_returns_minus_one_with_the_line(void)
{
	struct tt_err err = { "" };

	CHECK(tt_fail(&err, "cannot attach %s: %d", "kprobe/tcp_close",
		      2) == -1);
	CHECK_STR(err.msg, "cannot attach kprobe/tcp_close: 2");
}

static void test_fail_without_a_place(void)
{
	CHECK(tt_fail(NULL, "nobody reads %s", "this") == -1);
}

static void test_long_line_is_cut_and_terminated(void)
{
	static char long_text[TT_ERR_SIZE * 2];
	struct tt_err err;

	memset(long_text, 'x', sizeof(long_text) - 1);
	memset(&err, 0x55, sizeof(err));
	CHECK(tt_fail(&err, "%s", long_text) == -1);
	CHECK(strlen(err.msg) == TT_ERR_SIZE - 1);
}

int main(void)
{
	RUN(test_fail_returns_minus_one_with_the_line);
	RUN(test_fail_without_a_place);
	RUN(test_long_line_is_cut_and_terminated);
	UNIT_EXIT();
}
