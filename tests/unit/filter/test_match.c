// SPDX-License-Identifier: GPL-2.0-only
/* -F rules and lists: each operator on both sides of its boundary, by
 * kind of field; escapes, several -F, lists, absent fields. Every
 * verdict is also checked split between the in-kernel filter (its
 * reference reading) and user space. */
#include "filter_test.h"

#include <errno.h>

static struct filter f;

/* The verdict of these -F rules on ev; -1 if they do not parse or the
 * split verdict differs. */
static int holds(const char *rules)
{
	struct tt_err err;
	int verdict;

	filter_free(&f);
	if (filter_add_rules(&f, rules, &err)) {
		fprintf(stderr, "  %s\n", err.msg);
		return -1;
	}
	verdict = split_verdict(&f);
	filter_free(&f);
	return verdict;
}

#define HOLDS(rules) CHECK(holds(rules) == 1)
#define FAILS(rules) CHECK(holds(rules) == 0)

static void test_numbers(void)
{
	reset_event();
	HOLDS("pid==100");
	HOLDS("pid=100");
	FAILS("pid==99");
	HOLDS("pid!=99");
	FAILS("pid!=100");
	FAILS("pid<100");
	HOLDS("pid<101");
	FAILS("pid<=99");
	HOLDS("pid<=100");
	HOLDS("pid>99");
	FAILS("pid>100");
	HOLDS("pid>=100");
	FAILS("pid>=101");
	HOLDS("PROC.PID==100");
	HOLDS("proc.creds.uid==1000,gid==1000,tid==101");
	HOLDS("dst.port==80,src.port>=40000,src.port<40001");
	HOLDS("accept_fd==-1");
	HOLDS("accept_fd<0");
	FAILS("accept_fd>-1");
	HOLDS("accept_fd>=-1");
	HOLDS("fd>-2");
	FAILS("fd<=-1");
	ev.sport = 0;
	HOLDS("src.port==0");
	FAILS("src.port>0");
	HOLDS("src.port>=0");
	FAILS("src.port<0");
	HOLDS("pid~^10");
	FAILS("pid~^0");
	FAILS("pid!~0$");
	HOLDS("pid!~^9");
	HOLDS("src.version==4,dst.version<6");
}

static void test_strings(void)
{
	reset_event();
	HOLDS("comm==curl");
	FAILS("comm==cur");
	FAILS("comm==curl2");
	FAILS("comm==Curl");
	HOLDS("comm!=cur");
	FAILS("comm!=curl");
	HOLDS("comm<curm");
	FAILS("comm<curl");
	HOLDS("comm<=curl");
	FAILS("comm<=cura");
	HOLDS("comm>cur");
	FAILS("comm>curl");
	HOLDS("comm>=curl");
	FAILS("comm>=curla");
	FAILS("comm==");
	HOLDS("comm!=");
	HOLDS("comm~ur");
	FAILS("comm~^ur");
	HOLDS("comm~^c.*l$");
	FAILS("comm!~^c");
	HOLDS("comm!~x");
	HOLDS("comm~u|x");
	HOLDS("src.proto==TCP,dst.proto~^T");
	ev.comm[1] = (char)0xff;	/* byte order is unsigned */
	HOLDS("comm>cz");
	memset(ev.comm, 'a', 16);	/* no NUL: 16 bytes */
	HOLDS("comm~^a{16}$");
	HOLDS("comm>aaaaaaaaaaaaaaa");
	FAILS("comm==aaaaaaaaaaaaaaa");
	ev.comm[0] = '\0';
	HOLDS("comm==");
	FAILS("comm!=");
}

