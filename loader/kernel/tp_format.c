// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parser for tracefs event `format` files. The text comes from the kernel
 * but is treated as untrusted: every read is bounded by the given length,
 * numbers are range-checked before use, and anything that does not fit
 * the fixed-size result is an error rather than silently dropped.
 *
 * Lines of interest:
 *   ID: 2287
 *   	field:__u8 saddr[4];	offset:32;	size:4;	signed:0;
 * Parsing stops at "print fmt:", whose text is free-form.
 */
#include "kernel/tp_format.h"

#include <stdio.h>
#include <string.h>

#define TP_OFFSET_LIMIT 65535UL	/* a raw tracepoint record is far smaller */

/* One line of input, [p, end), without its newline. */
struct span {
	const char *p, *end;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static struct span trim(struct span s)
{
	while (s.p < s.end && is_blank(*s.p))
		s.p++;
	while (s.end > s.p && is_blank(s.end[-1]))
		s.end--;
	return s;
}

/* If s starts with prefix, step past it and return 1. */
static int eat_prefix(struct span *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, prefix, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

static int span_equals(struct span s, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(s.end - s.p) == n && memcmp(s.p, word, n) == 0;
}

/* The first position of c in s, or NULL. */
static const char *find_char(struct span s, char c)
{
	return s.p < s.end ? memchr(s.p, c, (size_t)(s.end - s.p)) : NULL;
}

/* A whole span of decimal digits (surrounding blanks allowed), <= max. */
static int parse_decimal(struct span s, unsigned long max, unsigned long *out)
{
	unsigned long value = 0;

	s = trim(s);
	if (s.p == s.end)
		return -1;
	for (; s.p < s.end; s.p++) {
		if (*s.p < '0' || *s.p > '9')
			return -1;
		value = value * 10 + (unsigned long)(*s.p - '0');
		if (value > max)	/* checked each digit: cannot wrap */
			return -1;
	}
	*out = value;
	return 0;
}

/*
 * The field name is the last identifier of the declaration, after
 * dropping an array suffix: "__u8 saddr[4]" -> "saddr",
 * "const void * skaddr" -> "skaddr", "__data_loc char[] name" -> "name".
 * Returns NULL on success or the reason it failed.
 */
static const char *extract_name(struct span decl, char name[TP_FIELD_NAME_MAX])
{
	const char *start;
	size_t n;

	decl = trim(decl);
	if (decl.end > decl.p && decl.end[-1] == ']') {
		while (decl.end > decl.p && decl.end[-1] != '[')
			decl.end--;
		if (decl.end == decl.p)
			return "unbalanced ']' in field declaration";
		decl.end--;	/* drop the '[' */
		decl = trim(decl);
	}
	start = decl.end;
	while (start > decl.p && is_ident_char(start[-1]))
		start--;
	n = (size_t)(decl.end - start);
	if (n == 0 || (*start >= '0' && *start <= '9'))
		return "field declaration has no name";
	if (n >= TP_FIELD_NAME_MAX)
		return "field name too long";
	memcpy(name, start, n);
	name[n] = '\0';
	return NULL;
}

/*
 * The attributes after the declaration: "offset:N;" "size:N;" "signed:N;"
 * separated by blanks. Unknown keys are skipped for forward compatibility;
 * offset and size are required.
 */
static const char *parse_attributes(struct span rest, struct tp_field *field)
{
	int have_offset = 0, have_size = 0;

	for (;;) {
		struct span key, value;
		const char *colon, *semi;
		unsigned long number;

		rest = trim(rest);
		if (rest.p == rest.end)
			break;
		colon = find_char(rest, ':');
		semi = find_char(rest, ';');
		if (!colon || !semi || semi < colon)
			return "malformed field attribute";
		key = (struct span){ rest.p, colon };
		value = (struct span){ colon + 1, semi };
		rest.p = semi + 1;

		if (span_equals(key, "offset")) {
			if (have_offset ||
			    parse_decimal(value, TP_OFFSET_LIMIT, &number))
				return "bad offset";
			field->offset = (unsigned int)number;
			have_offset = 1;
		} else if (span_equals(key, "size")) {
			if (have_size ||
			    parse_decimal(value, TP_OFFSET_LIMIT, &number))
				return "bad size";
			field->size = (unsigned int)number;
			have_size = 1;
		} else if (span_equals(key, "signed")) {
			if (parse_decimal(value, 1, &number))
				return "bad signed flag";
			field->is_signed = (int)number;
		}
	}
	if (!have_offset)
		return "field without offset";
	if (!have_size)
		return "field without size";
	/* Both are <= 65535, so the sum cannot overflow. */
	if ((unsigned long)field->offset + field->size > TP_OFFSET_LIMIT)
		return "field extends past 65535 bytes";
	return NULL;
}

/* "field:<declaration>;<attributes>" with the "field:" already eaten. */
static const char *parse_field_line(struct span line, struct tp_format *out)
{
	struct tp_field field = { .is_signed = 0 };
	const char *semi = find_char(line, ';');
	const char *why;

	if (!semi)
		return "field declaration without ';'";
	why = extract_name((struct span){ line.p, semi }, field.name);
	if (why)
		return why;
	why = parse_attributes((struct span){ semi + 1, line.end }, &field);
	if (why)
		return why;
	if (tp_format_field(out, field.name))
		return "duplicate field name";
	if (out->nfields >= TP_MAX_FIELDS)
		return "too many fields";
	out->fields[out->nfields++] = field;
	return NULL;
}

int tp_format_parse(const char *text, size_t len, struct tp_format *out,
		    struct tt_err *err)
{
	const char *pos = text, *text_end = text + len;
	unsigned int line_no = 0;
	int have_id = 0;

	memset(out, 0, sizeof(*out));
	if (!text && len)
		return tt_fail(err, "no input");

	while (pos < text_end) {
		const char *newline = memchr(pos, '\n',
					     (size_t)(text_end - pos));
		struct span line = { pos, newline ? newline : text_end };
		const char *why = NULL;
		unsigned long id;

		pos = newline ? newline + 1 : text_end;
		line_no++;
		line = trim(line);

		if (eat_prefix(&line, "print fmt:")) {
			break;
		} else if (eat_prefix(&line, "ID:")) {
			if (have_id)
				why = "second ID line";
			else if (parse_decimal(line, 0xffffffffUL, &id))
				why = "bad ID";
			else
				out->id = (unsigned int)id;
			have_id = 1;
		} else if (eat_prefix(&line, "field:")) {
			why = parse_field_line(line, out);
		}
		/* "name:", "format:" and blank lines carry nothing we need. */
		if (why)
			return tt_fail(err, "line %u: %s", line_no, why);
	}
	if (!have_id)
		return tt_fail(err, "no ID line");
	if (out->nfields == 0)
		return tt_fail(err, "no fields");
	return 0;
}

const struct tp_field *tp_format_field(const struct tp_format *fmt,
				       const char *name)
{
	unsigned int i;

	for (i = 0; i < fmt->nfields && i < TP_MAX_FIELDS; i++)
		if (strcmp(fmt->fields[i].name, name) == 0)
			return &fmt->fields[i];
	return NULL;
}
