// SPDX-License-Identifier: GPL-2.0-only
/* The in-kernel filter's evaluation (bpf/filter.h), run natively. */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "../../../bpf/filter.h"
#include "unit.h"

static struct tt_filter filter;
static unsigned int ntests;

static struct tt_event event(void)
{
	struct tt_event e;

	memset(&e, 0, sizeof(e));
	e.pid = 100;
	e.tid = 101;
	e.uid = 1000;
	e.gid = 2000;
	e.type = TT_EVENT_CONNECT;
	e.error = -1;
	e.sport = 40000;
	e.dport = 443;
	memcpy(e.comm, "curl", 5);
	e.family = 4;
	inet_pton(AF_INET, "10.1.2.3", e.saddr);
	inet_pton(AF_INET, "192.168.1.2", e.daddr);
	return e;
}

static struct tt_event event6(void)
{
	struct tt_event e = event();

	e.family = 6;
	inet_pton(AF_INET6, "2001:db8::1", e.saddr);
	inet_pton(AF_INET6, "2001:db8:0:1::1:3", e.daddr);
	return e;
}

static void clear(void)
{
	memset(&filter, 0, sizeof(filter));
	ntests = 0;
}

static struct tt_filter_test *add(unsigned int field, unsigned int op,
				  int64_t value, unsigned int flags)
{
	struct tt_filter_test *t = &filter.tests[ntests++];

	t->field = (__u8)field;
	t->op = (__u8)op;
	t->value = value;
	t->flags = (__u8)flags;
	return t;
}

/* Does e pass a filter of one test? */
static int one(const struct tt_event *e, unsigned int field, unsigned int op,
	       int64_t value)
{
	clear();
	add(field, op, value, TT_FTEST_GROUP_END);
	return filter_passes(&filter, ntests, e);
}

/* Every op just below, at and just above the event's value. */
static void check_ops(unsigned int field, int64_t v)
{
	struct tt_event e = event();

	CHECK(one(&e, field, TT_FOP_EQ, v));
	CHECK(!one(&e, field, TT_FOP_EQ, v - 1));
	CHECK(!one(&e, field, TT_FOP_EQ, v + 1));
	CHECK(one(&e, field, TT_FOP_LT, v + 1));
	CHECK(!one(&e, field, TT_FOP_LT, v));
	CHECK(one(&e, field, TT_FOP_LE, v));
	CHECK(!one(&e, field, TT_FOP_LE, v - 1));
	CHECK(one(&e, field, TT_FOP_GT, v - 1));
	CHECK(!one(&e, field, TT_FOP_GT, v));
	CHECK(one(&e, field, TT_FOP_GE, v));
	CHECK(!one(&e, field, TT_FOP_GE, v + 1));
}

static void test_numbers(void)
{
	check_ops(TT_FF_PID, 100);
	check_ops(TT_FF_TID, 101);
	check_ops(TT_FF_UID, 1000);
	check_ops(TT_FF_GID, 2000);
	check_ops(TT_FF_TYPE, TT_EVENT_CONNECT);
	check_ops(TT_FF_ERROR, -1);
	check_ops(TT_FF_SPORT, 40000);
	check_ops(TT_FF_DPORT, 443);
}

static void test_signed(void)
{
	struct tt_event e = event();

	/* error -1 is below 0; the extremes do not overflow */
	CHECK(one(&e, TT_FF_ERROR, TT_FOP_LT, 0));
	CHECK(!one(&e, TT_FF_ERROR, TT_FOP_GE, 0));
	CHECK(one(&e, TT_FF_ERROR, TT_FOP_GT, INT64_MIN));
	CHECK(one(&e, TT_FF_ERROR, TT_FOP_LT, INT64_MAX));
	CHECK(!one(&e, TT_FF_ERROR, TT_FOP_LE, INT64_MIN));
	e.error = 0;
	CHECK(one(&e, TT_FF_ERROR, TT_FOP_EQ, 0));
	CHECK(one(&e, TT_FF_ERROR, TT_FOP_GT, -1));
	/* unsigned fields are not sign-extended */
	e.pid = 0xffffffffu;
	CHECK(!one(&e, TT_FF_PID, TT_FOP_EQ, -1));
	CHECK(one(&e, TT_FF_PID, TT_FOP_EQ, 0xffffffffLL));
	CHECK(one(&e, TT_FF_PID, TT_FOP_GT, -1));
	CHECK(one(&e, TT_FF_PID, TT_FOP_LT, INT64_MAX));
	e.sport = 65535;
	CHECK(one(&e, TT_FF_SPORT, TT_FOP_GE, 65535));
}