static void test_addresses(void)
{
	reset_event();
	HOLDS("dst.addr==1.2.3.4");
	FAILS("dst.addr==1.2.3.5");
	HOLDS("dst.addr!=1.2.3.5");
	FAILS("dst.addr!=1.2.3.4");
	HOLDS("dst.addr==0.0.0.0/0");
	FAILS("dst.addr!=0.0.0.0/0");
	HOLDS("dst.addr==1.0.0.0/8");
	FAILS("dst.addr==2.0.0.0/8");
	HOLDS("dst.addr==1.255.255.255/8");
	HOLDS("dst.addr==1.2.3.0/24");
	FAILS("dst.addr==1.2.4.0/24");
	HOLDS("dst.addr==1.2.3.4/32");
	FAILS("dst.addr==1.2.3.5/32");
	HOLDS("dst.addr==1.2.3.5/31");
	HOLDS("src.addr==10.0.0.0/8,src.addr!=10.0.0.2");
	HOLDS("dst.addr==::ffff:1.2.3.4");
	HOLDS("dst.addr==::ffff:0:0/96");
	HOLDS("dst.addr==::/0");
	FAILS("dst.addr==2001:db8::/32");
	HOLDS("dst.addr~^1\\.2\\.");
	FAILS("dst.addr~:");

	ev.family = 6;
	set_addr(ev.saddr, "2001:db8::10");
	set_addr(ev.daddr, "2001:db8::1");
	HOLDS("dst.addr==2001:db8::1");
	HOLDS("dst.addr==2001:DB8:0::1/128");
	FAILS("dst.addr==2001:db8::2/128");
	HOLDS("dst.addr==2001:db8::/64");
	FAILS("dst.addr==2001:db8:0:1::/64");
	HOLDS("dst.addr==2001:db8::/127");
	HOLDS("dst.addr==::/0");
	FAILS("dst.addr!=::/0");
	FAILS("dst.addr==0.0.0.0/0");
	HOLDS("dst.addr!=1.2.3.4");
	HOLDS("dst.addr~^2001:db8::1$");
	HOLDS("dst.version==6");

	/* IPv4 on an IPv6 socket: shown, and filtered, as IPv4 */
	set_addr(ev.saddr, "::ffff:10.0.0.1");
	set_addr(ev.daddr, "::ffff:1.2.3.4");
	HOLDS("dst.addr==1.2.3.4");
	HOLDS("dst.addr==1.2.3.0/24");
	FAILS("dst.addr==1.2.4.0/24");
	HOLDS("dst.addr==0.0.0.0/0");
	HOLDS("dst.addr==::ffff:1.2.3.4/128");
	HOLDS("dst.addr==::/0");
	FAILS("dst.addr==2001:db8::/32");
	HOLDS("dst.addr~^1\\.2\\.3\\.4$");
	HOLDS("dst.version==4");
}

static void test_names(void)
{
	reset_event();
	HOLDS("type==connect");
	HOLDS("type==CONNECT");
	FAILS("type==accept");
	HOLDS("type!=close");
	FAILS("type!=connect");
	HOLDS("type~^con");
	FAILS("type!~nn");
	HOLDS("error==");
	FAILS("error!=");
	FAILS("error==ECONNREFUSED");
	ev.error = ECONNREFUSED;
	HOLDS("error==ECONNREFUSED");
	HOLDS("error==econnrefused");
	FAILS("error==ETIMEDOUT");
	FAILS("error==");
	HOLDS("error!=");
	HOLDS("error!=ETIMEDOUT");
	HOLDS("error~^ECONN");
	CHECK(holds("error==111") == (ECONNREFUSED == 111));
	FAILS("error==unknown");
	ev.error = TT_ERROR_UNKNOWN;
	HOLDS("error==unknown");
	HOLDS("error==Unknown");
	HOLDS("error!=");
	HOLDS("error==-1");
	HOLDS("error~^unknown$");
	ev.type = TT_EVENT_CLOSE;
	HOLDS("type==close");
}

