/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The filter tests' event and a plain-C reading of include/tt_filter.h:
 * what the programs must decide for a struct tt_filter, written from the
 * header's words alone.
 */
#ifndef FILTER_TEST_H
#define FILTER_TEST_H

#include <arpa/inet.h>
#include <string.h>

#include "filter/kernel.h"
#include "filter/match.h"
#include "unit.h"

static struct tt_event ev;
static struct container_info box;
static struct field_event fe = { &ev, NULL, 0, NULL };

/* A successful IPv4 connect of curl, 10.0.0.1:40000 -> 1.2.3.4:80. */
static void reset_event(void)
{
	memset(&ev, 0, sizeof(ev));
	memset(&box, 0, sizeof(box));
	fe.c = NULL;
	ev.type = TT_EVENT_CONNECT;
	ev.family = 4;
	ev.pid = 100;
	ev.tid = 101;
	ev.uid = 1000;
	ev.gid = 1000;
	ev.fd = 3;
	ev.accept_fd = -1;
	ev.sport = 40000;
	ev.dport = 80;
	strcpy(ev.comm, "curl");
	inet_pton(AF_INET, "10.0.0.1", ev.saddr);
	inet_pton(AF_INET, "1.2.3.4", ev.daddr);
}

/* An address of the event: IPv4 in the first 4 bytes, or IPv6. */
static void set_addr(__u8 *addr, const char *text)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, addr) != 1)
		inet_pton(AF_INET6, text, addr);
}

static long long ref_number(const struct tt_filter_test *t,
			    const struct tt_event *e)
{
	switch (t->field) {
	case TT_FF_PID:
		return e->pid;
	case TT_FF_TID:
		return e->tid;
	case TT_FF_UID:
		return e->uid;
	case TT_FF_GID:
		return e->gid;
	case TT_FF_TYPE:
		return e->type;
	case TT_FF_ERROR:
		return e->error;
	case TT_FF_SPORT:
		return e->sport;
	default:
		return e->dport;
	}
}

static int ref_bytes(const struct tt_filter_test *t, const void *field)
{
	const __u8 *b = field;

	for (int i = 0; i < 16; i++)
		if ((b[i] & t->mask[i]) != t->bytes[i])
			return 0;
	return 1;
}

static int ref_test(const struct tt_filter_test *t, const struct tt_event *e)
{
	long long n;

	switch (t->field) {
	case TT_FF_COMM:
		return t->op == TT_FOP_EQ && ref_bytes(t, e->comm);
	case TT_FF_SADDR:
		return e->family == t->value && ref_bytes(t, e->saddr);
	case TT_FF_DADDR:
		return e->family == t->value && ref_bytes(t, e->daddr);
	}
	n = ref_number(t, e);
	switch (t->op) {
	case TT_FOP_EQ:
		return n == t->value;
	case TT_FOP_LT:
		return n < t->value;
	case TT_FOP_LE:
		return n <= t->value;
	case TT_FOP_GT:
		return n > t->value;
	case TT_FOP_GE:
		return n >= t->value;
	}
	return 0;
}

/* Every group holds: any of its tests, or, negated, none. */
static int ref_filter(const struct tt_filter *f, unsigned int n,
		      const struct tt_event *e)
{
	int all = 1, any = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct tt_filter_test *t = &f->tests[i];

		any |= ref_test(t, e);
		if (t->flags & TT_FTEST_GROUP_END) {
			if (!(t->flags & TT_FTEST_NEGATE) != !!any)
				all = 0;
			any = 0;
		}
	}
	return all;
}

/* The verdict of kernel then user space, which must be that of user
 * space alone. -1 if they disagree. */
static int split_verdict(struct filter *f)
{
	static struct tt_filter kf;
	unsigned int n = filter_compile_kernel(f, &kf);
	int split = ref_filter(&kf, n, &ev) && filter_match(f, &fe);
	int alone = filter_match_all(f, &fe);

	return split == alone ? alone : -1;
}

#endif