/* Not a field, not an op: never holds. */
static void test_unknown(void)
{
	struct tt_event e = event();

	CHECK(!one(&e, 0, TT_FOP_EQ, 0));
	CHECK(!one(&e, TT_FF_DADDR + 1, TT_FOP_EQ, 0));
	CHECK(!one(&e, 63, TT_FOP_GE, INT64_MIN));
	CHECK(!one(&e, 255, TT_FOP_GE, INT64_MIN));
	for (unsigned int op = TT_FOP_GE + 1; op < 256; op++)
		CHECK(!one(&e, TT_FF_PID, op, 100));
}

static void test_groups(void)
{
	struct tt_event e = event();

	clear();
	CHECK(filter_passes(&filter, 0, &e));	/* no test: all pass */
	/* (pid 7 or pid 100) and uid 1000 */
	add(TT_FF_PID, TT_FOP_EQ, 7, 0);
	add(TT_FF_PID, TT_FOP_EQ, 100, TT_FTEST_GROUP_END);
	add(TT_FF_UID, TT_FOP_EQ, 1000, TT_FTEST_GROUP_END);
	CHECK(filter_passes(&filter, ntests, &e));
	filter.tests[1].value = 8;
	CHECK(!filter_passes(&filter, ntests, &e));
	filter.tests[1].value = 100;
	filter.tests[2].value = 5;
	CHECK(!filter_passes(&filter, ntests, &e));
	/* only the tests in use count */
	CHECK(filter_passes(&filter, 2, &e));
	/* a group left open at the end counts for nothing */
	filter.tests[2].flags = 0;
	CHECK(filter_passes(&filter, ntests, &e));
	/* more than fit: TT_FILTER_TESTS are read */
	clear();
	for (int i = 0; i < TT_FILTER_TESTS; i++)
		add(TT_FF_PID, TT_FOP_EQ, 100, TT_FTEST_GROUP_END);
	CHECK(filter_passes(&filter, 1000, &e));
	filter.tests[TT_FILTER_TESTS - 1].value = 1;
	CHECK(!filter_passes(&filter, TT_FILTER_TESTS, &e));
	CHECK(!filter_passes(&filter, 1000, &e));
	CHECK(filter_passes(&filter, TT_FILTER_TESTS - 1, &e));
}

static void test_negation(void)
{
	struct tt_event e = event();

	/* pid not in 7, 8 */
	clear();
	add(TT_FF_PID, TT_FOP_EQ, 7, 0);
	add(TT_FF_PID, TT_FOP_EQ, 8, TT_FTEST_GROUP_END | TT_FTEST_NEGATE);
	CHECK(filter_passes(&filter, ntests, &e));
	filter.tests[0].value = 100;	/* pid not in 100, 8 */
	CHECK(!filter_passes(&filter, ntests, &e));
	/* pid != 100 alone; then a second, holding group */
	clear();
	add(TT_FF_PID, TT_FOP_EQ, 100, TT_FTEST_GROUP_END | TT_FTEST_NEGATE);
	CHECK(!filter_passes(&filter, ntests, &e));
	filter.tests[0].value = 101;
	CHECK(filter_passes(&filter, ntests, &e));
	add(TT_FF_UID, TT_FOP_EQ, 1000, TT_FTEST_GROUP_END);
	CHECK(filter_passes(&filter, ntests, &e));
	/* NEGATE on a test that ends no group is ignored */
	clear();
	add(TT_FF_PID, TT_FOP_EQ, 100, TT_FTEST_NEGATE);
	add(TT_FF_PID, TT_FOP_EQ, 7, TT_FTEST_GROUP_END);
	CHECK(filter_passes(&filter, ntests, &e));
}

static void set_comm(struct tt_filter_test *t, const char *name, size_t len)
{
	memset(t->bytes, 0, sizeof(t->bytes));
	memset(t->mask, 0, sizeof(t->mask));
	memcpy(t->bytes, name, len);
	memset(t->mask, 0xff, len);
}

static int comm_is(const struct tt_event *e, const char *name, size_t len)
{
	struct tt_filter_test *t;

	clear();
	t = add(TT_FF_COMM, TT_FOP_EQ, 0, TT_FTEST_GROUP_END);
	set_comm(t, name, len);
	return filter_passes(&filter, ntests, e);
}