static void test_absent(void)
{
	reset_event();
	FAILS("duration==5");
	HOLDS("duration!=5");
	FAILS("duration>0");
	FAILS("duration<5");
	FAILS("duration>=0");
	FAILS("duration<=5");
	HOLDS("duration~^$");
	HOLDS("duration!~.");
	FAILS("pcomm==bash");
	HOLDS("pcomm!=bash");
	HOLDS("pcomm==");
	FAILS("pcomm!=");
	HOLDS("runtime.containerName==");
	FAILS("runtime.containerName!=");
	FAILS("runtime.containerName==web");
	HOLDS("runtime.containerName!=web");
	FAILS("runtime.containerName>a");
	FAILS("runtime.containerName<z");
	HOLDS("k8s.podName~^$");
	ev.known = TT_KNOWN_DURATION;
	ev.duration_ns = 5;
	HOLDS("duration==5");
	FAILS("duration!=5");
	HOLDS("duration>4,duration<6");
	fe.c = &box;
	strcpy(box.name, "web");
	HOLDS("runtime.containerName==web");
	FAILS("runtime.containerName==");
	HOLDS("runtime.containerName!=");
	HOLDS("runtime.containerName<x,runtime.containerName>a");
	HOLDS("runtime.containerName~^w");
}

static void test_escapes(void)
{
	reset_event();
	strcpy(ev.comm, "a,b");
	HOLDS("comm==a\\,b");
	HOLDS("comm==a\\,b,pid==100");
	FAILS("comm==a\\,c");
	strcpy(ev.comm, "a\\b");
	HOLDS("comm==a\\\\b");
	HOLDS("comm==a\\b");	/* a lone backslash stays */
	HOLDS("comm~^a\\\\\\\\b$");	/* the regex gets ^a\\b$ */
}

static int add_list(enum field_id field, const char *list)
{
	struct tt_err err;

	if (!filter_add_list(&f, field, list, &err))
		return 0;
	fprintf(stderr, "  %s\n", err.msg);
	return -1;
}

static int add_rules(const char *rules)
{
	struct tt_err err;

	if (!filter_add_rules(&f, rules, &err))
		return 0;
	fprintf(stderr, "  %s\n", err.msg);
	return -1;
}

static void test_several(void)
{
	reset_event();
	filter_free(&f);
	CHECK(!add_rules("pid==100"));
	CHECK(!add_rules("comm==x"));
	CHECK(split_verdict(&f) == 0);
	filter_free(&f);
	CHECK(!add_rules("pid==100"));
	CHECK(!add_rules("comm==curl,uid>=1000"));
	CHECK(split_verdict(&f) == 1);
	CHECK(f.rule_count == 3);
	filter_free(&f);
}

static void test_lists(void)
{
	reset_event();
	filter_free(&f);
	CHECK(!add_list(FIELD_PID, "5,100"));
	CHECK(split_verdict(&f) == 1);
	filter_free(&f);
	CHECK(!add_list(FIELD_PID, "5,6"));
	CHECK(split_verdict(&f) == 0);
	CHECK(!add_list(FIELD_PID, "100"));	/* --pid 5,6 --pid 100 */
	CHECK(split_verdict(&f) == 1);
	CHECK(f.rule_count == 1);
	filter_free(&f);

	/* lists and rules between their values */
	CHECK(!add_list(FIELD_COMM, "nginx"));
	CHECK(!add_rules("uid==1000,dst.addr==1.2.3.4"));
	CHECK(!add_list(FIELD_UID, "0"));
	CHECK(!add_list(FIELD_COMM, "sshd,curl"));
	CHECK(!add_rules("comm!=x"));
	CHECK(split_verdict(&f) == 0);		/* uid is not 0 */
	CHECK(!add_list(FIELD_UID, "7,1000"));
	CHECK(split_verdict(&f) == 1);
	CHECK(f.rule_count == 5 && f.value_count == 9);
	CHECK(!add_list(FIELD_TID, "1"));
	CHECK(split_verdict(&f) == 0);
	CHECK(!add_list(FIELD_TID, "101"));
	CHECK(!add_list(FIELD_GID, "1000"));
	CHECK(split_verdict(&f) == 1);
	filter_free(&f);
	CHECK(!add_list(FIELD_COMM, "a\\,b,c"));
	CHECK(f.values[0].text_len == 3 && f.values[1].text_len == 1);
	filter_free(&f);
}

