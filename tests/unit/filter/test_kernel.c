// SPDX-License-Identifier: GPL-2.0-only
/* The in-kernel filter's share: the tests rules compile to, and, for
 * many random events and rules, the kernel (as include/tt_filter.h
 * reads) then user space deciding as user space alone does. */
#include "filter_test.h"

#include <errno.h>
#include <stdlib.h>

static struct filter f;
static struct tt_filter kf;

static unsigned int compile(const char *rules)
{
	struct tt_err err;

	filter_free(&f);
	if (filter_add_rules(&f, rules, &err)) {
		fprintf(stderr, "  %s\n", err.msg);
		return 999;
	}
	return filter_compile_kernel(&f, &kf);
}

static void test_numbers(void)
{
	CHECK(compile("pid==7") == 1);
	CHECK(kf.tests[0].field == TT_FF_PID && kf.tests[0].op == TT_FOP_EQ &&
	      kf.tests[0].value == 7 &&
	      kf.tests[0].flags == TT_FTEST_GROUP_END);
	CHECK(f.rules[0].in_kernel && filter_user_rules(&f) == 0);
	CHECK(compile("dst.port!=80") == 1);
	CHECK(kf.tests[0].field == TT_FF_DPORT && kf.tests[0].value == 80 &&
	      kf.tests[0].flags == (TT_FTEST_GROUP_END | TT_FTEST_NEGATE));
	CHECK(compile("uid<1,gid<=2,tid>3,src.port>=4") == 4);
	CHECK(kf.tests[0].op == TT_FOP_LT && kf.tests[1].op == TT_FOP_LE &&
	      kf.tests[2].op == TT_FOP_GT && kf.tests[3].op == TT_FOP_GE);
	CHECK(kf.tests[3].field == TT_FF_SPORT && kf.tests[3].value == 4);
	CHECK(compile("type==accept,error==ECONNREFUSED,error==unknown,"
		      "error==") == 4);
	CHECK(kf.tests[0].field == TT_FF_TYPE && kf.tests[0].value == 2);
	CHECK(kf.tests[1].field == TT_FF_ERROR &&
	      kf.tests[1].value == ECONNREFUSED);
	CHECK(kf.tests[2].value == TT_ERROR_UNKNOWN && kf.tests[3].value == 0);
	/* user space only: regexes, fields the programs do not read */
	CHECK(compile("pid~1,fd==3,comm~x,duration>1,ppid==1") == 0);
	CHECK(filter_user_rules(&f) == 5);
	CHECK(compile("type<close") == 999);
}

static void test_lists(void)
{
	struct tt_err err;

	filter_free(&f);
	CHECK(!filter_add_list(&f, FIELD_PID, "1,2,3", &err));
	CHECK(!filter_add_rules(&f, "comm!=a", &err));
	CHECK(filter_compile_kernel(&f, &kf) == 4);
	CHECK(kf.tests[0].value == 1 && kf.tests[1].value == 2 &&
	      kf.tests[2].value == 3);
	CHECK(!kf.tests[0].flags && !kf.tests[1].flags &&
	      kf.tests[2].flags == TT_FTEST_GROUP_END);
	CHECK(kf.tests[3].field == TT_FF_COMM &&
	      kf.tests[3].flags == (TT_FTEST_GROUP_END | TT_FTEST_NEGATE));
	CHECK(!memcmp(kf.tests[3].bytes, "a\0\0", 3));
	CHECK(kf.tests[3].mask[0] == 0xff && kf.tests[3].mask[1] == 0xff &&
	      kf.tests[3].mask[2] == 0);

	/* a list too long for the map stays in user space */
	filter_free(&f);
	for (int i = 0; i < 40; i++)
		CHECK(!filter_add_list(&f, FIELD_UID, "5", &err));
	CHECK(!filter_add_list(&f, FIELD_TID, "5", &err));
	CHECK(filter_compile_kernel(&f, &kf) == 1);
	CHECK(!f.rules[0].in_kernel && f.rules[1].in_kernel);
	filter_free(&f);
}

static void test_comm(void)
{
	CHECK(compile("comm==curl") == 1);
	CHECK(!memcmp(kf.tests[0].bytes, "curl\0", 5) &&
	      kf.tests[0].mask[4] == 0xff && kf.tests[0].mask[5] == 0);
	CHECK(compile("comm==123456789012345") == 1);
	CHECK(kf.tests[0].mask[15] == 0xff);
	/* compared as the kernel keeps a name: its first 15 bytes */
	CHECK(compile("comm==1234567890123456") == 1);
	CHECK(!memcmp(kf.tests[0].bytes, "123456789012345\0", 16) &&
	      kf.tests[0].mask[15] == 0xff);
	CHECK(filter_user_rules(&f) == 0);
	CHECK(compile("comm==") == 1 && kf.tests[0].mask[0] == 0xff &&
	      kf.tests[0].mask[1] == 0);
	CHECK(compile("comm<a,pcomm==a") == 0);
}