static void test_comm(void)
{
	struct tt_event e = event();

	/* the name and its NUL */
	CHECK(comm_is(&e, "curl", 5));
	memcpy(e.comm, "curls", 6);
	CHECK(!comm_is(&e, "curl", 5));
	/* a prefix: no NUL in the mask */
	CHECK(comm_is(&e, "cur", 3));
	CHECK(!comm_is(&e, "curlx", 5));
	/* bytes after the NUL are outside the mask */
	memcpy(e.comm, "curl\0garbage!!!", 16);
	CHECK(comm_is(&e, "curl", 5));
	/* all 16 bytes, the second word too */
	memcpy(e.comm, "abcdefghijklmno", 16);
	CHECK(comm_is(&e, "abcdefghijklmno", 16));
	CHECK(!comm_is(&e, "abcdefghijklmnp", 16));
	CHECK(!comm_is(&e, "bbcdefghijklmno", 16));
	/* a comm test reads neither address */
	CHECK(comm_is(&e, "", 0));
	/* nor a number test the bytes */
	clear();
	set_comm(add(TT_FF_PID, TT_FOP_EQ, 100, TT_FTEST_GROUP_END), "x", 1);
	CHECK(filter_passes(&filter, ntests, &e));
}

/* Does e's address (saddr unless dst) match addr/bits of family? */
static int in_net(const struct tt_event *e, int dst, int family,
		  const char *addr, unsigned int bits)
{
	struct tt_filter_test *t;

	clear();
	t = add(dst ? TT_FF_DADDR : TT_FF_SADDR, TT_FOP_EQ,
		family == AF_INET ? 4 : 6, TT_FTEST_GROUP_END);
	if (inet_pton(family, addr, t->bytes) != 1)
		return -1;
	for (unsigned int i = 0; i < bits; i++)
		t->mask[i / 8] |= (__u8)(0x80 >> (i % 8));
	for (unsigned int i = 0; i < 16; i++)
		t->bytes[i] &= t->mask[i];
	return filter_passes(&filter, ntests, e);
}

static void test_ipv4(void)
{
	struct tt_event e = event();

	CHECK(in_net(&e, 0, AF_INET, "0.0.0.0", 0) == 1);
	CHECK(in_net(&e, 0, AF_INET, "10.0.0.0", 8) == 1);
	CHECK(in_net(&e, 0, AF_INET, "11.0.0.0", 8) == 0);
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.2", 31) == 1);
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.4", 31) == 0);
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.3", 32) == 1);
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.2", 32) == 0);
	CHECK(in_net(&e, 1, AF_INET, "192.168.1.2", 32) == 1);
	CHECK(in_net(&e, 1, AF_INET, "10.1.2.3", 32) == 0);
	CHECK(in_net(&e, 1, AF_INET, "192.168.0.0", 16) == 1);
	/* the family must match, even with no bit to compare */
	CHECK(in_net(&e, 0, AF_INET6, "::", 0) == 0);
	/* the bytes past an IPv4 address are 0 in the event */
	e.saddr[4] = 1;
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.3", 32) == 1);
	CHECK(in_net(&e, 0, AF_INET, "10.1.2.3", 40) == 0);
}

static void test_ipv6(void)
{
	struct tt_event e = event6();

	CHECK(in_net(&e, 1, AF_INET6, "::", 0) == 1);
	CHECK(in_net(&e, 1, AF_INET6, "2000::", 8) == 1);
	CHECK(in_net(&e, 1, AF_INET6, "2100::", 8) == 0);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1::", 64) == 1);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:2::", 64) == 0);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1::1:2", 127) == 1);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1::1:4", 127) == 0);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1::1:3", 128) == 1);
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1::1:2", 128) == 0);
	/* a bit in the first word only, and the last word only */
	CHECK(in_net(&e, 1, AF_INET6, "2001:db8:0:1:8000::", 65) == 0);
	CHECK(in_net(&e, 0, AF_INET6, "2001:db8::1", 128) == 1);
	CHECK(in_net(&e, 0, AF_INET6, "2001:db9::1", 128) == 0);
	CHECK(in_net(&e, 0, AF_INET, "0.0.0.0", 0) == 0);
	/* IPv4 CIDR as two tests: IPv4, or v4-mapped IPv6 (one group) */
	inet_pton(AF_INET6, "::ffff:10.1.2.3", e.saddr);
	clear();
	{
		struct tt_filter_test *v4 =
			add(TT_FF_SADDR, TT_FOP_EQ, 4, 0);
		struct tt_filter_test *v6 =
			add(TT_FF_SADDR, TT_FOP_EQ, 6, TT_FTEST_GROUP_END);

		inet_pton(AF_INET, "10.0.0.0", v4->bytes);
		v4->mask[0] = 0xff;
		inet_pton(AF_INET6, "::ffff:10.0.0.0", v6->bytes);
		memset(v6->mask, 0xff, 13);
	}
	CHECK(filter_passes(&filter, ntests, &e));
	e.saddr[12] = 11;
	CHECK(!filter_passes(&filter, ntests, &e));
}

int main(void)
{
	RUN(test_numbers);
	RUN(test_signed);
	RUN(test_unknown);
	RUN(test_groups);
	RUN(test_negation);
	RUN(test_comm);
	RUN(test_ipv4);
	RUN(test_ipv6);
	UNIT_EXIT();
}
