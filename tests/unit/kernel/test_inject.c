// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/kernel/inject.c: which refusals TRACE_TCP_REFUSE
 * names, and which faults TRACE_TCP_INJECT does. */
#include <stdlib.h>

#include "kernel/inject.h"
#include "unit.h"

static int names(const char *list, const char *feature)
{
	if (list)
		setenv("TRACE_TCP_REFUSE", list, 1);
	else
		unsetenv("TRACE_TCP_REFUSE");
	return refusal_injected(feature);
}

static void test_named(void)
{
	CHECK(names("regs", "regs"));
	CHECK(names("btf-reads,regs", "regs"));
	CHECK(names("btf-reads,regs", "btf-reads"));
	CHECK(names(",regs,", "regs"));
	CHECK(names("programs", "programs"));
}

static void test_not_named(void)
{
	CHECK(!names(NULL, "regs"));
	CHECK(!names("", "regs"));
	CHECK(!names("regsx", "regs"));
	CHECK(!names("xregs", "regs"));
	CHECK(!names("btf", "btf-reads"));
	CHECK(!names("btf-reads-x,reg", "regs"));
	CHECK(!names(",,", "regs"));
}

/* TRACE_TCP_INJECT is its own list: the others do not name its faults. */
static void test_faults(void)
{
	unsetenv("TRACE_TCP_REFUSE");
	setenv("TRACE_TCP_INJECT", "forbidden-call", 1);
	CHECK(fault_injected("forbidden-call"));
	CHECK(!refusal_injected("forbidden-call"));
	setenv("TRACE_TCP_REFUSE", "forbidden-call", 1);
	unsetenv("TRACE_TCP_INJECT");
	CHECK(!fault_injected("forbidden-call"));
	unsetenv("TRACE_TCP_REFUSE");
}

int main(void)
{
	RUN(test_named);
	RUN(test_not_named);
	RUN(test_faults);
	UNIT_EXIT();
}