static void test_addresses(void)
{
	static const __u8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const __u8 mapped[16] = { [10] = 0xff, [11] = 0xff,
					 1, 2, 3, 0 };
	static const __u8 v4_mask[16] = { 0xff, 0xff, 0xff };

	CHECK(compile("dst.addr==1.2.3.4/24") == 2);
	CHECK(kf.tests[0].field == TT_FF_DADDR && kf.tests[0].value == 6 &&
	      !memcmp(kf.tests[0].bytes, mapped, 16) && !kf.tests[0].flags);
	for (int i = 0; i < 16; i++)
		CHECK(kf.tests[0].mask[i] == (i < 15 ? 0xff : 0));
	CHECK(kf.tests[1].field == TT_FF_DADDR && kf.tests[1].value == 4 &&
	      !memcmp(kf.tests[1].bytes, "\1\2\3\0\0", 5) &&
	      !memcmp(kf.tests[1].mask, v4_mask, 16) &&
	      kf.tests[1].flags == TT_FTEST_GROUP_END);
	CHECK(compile("src.addr!=2001:db8::/32") == 1);
	CHECK(kf.tests[0].field == TT_FF_SADDR && kf.tests[0].value == 6 &&
	      !memcmp(kf.tests[0].bytes, v6, 16) &&
	      kf.tests[0].mask[3] == 0xff && kf.tests[0].mask[4] == 0 &&
	      kf.tests[0].flags == (TT_FTEST_GROUP_END | TT_FTEST_NEGATE));
	/* ::/0 and 0.0.0.0/0: every event of either family */
	CHECK(compile("dst.addr==::/0") == 2);
	CHECK(kf.tests[1].value == 4 && !kf.tests[1].mask[0]);
	CHECK(compile("dst.addr==0.0.0.0/0") == 2);
	CHECK(kf.tests[0].mask[11] == 0xff && kf.tests[0].mask[12] == 0);
	CHECK(compile("dst.addr==1.2.3.4") == 2);
	CHECK(kf.tests[1].mask[3] == 0xff && kf.tests[1].mask[4] == 0);
	CHECK(compile("dst.addr~1") == 0);
}

/* 33 rules: 32 for the kernel, the last in user space, and right. */
static void test_full(void)
{
	char rules[33 * 12] = "";

	for (int i = 0; i < 33; i++)
		strcat(rules, i ? ",pid!=1" : "pid!=1");
	CHECK(compile(rules) == TT_FILTER_TESTS);
	CHECK(filter_user_rules(&f) == 1 && !f.rules[32].in_kernel);
	reset_event();
	ev.pid = 1;
	CHECK(filter_match(&f, &fe) == 0 && filter_match_all(&f, &fe) == 0);
	CHECK(compile("dst.addr==::/0,dst.addr==1.2.3.4/24,pid>=0") == 5);
	filter_free(&f);
}

#define PICK(array) (array)[rand() % (sizeof(array) / sizeof(*(array)))]

static const char *const v4_pool[] = {
	"10.0.0.1", "10.1.2.3", "1.2.3.4", "127.0.0.1", "0.0.0.0",
	"255.255.255.255", "1.2.3.200", "10.128.0.1",
};
static const char *const v6_pool[] = {
	"::1", "2001:db8::1", "2001:db8:0:1::5", "fe80::1", "::",
	"2001:db8::ffff:1.2.3.4",
};

static void random_event(void)
{
	static const char *const comms[] = {
		"curl", "nginx", "", "a,b", "123456789012345", "cur",
	};
	static const int errors[] = { 0, ECONNREFUSED, ETIMEDOUT,
				      TT_ERROR_UNKNOWN };
	static const int ports[] = { 0, 80, 443, 8080, 65535 };
	int kind = rand() % 3;

	reset_event();
	ev.type = (__u8)(1 + rand() % 3);
	ev.error = PICK(errors);
	ev.pid = (__u32)(rand() % 4);
	ev.tid = (__u32)(rand() % 4);
	ev.uid = (__u32)(rand() % 3) * 1000;
	ev.gid = (__u32)(rand() % 3);
	ev.fd = rand() % 3 - 1;
	ev.sport = (__u16)PICK(ports);
	ev.dport = (__u16)PICK(ports);
	ev.known = (__u16)(rand() & 0x3f);
	ev.duration_ns = (__u64)(rand() % 3);
	strcpy(ev.comm, PICK(comms));
	fe.c = rand() % 2 ? &box : NULL;
	strcpy(box.name, rand() % 2 ? "web" : "");
	if (kind == 0) {
		set_addr(ev.saddr, PICK(v4_pool));
		set_addr(ev.daddr, PICK(v4_pool));
		return;
	}
	/* IPv6, both addresses v4-mapped or neither, as on a socket */
	ev.family = 6;
	set_addr(ev.saddr, PICK(v6_pool));
	set_addr(ev.daddr, PICK(v6_pool));
	if (kind == 2) {
		memcpy(ev.saddr + 12, ev.saddr, 4);
		memcpy(ev.daddr + 12, ev.daddr + 4, 4);
		memset(ev.saddr, 0, 12);
		memset(ev.daddr, 0, 12);
		ev.saddr[10] = ev.saddr[11] = ev.daddr[10] = ev.daddr[11] =
			0xff;
	}
}

