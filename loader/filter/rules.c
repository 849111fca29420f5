// SPDX-License-Identifier: GPL-2.0-only
/* Parsing filter rules and lists (see rules.h). */
#include "filter/rules.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output/errno_name.h"

/* One rule or list value, unescaped, and the rule it came from. */
struct rule_text {
	const char *whole;	/* the rule, for messages */
	const char *value;
	size_t value_len;
};

static int bad_rule(struct tt_err *err, const char *rule, const char *why)
{
	return tt_fail(err, "bad filter rule \"%s\": %s", rule, why);
}

/* Copy the next comma-separated item of *list into buf, unescaping
 * "\," and "\\", and step *list past it and its comma. The item's
 * length, or -1 if it does not fit in buf. */
static int next_item(const char **list, char *buf, size_t size)
{
	const char *p = *list;
	size_t n = 0;

	for (; *p && *p != ','; p++) {
		if (p[0] == '\\' && (p[1] == ',' || p[1] == '\\'))
			p++;
		if (n + 1 >= size)
			return -1;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	*list = *p ? p + 1 : NULL;
	return (int)n;
}

static int parse_number(const char *s, long long *v)
{
	char *end;

	errno = 0;
	if (!(s[0] >= '0' && s[0] <= '9') &&
	    !(s[0] == '-' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	*v = strtoll(s, &end, 10);
	return *end || errno ? -1 : 0;
}

/* addr/prefix as IPv6, the bits after prefix cleared. */
static void mask_network(struct filter_value *v)
{
	for (int i = 0; i < 16; i++) {
		int bits = v->prefix - 8 * i;

		if (bits <= 0)
			v->addr[i] = 0;
		else if (bits < 8)
			v->addr[i] &= (__u8)(0xff << (8 - bits));
	}
}

/* ADDRESS or ADDRESS/N, IPv4 as v4-mapped IPv6. */
static int parse_network(const char *s, struct filter_value *v)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	long long prefix = -1;
	int v4;

	if (len >= sizeof(addr))
		return -1;
	memcpy(addr, s, len);
	addr[len] = '\0';
	memset(v->addr, 0, 16);
	v4 = inet_pton(AF_INET, addr, v->addr + 12) == 1;
	if (v4)
		v->addr[10] = v->addr[11] = 0xff;
	else if (inet_pton(AF_INET6, addr, v->addr) != 1)
		return -1;
	if (slash && (parse_number(slash + 1, &prefix) || prefix < 0 ||
		      prefix > (v4 ? 32 : 128)))
		return -1;
	v->prefix = (unsigned char)(prefix < 0 ? 128 : prefix + 96 * v4);
	mask_network(v);
	return 0;
}

static int parse_name(enum field_id field, const struct rule_text *t,
		      struct filter_value *v, struct tt_err *err)
{
	static const char *const types[] = {
		[TT_EVENT_CONNECT] = "connect",
		[TT_EVENT_ACCEPT] = "accept",
		[TT_EVENT_CLOSE] = "close",
	};
	char why[160];

	if (field == FIELD_TYPE) {
		for (int i = TT_EVENT_CONNECT; i <= TT_EVENT_CLOSE; i++)
			if (!strcasecmp(t->value, types[i])) {
				v->number = i;
				return 0;
			}
		snprintf(why, sizeof(why), "\"%.60s\" is not connect, accept "
			 "or close", t->value);
		return bad_rule(err, t->whole, why);
	}
	if (!t->value[0])
		v->number = 0;
	else if (!strcasecmp(t->value, "unknown"))
		v->number = TT_ERROR_UNKNOWN;
	else if (parse_number(t->value, &v->number) &&
		 !(v->number = errno_number(t->value))) {
		snprintf(why, sizeof(why), "\"%.60s\" is not an errno name "
			 "(ECONNREFUSED...), unknown, a number or empty",
			 t->value);
		return bad_rule(err, t->whole, why);
	}
	return 0;
}

static int keep_text(struct filter *f, const struct rule_text *t,
		     struct filter_value *v, struct tt_err *err)
{
	if (t->value_len > FILTER_TEXT_MAX - f->text_len)
		return tt_fail(err, "filter values of more than %d bytes in "
			       "all", FILTER_TEXT_MAX);
	memcpy(f->text + f->text_len, t->value, t->value_len);
	v->text_at = (unsigned short)f->text_len;
	v->text_len = (unsigned short)t->value_len;
	f->text_len += (unsigned int)t->value_len;
	return 0;
}

static int check_range(enum field_id field, const struct rule_text *t,
		       long long number, struct tt_err *err)
{
	long long min, max;
	char why[160];

	if (field_number_range(field, &min, &max) ||
	    (number >= min && number <= max))
		return 0;
	snprintf(why, sizeof(why), "%lld is outside %s's %lld to %lld",
		 number, field_table[field].path, min, max);
	return bad_rule(err, t->whole, why);
}

/* An == or != value longer than the field holds compares as the kernel
 * stores it: a command name's first 15 bytes, as exec and prctl keep. */
static const struct rule_text *cut_to_field(const struct filter_rule *r,
					    struct rule_text *t)
{
	size_t max = field_text_max(r->field);

	if (max && t->value_len > max &&
	    (r->op == FILTER_EQ || r->op == FILTER_NE))
		t->value_len = max;
	return t;
}

/* The value of rule r (not a regular expression) into v. */
static int parse_value(struct filter *f, const struct filter_rule *r,
		       struct rule_text *t, struct filter_value *v,
		       struct tt_err *err)
{
	char why[160];

	switch (field_table[r->field].compare) {
	case COMPARE_NUMBER:
		if (parse_number(t->value, &v->number)) {
			snprintf(why, sizeof(why), "\"%.60s\" is not a "
				 "number%s", t->value,
				 errno == ERANGE ? " in range" : "");
			return bad_rule(err, t->whole, why);
		}
		return check_range(r->field, t, v->number, err);
	case COMPARE_ADDRESS:
		if (!parse_network(t->value, v))
			return 0;
		snprintf(why, sizeof(why), "\"%.60s\" is not an address or "
			 "network (a.b.c.d[/N], IPv6[/N])", t->value);
		return bad_rule(err, t->whole, why);
	case COMPARE_NAME:
		return parse_name(r->field, t, v, err);
	default:
		return keep_text(f, cut_to_field(r, t), v, err);
	}
}

static int compile_regex(struct filter_rule *r, const struct rule_text *t,
			 struct tt_err *err)
{
	struct tt_err why;

	if (!tt_regex_compile(&r->re, t->value, &why))
		return 0;
	return bad_rule(err, t->whole, why.msg);
}

/* The operator at s, its length into *len; -1 if none. */
static int operator_at(const char *s, size_t *len)
{
	static const struct {
		char text[3];
		unsigned char op;
	} ops[] = {
		{ "==", FILTER_EQ }, { "!=", FILTER_NE }, { "!~", FILTER_NOT_MATCH },
		{ "<=", FILTER_LE }, { ">=", FILTER_GE }, { "=", FILTER_EQ },
		{ "<", FILTER_LT }, { ">", FILTER_GT }, { "~", FILTER_MATCH },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		*len = strlen(ops[i].text);
		if (!strncmp(s, ops[i].text, *len))
			return ops[i].op;
	}
	return -1;
}

static int take_rule(struct filter *f, struct tt_err *err)
{
	if (f->rule_count == FILTER_RULES_MAX)
		return tt_fail(err, "more than %d filter rules and lists",
			       FILTER_RULES_MAX);
	return 0;
}

static int take_value(struct filter *f, struct tt_err *err)
{
	if (f->value_count == FILTER_VALUES_MAX)
		return tt_fail(err, "more than %d filter values in all",
			       FILTER_VALUES_MAX);
	return 0;
}

/* Which operators a field takes, beyond ==, != and the regexes. */
static int check_operator(const struct filter_rule *r, const char *rule,
			  struct tt_err *err)
{
	const struct field_def *d = &field_table[r->field];
	char why[160];

	if (d->compare == COMPARE_NONE) {
		snprintf(why, sizeof(why), "%s is not a value: use %s.addr or "
			 "%s.port", d->path, d->path, d->path);
		return bad_rule(err, rule, why);
	}
	if (r->op >= FILTER_LT && r->op <= FILTER_GE &&
	    (d->compare == COMPARE_ADDRESS || d->compare == COMPARE_NAME)) {
		snprintf(why, sizeof(why), "%s compares only with ==, !=, ~ "
			 "and !~", d->path);
		return bad_rule(err, rule, why);
	}
	return 0;
}

/* FIELD OP VALUE into a new rule. */
static int add_rule(struct filter *f, const char *rule, struct tt_err *err)
{
	struct filter_rule *r = &f->rules[f->rule_count];
	size_t at = strcspn(rule, "=!<>~"), op_len;
	int op = operator_at(rule + at, &op_len), field;
	struct rule_text t = { rule, rule + at + op_len, 0 };

	if (op < 0)
		return bad_rule(err, rule, "no operator (==, !=, <, <=, >, "
				">=, ~ or !~)");
	if (at == 0)
		return bad_rule(err, rule, "no field before the operator");
	field = field_find(rule, at);
	if (field < 0)
		return tt_fail(err, "unknown field \"%.*s\" in filter rule "
			       "\"%s\" (see --help for the fields)", (int)at,
			       rule, rule);
	t.value_len = strlen(t.value);
	memset(r, 0, sizeof(*r));
	r->field = (unsigned char)field;
	r->op = (unsigned char)op;
	if (check_operator(r, rule, err))
		return -1;
	if (op == FILTER_MATCH || op == FILTER_NOT_MATCH) {
		if (compile_regex(r, &t, err))
			return -1;
	} else {
		if (take_value(f, err) ||
		    parse_value(f, r, &t, &f->values[f->value_count], err))
			return -1;
		r->first_value = (unsigned short)f->value_count++;
		r->value_count = 1;
	}
	f->rule_count++;
	return 0;
}

int filter_add_rules(struct filter *f, const char *rules, struct tt_err *err)
{
	char rule[FILTER_RULE_LEN];
	const char *p = rules;

	while (p) {
		int len = next_item(&p, rule, sizeof(rule));

		if (len < 0)
			return tt_fail(err, "filter rule of more than %d bytes "
				       "in \"%.60s...\"", FILTER_RULE_LEN - 1,
				       rules);
		if (len == 0)
			return tt_fail(err, "empty filter rule in \"%s\"",
				       rules);
		if (take_rule(f, err) || add_rule(f, rule, err))
			return -1;
	}
	return 0;
}

/* A rule of its own for this option's list, made on its first use. */
static struct filter_rule *list_rule(struct filter *f, enum field_id field,
				     struct tt_err *err)
{
	struct filter_rule *r;

	if (f->list_rule[field])
		return &f->rules[f->list_rule[field] - 1];
	if (take_rule(f, err))
		return NULL;
	r = &f->rules[f->rule_count++];
	memset(r, 0, sizeof(*r));
	r->field = (unsigned char)field;
	r->op = FILTER_EQ;
	r->first_value = (unsigned short)f->value_count;
	f->list_rule[field] = (unsigned char)f->rule_count;
	return r;
}

/* Room for one more value at the end of r's: the values of the rules
 * after it move up one. */
static struct filter_value *open_value(struct filter *f,
				       struct filter_rule *r)
{
	unsigned int at = r->first_value + r->value_count;

	memmove(&f->values[at + 1], &f->values[at],
		(f->value_count - at) * sizeof(f->values[0]));
	for (unsigned int i = 0; i < f->rule_count; i++)
		if (&f->rules[i] != r && f->rules[i].value_count &&
		    f->rules[i].first_value >= at)
			f->rules[i].first_value++;
	f->value_count++;
	r->value_count++;
	memset(&f->values[at], 0, sizeof(f->values[at]));
	return &f->values[at];
}

int filter_add_list(struct filter *f, enum field_id field, const char *list,
		    struct tt_err *err)
{
	struct filter_rule *r = list_rule(f, field, err);
	char item[FILTER_RULE_LEN], whole[FILTER_RULE_LEN + 16];
	const char *p = list;
	struct filter_value v;

	if (!r)
		return -1;
	while (p) {
		struct rule_text t = { whole, item, 0 };
		int len = next_item(&p, item, sizeof(item));

		snprintf(whole, sizeof(whole), "--%s %s",
			 field_table[field].alias, list);
		if (len <= 0)
			return tt_fail(err, "bad --%s list \"%s\": %s",
				       field_table[field].alias, list,
				       len ? "a value too long" :
				       "an empty value");
		t.value_len = (size_t)len;
		memset(&v, 0, sizeof(v));
		if (take_value(f, err) || parse_value(f, r, &t, &v, err))
			return -1;
		*open_value(f, r) = v;
	}
	return 0;
}

void filter_free(struct filter *f)
{
	for (unsigned int i = 0; i < f->rule_count; i++)
		if (f->rules[i].op == FILTER_MATCH ||
		    f->rules[i].op == FILTER_NOT_MATCH)
			tt_regex_free(&f->rules[i].re);
	memset(f, 0, sizeof(*f));
}

int filter_reads(const struct filter *f, enum field_id field)
{
	for (unsigned int i = 0; i < f->rule_count; i++)
		if (f->rules[i].field == field)
			return 1;
	return 0;
}