/* The message of a rule that does not parse. */
static const char *rule_error(const char *rules)
{
	static struct tt_err err;

	filter_free(&f);
	if (!filter_add_rules(&f, rules, &err))
		strcpy(err.msg, "(parsed)");
	filter_free(&f);
	return err.msg;
}

static const char *list_error(enum field_id field, const char *list)
{
	static struct tt_err err;

	filter_free(&f);
	if (!filter_add_list(&f, field, list, &err))
		strcpy(err.msg, "(parsed)");
	filter_free(&f);
	return err.msg;
}

static void test_errors(void)
{
	char many[FILTER_RULES_MAX * 8 + 16] = "", big[700];

	CHECK_STR(rule_error("dst.port>=x"),
		  "bad filter rule \"dst.port>=x\": \"x\" is not a number");
	CHECK_STR(rule_error("pid==1x"),
		  "bad filter rule \"pid==1x\": \"1x\" is not a number");
	CHECK_STR(rule_error("pid=="),
		  "bad filter rule \"pid==\": \"\" is not a number");
	CHECK_STR(rule_error("pid==99999999999999999999"),
		  "bad filter rule \"pid==99999999999999999999\": "
		  "\"99999999999999999999\" is not a number in range");
	CHECK_STR(rule_error("foo==1"),
		  "unknown field \"foo\" in filter rule \"foo==1\" "
		  "(see --help for the fields)");
	CHECK_STR(rule_error("comm~(ab"),
		  "bad filter rule \"comm~(ab\": unbalanced ( in regular "
		  "expression \"(ab\"");
	CHECK_STR(rule_error("pid"),
		  "bad filter rule \"pid\": no operator (==, !=, <, <=, >, "
		  ">=, ~ or !~)");
	CHECK_STR(rule_error("pid!100"),
		  "bad filter rule \"pid!100\": no operator (==, !=, <, <=, "
		  ">, >=, ~ or !~)");
	CHECK_STR(rule_error("==1"),
		  "bad filter rule \"==1\": no field before the operator");
	CHECK_STR(rule_error("pid==1,,uid==0"),
		  "empty filter rule in \"pid==1,,uid==0\"");
	CHECK_STR(rule_error("pid==1,"), "empty filter rule in \"pid==1,\"");
	CHECK_STR(rule_error(""), "empty filter rule in \"\"");
	CHECK_STR(rule_error("src==1"),
		  "bad filter rule \"src==1\": src is not a value: use "
		  "src.addr or src.port");
	CHECK_STR(rule_error("dst~1"),
		  "bad filter rule \"dst~1\": dst is not a value: use "
		  "dst.addr or dst.port");
	CHECK_STR(rule_error("dst.addr>1.2.3.4"),
		  "bad filter rule \"dst.addr>1.2.3.4\": dst.addr compares "
		  "only with ==, !=, ~ and !~");
	CHECK_STR(rule_error("type<=close"),
		  "bad filter rule \"type<=close\": type compares only with "
		  "==, !=, ~ and !~");
	CHECK_STR(rule_error("dst.addr==1.2.3.4/33"),
		  "bad filter rule \"dst.addr==1.2.3.4/33\": \"1.2.3.4/33\" "
		  "is not an address or network (a.b.c.d[/N], IPv6[/N])");
	CHECK(strstr(rule_error("dst.addr==::/129"), "is not an address"));
	CHECK(strstr(rule_error("dst.addr==::/"), "is not an address"));
	CHECK(strstr(rule_error("dst.addr==1.2.3"), "is not an address"));
	CHECK(strstr(rule_error("dst.addr=="), "is not an address"));
	CHECK_STR(rule_error("type==bind"),
		  "bad filter rule \"type==bind\": \"bind\" is not connect, "
		  "accept or close");
	CHECK_STR(rule_error("error==EFOO"),
		  "bad filter rule \"error==EFOO\": \"EFOO\" is not an errno "
		  "name (ECONNREFUSED...), unknown, a number or empty");
	CHECK_STR(list_error(FIELD_PID, "1,x"),
		  "bad filter rule \"--pid 1,x\": \"x\" is not a number");
	CHECK_STR(list_error(FIELD_UID, "1,,2"),
		  "bad --uid list \"1,,2\": an empty value");
	CHECK_STR(list_error(FIELD_COMM, ""),
		  "bad --comm list \"\": an empty value");

	for (int i = 0; i <= FILTER_RULES_MAX; i++)
		strcat(many, i ? ",pid>=1" : "pid>=1");
	CHECK_STR(rule_error(many), "more than 64 filter rules and lists");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "comm==", 6);
	CHECK(!strncmp(rule_error(big), "filter rule of more than 511 bytes "
		       "in \"comm==aaa", 45));
	filter_free(&f);
	for (int i = 0; i < 9; i++) {
		memset(big, 'a', 500);
		memcpy(big, "comm==", 6);
		big[500] = '\0';
		if (i < 8)
			CHECK(!add_rules(big));
		else
			CHECK_STR(rule_error(big) , "(parsed)");
	}
	filter_free(&f);
	for (int i = 0; i < 9; i++) {
		struct tt_err err;

		if (filter_add_rules(&f, big, &err)) {
			CHECK(i == 8);
			CHECK_STR(err.msg, "filter values of more than 4096 "
				  "bytes in all");
		}
	}
	filter_free(&f);
	for (int i = 0; i < FILTER_VALUES_MAX; i++)
		CHECK(!add_list(FIELD_PID, "1"));
	CHECK_STR(list_error(FIELD_PID, "1"), "(parsed)");	/* freed */
	for (int i = 0; i < FILTER_VALUES_MAX; i++)
		CHECK(!add_list(FIELD_PID, "1"));
	{
		struct tt_err err;

		CHECK(filter_add_list(&f, FIELD_TID, "1", &err) == -1);
		CHECK_STR(err.msg, "more than 128 filter values in all");
	}
	filter_free(&f);
}