static void random_rule(char *out, size_t size)
{
	static const char *const ops[] = {
		"==", "!=", "<", "<=", ">", ">=", "~", "!~",
	};
	static const char *const numbers[] = {
		"pid", "tid", "uid", "gid", "src.port", "dst.port", "fd",
		"duration",
	};
	static const char *const values[] = { "0", "1", "2", "80", "-1",
					      "1000", "65535" };
	static const char *const nets[] = {
		"10.0.0.0/8", "1.2.3.4", "1.2.3.0/24", "0.0.0.0/0", "::/0",
		"2001:db8::/32", "2001:db8::/64", "::1/128", "::ffff:0:0/96",
		"::ffff:10.0.0.0/104", "fe80::/10", "127.0.0.1/32", "::/8",
		"10.0.0.0/9", "1.2.3.128/25", "1.2.3.201/31", "fe80::/9",
	};
	static const char *const names[] = {
		"type==connect", "type!=close", "error==", "error!=",
		"error==ECONNREFUSED", "error!=unknown", "error==ETIMEDOUT",
		"comm==curl", "comm!=nginx", "comm==", "comm<d", "comm>=cur",
		"comm==123456789012345", "comm~^c", "comm!~\\,",
		"runtime.containerName==web", "runtime.containerName==",
		"pcomm!=", "dst.addr~^1", "src.addr!~:",
	};
	const char *op = PICK(ops);

	const char *field = PICK(numbers), *value = PICK(values);

	if (value[0] == '-' && strcmp(field, "fd"))
		value = "0";	/* only fd can be negative */
	switch (rand() % 3) {
	case 0:
		snprintf(out, size, "%s%s%s", field, op,
			 op[strlen(op) - 1] == '~' ? "^1" : value);
		break;
	case 1:
		snprintf(out, size, "%s%s%s", rand() % 2 ? "src.addr" :
			 "dst.addr", rand() % 2 ? "==" : "!=", PICK(nets));
		break;
	default:
		snprintf(out, size, "%s", PICK(names));
	}
}

static void test_random(void)
{
	static const char *const lists[] = { "1", "0,2", "3,1,0" };
	static const char *const comm_lists[] = { "curl", "nginx,cur",
						  "a\\,b" };
	int disagree = 0, shown = 0, in_kernel = 0;
	char rule[128];
	struct tt_err err;

	srand(21);
	for (int round = 0; round < 3000; round++) {
		int rules = 1 + rand() % (round % 10 ? 4 : 30);

		filter_free(&f);
		for (int i = 0; i < rules; i++) {
			random_rule(rule, sizeof(rule));
			if (filter_add_rules(&f, rule, &err))
				CHECK_STR(err.msg, "");
		}
		if (rand() % 4 == 0)
			CHECK(!filter_add_list(&f, FIELD_PID, PICK(lists),
					       &err));
		if (rand() % 4 == 0)
			CHECK(!filter_add_list(&f, FIELD_COMM,
					       PICK(comm_lists), &err));
		for (int e = 0; e < 30; e++) {
			int v;

			random_event();
			v = split_verdict(&f);
			disagree += v < 0;
			shown += v == 1;
		}
		for (unsigned int i = 0; i < f.rule_count; i++)
			in_kernel += f.rules[i].in_kernel;
	}
	filter_free(&f);
	CHECK(disagree == 0);
	/* the draw exercised both verdicts and both sides */
	CHECK(shown > 1000 && shown < 80000 && in_kernel > 1000);
	if (disagree || shown <= 1000)
		fprintf(stderr, "  %d disagree, %d shown, %d in kernel\n",
			disagree, shown, in_kernel);
}

int main(void)
{
	RUN(test_numbers);
	RUN(test_lists);
	RUN(test_comm);
	RUN(test_addresses);
	RUN(test_full);
	RUN(test_random);
	UNIT_EXIT();
}
