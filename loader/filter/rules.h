/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The filter language of -F and the list options --pid, --tid, --uid,
 * --gid and --comm: rules an event must all meet to be shown.
 *
 * -F takes rules separated by commas, FIELD OP VALUE, and may be given
 * several times: every rule of every -F must hold. In a value, "\,"
 * stands for a comma and "\\" for a backslash; any other backslash is
 * kept (a regular expression's "\." reaches it as it is). FIELD is
 * a path of field_table or its alias, in any case (dst.port, pid). OP:
 *
 *   == (or =), !=   equal, not equal
 *   <, <=, >, >=    numbers as signed 64-bit, strings in byte order
 *                   (strcmp); not for addresses, type or error
 *   ~, !~           a POSIX extended regular expression (filter/regex.h,
 *                   trace_tcp's own matcher: no back-references, no
 *                   collating elements) that matches, or not, somewhere
 *                   in the text of the value as -o json shows it (not
 *                   anchored: ^ and $ anchor)
 *
 * Values by field: numbers are decimal, negative ones included; strings
 * are compared byte for byte; an address is IPv4 or IPv6, or a network
 * ADDRESS/N. Addresses compare as IPv6: an IPv4 one, in a rule or in an
 * event, as ::ffff:a.b.c.d, so 10.0.0.0/8 is ::ffff:10.0.0.0/104 and
 * matches an IPv4 event or a v4-mapped IPv6 one, and ::/0 matches
 * every address. type is connect, accept or close; error an errno name
 * as output shows it (ECONNREFUSED, any case), unknown, a number, or
 * empty for success (so error!= means failed). src and dst are not
 * values (src.addr, src.port are).
 *
 * A field an event does not have (a close's duration on a connect, a
 * container name on the host, field_present): == holds only for the
 * empty value, != for any other, <, <=, >, >= never, and ~, !~ see the
 * empty text. A string value that is empty means that: "empty or
 * absent" (runtime.containerName== is the host's events).
 *
 * --pid, --tid, --uid, --gid, --comm take a list, VALUE[,VALUE...], and
 * mean "the field equals one of them"; given again, an option adds to
 * its own list (--pid 1 --pid 2 is --pid 1,2), and each list is one
 * rule beside the -F ones.
 *
 * Where an event is judged: filter_compile_kernel (filter/kernel.h)
 * hands the rules it can to the in-kernel filter; filter_match
 * (filter/match.h) judges the others.
 */
#ifndef TT_FILTER_RULES_H
#define TT_FILTER_RULES_H

#include <linux/types.h>
#include "common/err.h"
#include "filter/regex.h"
#include "output/field_table.h"

#define FILTER_RULES_MAX 64	/* -F rules and lists, in all */
#define FILTER_VALUES_MAX 128	/* values of all rules and lists */
#define FILTER_TEXT_MAX 4096	/* bytes of all string values */
#define FILTER_RULE_LEN 512	/* bytes of one rule */

enum filter_op {
	FILTER_EQ,
	FILTER_NE,
	FILTER_LT,
	FILTER_LE,
	FILTER_GT,
	FILTER_GE,
	FILTER_MATCH,		/* ~ */
	FILTER_NOT_MATCH,	/* !~ */
};

struct filter_value {
	long long number;	/* numbers; a type's or an error's too */
	__u8 addr[16];		/* a network, as IPv6, masked */
	unsigned char prefix;	/* its length in bits, 0 to 128 */
	unsigned short text_at;	/* a string: its bytes in filter.text */
	unsigned short text_len;
};

struct filter_rule {
	unsigned char field;		/* enum field_id */
	unsigned char op;		/* enum filter_op */
	unsigned char in_kernel;	/* the in-kernel filter judges it */
	unsigned short first_value;	/* its values in filter.values */
	unsigned short value_count;	/* more than 1: a list (==) */
	struct tt_regex re;		/* FILTER_MATCH, FILTER_NOT_MATCH */
};

/* All zero is no rule at all. */
struct filter {
	unsigned int rule_count;
	unsigned int value_count;
	unsigned int text_len;
	unsigned char list_rule[FIELD_COUNT];	/* 1 + a list's rule */
	struct filter_rule rules[FILTER_RULES_MAX];
	struct filter_value values[FILTER_VALUES_MAX];
	char text[FILTER_TEXT_MAX];
};

/* Add the rules of one -F value. 0, or -1 with err naming the rule and
 * what is wrong with it (then f holds the rules before it). */
int filter_add_rules(struct filter *f, const char *rules,
		     struct tt_err *err);

/* Does a rule read field? */
int filter_reads(const struct filter *f, enum field_id field);

/* Add the values of --pid, --tid, --uid, --gid or --comm (field: the
 * one of FIELD_PID, FIELD_TID, FIELD_UID, FIELD_GID, FIELD_COMM) to
 * that option's list. 0, or -1 with err. */
int filter_add_list(struct filter *f, enum field_id field, const char *list,
		    struct tt_err *err);

/* Free the regular expressions; f is then empty. */
void filter_free(struct filter *f);

#endif