/* Every value a field can hold, and no other; a command name compared
 * as the kernel keeps it, its first 15 bytes. */
static void test_limits(void)
{
	HOLDS("dst.port<65535");
	HOLDS("fd>=-2147483648");
	CHECK_STR(rule_error("dst.port<65536"),
		  "bad filter rule \"dst.port<65536\": 65536 is outside "
		  "dst.port's 0 to 65535");
	CHECK_STR(list_error(FIELD_UID, "-1"),
		  "bad filter rule \"--uid -1\": -1 is outside "
		  "proc.creds.uid's 0 to 4294967295");
	CHECK_STR(rule_error("fd<-2147483649"),
		  "bad filter rule \"fd<-2147483649\": -2147483649 is "
		  "outside fd's -2147483648 to 2147483647");
	strcpy(ev.comm, "my-very-long-se");
	HOLDS("comm==my-very-long-server");
	FAILS("comm!=my-very-long-server");
	HOLDS("comm~^my-very-long-se$");
	FAILS("comm~server");
	FAILS("comm==my-very-long-s");
	filter_free(&f);
	CHECK(add_list(FIELD_COMM, "my-very-long-server") == 0);
	CHECK(split_verdict(&f) == 1);
	filter_free(&f);
	reset_event();
}

int main(void)
{
	RUN(test_numbers);
	RUN(test_strings);
	RUN(test_addresses);
	RUN(test_names);
	RUN(test_absent);
	RUN(test_escapes);
	RUN(test_several);
	RUN(test_lists);
	RUN(test_errors);
	RUN(test_limits);
	UNIT_EXIT();
}
