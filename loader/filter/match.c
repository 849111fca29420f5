// SPDX-License-Identifier: GPL-2.0-only
/* Judging an event by filter rules in user space (see match.h). */
#include "filter/match.h"

#include <string.h>

#include "output/text.h"

/* Room for any field's text: a container image's name is the longest. */
#define FIELD_TEXT_MAX 1024

/* The field's text as -o json shows it, unescaped, NUL-terminated; ""
 * for a field the event does not have. */
static size_t field_text(enum field_id field, const struct field_event *fe,
			 int present, char buf[FIELD_TEXT_MAX])
{
	struct text t = text_init(buf, FIELD_TEXT_MAX);

	if (present)
		field_put_text(&t, field, fe);
	buf[t.len] = '\0';	/* what fitted; nothing ever overflows */
	return t.len;
}

static int regex_holds(const struct filter_rule *r,
		       const struct field_event *fe, int present)
{
	char buf[FIELD_TEXT_MAX];
	size_t len = field_text(r->field, fe, present, buf);

	return tt_regex_search(&r->re, buf, len);
}

static int sign(long long a, long long b)
{
	return (a > b) - (a < b);
}

static int text_order(const char *a, size_t a_len, const char *b,
		      size_t b_len)
{
	int c = memcmp(a, b, a_len < b_len ? a_len : b_len);

	return c ? (c > 0) - (c < 0) : sign((long long)a_len,
					     (long long)b_len);
}

/* 0 if addr is in the network v, else 1. */
static int network_order(const __u8 addr[16], const struct filter_value *v)
{
	for (int i = 0; i < 16; i++) {
		int bits = v->prefix - 8 * i;
		__u8 mask = bits >= 8 ? 0xff :
			    bits > 0 ? (__u8)(0xff << (8 - bits)) : 0;

		if ((addr[i] & mask) != v->addr[i])
			return 1;
	}
	return 0;
}

/* The event's address as IPv6: IPv4 v4-mapped. */
static void address_v6(enum field_id field, const struct field_event *fe,
		       __u8 addr[16])
{
	if (field_address(field, fe, addr) == 4) {
		memmove(addr + 12, addr, 4);
		memset(addr, 0, 10);
		addr[10] = addr[11] = 0xff;
	}
}

/* What the field's value is to each value of the rule: the sign of
 * their comparison (addresses: 0 in the network, else 1). */
struct subject {
	enum field_compare compare;
	long long number;
	__u8 addr[16];
	size_t text_len;
	char text[FIELD_TEXT_MAX];
};

static void read_subject(struct subject *s, enum field_id field,
			 const struct field_event *fe)
{
	s->compare = field_table[field].compare;
	if (s->compare == COMPARE_ADDRESS)
		address_v6(field, fe, s->addr);
	else if (s->compare == COMPARE_STRING)
		s->text_len = field_text(field, fe, 1, s->text);
	else
		s->number = field_number(field, fe);
}

static int order(const struct filter *f, const struct subject *s,
		 const struct filter_value *v)
{
	switch (s->compare) {
	case COMPARE_ADDRESS:
		return network_order(s->addr, v);
	case COMPARE_STRING:
		return text_order(s->text, s->text_len, f->text + v->text_at,
				  v->text_len);
	default:
		return sign(s->number, v->number);
	}
}

/* Is one of the rule's values the empty string? */
static int has_empty_value(const struct filter *f,
			   const struct filter_rule *r)
{
	if (field_table[r->field].compare != COMPARE_STRING)
		return 0;
	for (unsigned int i = 0; i < r->value_count; i++)
		if (!f->values[r->first_value + i].text_len)
			return 1;
	return 0;
}

static int rule_holds(const struct filter *f, const struct filter_rule *r,
		      const struct field_event *fe)
{
	int present = field_present(r->field, fe), c, equal = 0;
	struct subject s;

	if (r->op == FILTER_MATCH || r->op == FILTER_NOT_MATCH)
		return regex_holds(r, fe, present) ^ (r->op ==
						      FILTER_NOT_MATCH);
	if (!present) {
		equal = has_empty_value(f, r);
		return r->op == FILTER_EQ ? equal :
		       r->op == FILTER_NE ? !equal : 0;
	}
	read_subject(&s, r->field, fe);
	if (r->op == FILTER_EQ || r->op == FILTER_NE) {
		for (unsigned int i = 0; i < r->value_count && !equal; i++)
			equal = !order(f, &s, &f->values[r->first_value + i]);
		return equal ^ (r->op == FILTER_NE);
	}
	c = order(f, &s, &f->values[r->first_value]);
	switch (r->op) {
	case FILTER_LT:
		return c < 0;
	case FILTER_LE:
		return c <= 0;
	case FILTER_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static int rules_hold(const struct filter *f, const struct field_event *fe,
		      int all)
{
	for (unsigned int i = 0; i < f->rule_count; i++) {
		const struct filter_rule *r = &f->rules[i];

		if ((all || !r->in_kernel) && !rule_holds(f, r, fe))
			return 0;
	}
	return 1;
}

int filter_match(const struct filter *f, const struct field_event *fe)
{
	return rules_hold(f, fe, 0);
}

int filter_match_all(const struct filter *f, const struct field_event *fe)
{
	return rules_hold(f, fe, 1);
}

unsigned int filter_user_rules(const struct filter *f)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->rule_count; i++)
		n += !f->rules[i].in_kernel;
	return n;
}
