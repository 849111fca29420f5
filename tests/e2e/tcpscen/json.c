// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event line: a strict JSON object of strings, integers, literals and
 * nested objects, flattened to "key.subkey" fields.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "events.h"

#define EVENT_FIELDS_MAX 64
#define EVENT_DEPTH_MAX 4
#define KEY_PATH_MAX 128
#define VALUE_MAX 512
#define POOL_MAX 8192

struct json_parser {
	const char *s;
	size_t len, pos;
	const char *error;
	int n_fields;
	struct { size_t key, value; int is_string; } fields[EVENT_FIELDS_MAX];
	char pool[POOL_MAX];
	size_t pool_len;
};

static int json_fail(struct json_parser *p, const char *why)
{
	if (!p->error)
		p->error = why;
	return -1;
}

static int json_peek(const struct json_parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static void json_skip_space(struct json_parser *p)
{
	while (json_peek(p) == ' ' || json_peek(p) == '\t' || json_peek(p) == '\r')
		p->pos++;
}

static int json_expect(struct json_parser *p, int c, const char *why)
{
	json_skip_space(p);
	if (json_peek(p) != c)
		return json_fail(p, why);
	p->pos++;
	return 0;
}

static int json_hex4(struct json_parser *p, unsigned *out)
{
	int i;

	*out = 0;
	for (i = 0; i < 4; i++) {
		int c = json_peek(p);

		if (c < 0 || !isxdigit(c))
			return json_fail(p, "bad \\u escape");
		*out = *out * 16 + (unsigned)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
		p->pos++;
	}
	return 0;
}

/* Appends a byte to a bounded output buffer (keeping room for the NUL). */
static int put_byte(struct json_parser *p, char *out, size_t cap, size_t *n, int byte)
{
	if (*n + 1 >= cap)
		return json_fail(p, "string too long");
	out[(*n)++] = (char)byte;
	return 0;
}

static int put_utf8(struct json_parser *p, char *out, size_t cap, size_t *n, unsigned cp)
{
	if (cp == 0)
		return json_fail(p, "\\u0000 in string");
	if (cp < 0x80)
		return put_byte(p, out, cap, n, (int)cp);
	if (cp < 0x800)
		return put_byte(p, out, cap, n, 0xc0 | (cp >> 6)) ||
		       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
	if (cp < 0x10000)
		return put_byte(p, out, cap, n, 0xe0 | (cp >> 12)) ||
		       put_byte(p, out, cap, n, 0x80 | ((cp >> 6) & 0x3f)) ||
		       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
	return put_byte(p, out, cap, n, 0xf0 | (cp >> 18)) ||
	       put_byte(p, out, cap, n, 0x80 | ((cp >> 12) & 0x3f)) ||
	       put_byte(p, out, cap, n, 0x80 | ((cp >> 6) & 0x3f)) ||
	       put_byte(p, out, cap, n, 0x80 | (cp & 0x3f));
}

static int json_escape(struct json_parser *p, char *out, size_t cap, size_t *n)
{
	static const char plain[] = "\"\\/bfnrt", meaning[] = "\"\\/\b\f\n\r\t";
	const char *which;
	unsigned cp, low;
	int c = json_peek(p);

	p->pos++;
	if (c > 0 && (which = strchr(plain, c)) != NULL)
		return put_byte(p, out, cap, n, meaning[which - plain]);
	if (c != 'u')
		return json_fail(p, "bad escape in string");
	if (json_hex4(p, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return json_fail(p, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (json_peek(p) != '\\' || p->pos + 1 >= p->len || p->s[p->pos + 1] != 'u')
			return json_fail(p, "lone high surrogate");
		p->pos += 2;
		if (json_hex4(p, &low))
			return -1;
		if (low < 0xdc00 || low > 0xdfff)
			return json_fail(p, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	return put_utf8(p, out, cap, n, cp);
}

/* Copies one raw UTF-8 sequence, checking its shape. */
static int json_utf8(struct json_parser *p, char *out, size_t cap, size_t *n)
{
	int lead = json_peek(p), more, i;

	more = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 :
	       lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
	if (more < 0 || p->pos + (size_t)more >= p->len)
		return json_fail(p, "invalid UTF-8");
	for (i = 1; i <= more; i++)
		if (((unsigned char)p->s[p->pos + i] & 0xc0) != 0x80)
			return json_fail(p, "invalid UTF-8");
	for (i = 0; i <= more; i++)
		if (put_byte(p, out, cap, n, (unsigned char)p->s[p->pos++]))
			return -1;
	return 0;
}

static int json_string(struct json_parser *p, char *out, size_t cap)
{
	size_t n = 0;
	int c;

	if (json_expect(p, '"', "expected a string"))
		return -1;
	for (;;) {
		c = json_peek(p);
		if (c < 0)
			return json_fail(p, "unterminated string");
		if (c == '"')
			break;
		if (c < 0x20)
			return json_fail(p, "control character in string");
		if (c == '\\') {
			p->pos++;
			if (json_escape(p, out, cap, &n))
				return -1;
		} else if (c >= 0x80) {
			if (json_utf8(p, out, cap, &n))
				return -1;
		} else {
			if (put_byte(p, out, cap, &n, c))
				return -1;
			p->pos++;
		}
	}
	p->pos++;
	out[n] = '\0';
	return 0;
}

/* -?(0|[1-9][0-9]*), at most 20 digits; fractions and exponents are refused. */
static int json_integer(struct json_parser *p, char *out, size_t cap)
{
	size_t start = p->pos, digits = 0;

	if (json_peek(p) == '-')
		p->pos++;
	if (json_peek(p) == '0') {
		p->pos++;
		digits = 1;
	} else {
		while (json_peek(p) >= '0' && json_peek(p) <= '9') {
			p->pos++;
			digits++;
		}
	}
	if (digits == 0)
		return json_fail(p, "bad number");
	if (json_peek(p) >= '0' && json_peek(p) <= '9')
		return json_fail(p, "leading zero in number");
	if (json_peek(p) == '.' || json_peek(p) == 'e' || json_peek(p) == 'E')
		return json_fail(p, "only integers are expected");
	if (digits > 20 || p->pos - start + 1 > cap)
		return json_fail(p, "number too long");
	memcpy(out, p->s + start, p->pos - start);
	out[p->pos - start] = '\0';
	return 0;
}

static int json_literal(struct json_parser *p, char *out, size_t cap)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(words[i]);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i], n) && n < cap) {
			memcpy(out, words[i], n + 1);
			p->pos += n;
			return 0;
		}
	}
	return json_fail(p, "unexpected character");
}

static int pool_add(struct json_parser *p, const char *text, size_t *offset)
{
	size_t n = strlen(text) + 1;

	if (p->pool_len + n > sizeof p->pool)
		return json_fail(p, "event too large");
	memcpy(p->pool + p->pool_len, text, n);
	*offset = p->pool_len;
	p->pool_len += n;
	return 0;
}

static int json_add_field(struct json_parser *p, const char *key, const char *value,
			  int is_string)
{
	int i;

	for (i = 0; i < p->n_fields; i++)
		if (!strcmp(p->pool + p->fields[i].key, key))
			return json_fail(p, "duplicate key");
	if (p->n_fields >= EVENT_FIELDS_MAX)
		return json_fail(p, "too many keys");
	if (pool_add(p, key, &p->fields[p->n_fields].key) ||
	    pool_add(p, value, &p->fields[p->n_fields].value))
		return -1;
	p->fields[p->n_fields++].is_string = is_string;
	return 0;
}

static int json_object(struct json_parser *p, const char *prefix, int depth);

/* A member's value, stored under path (an object's members under path.key). */
static int json_value(struct json_parser *p, const char *path, int depth)
{
	char value[VALUE_MAX];
	int c, is_string = 0;

	json_skip_space(p);
	c = json_peek(p);
	if (c == '{')
		return json_object(p, path, depth + 1);
	if (c == '[')
		return json_fail(p, "arrays are not expected");
	if (c == '"') {
		is_string = 1;
		if (json_string(p, value, sizeof value))
			return -1;
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		if (json_integer(p, value, sizeof value))
			return -1;
	} else if (json_literal(p, value, sizeof value)) {
		return -1;
	}
	return json_add_field(p, path, value, is_string);
}

/* "key": value, its path being prefix.key (or key at the top). */
static int json_member(struct json_parser *p, const char *prefix, int depth)
{
	char key[KEY_PATH_MAX], path[KEY_PATH_MAX];
	int n;

	json_skip_space(p);
	if (json_string(p, key, sizeof key))
		return -1;
	if (!key[0] || strchr(key, '.'))
		return json_fail(p, "empty key or key with '.'");
	n = prefix ? snprintf(path, sizeof path, "%s.%s", prefix, key)
		   : snprintf(path, sizeof path, "%s", key);
	if (n < 0 || (size_t)n >= sizeof path)
		return json_fail(p, "key path too long");
	if (json_expect(p, ':', "expected ':'"))
		return -1;
	return json_value(p, path, depth);
}

/* An object whose members are flattened to "prefix.key". */
static int json_object(struct json_parser *p, const char *prefix, int depth)
{
	int c;

	if (depth > EVENT_DEPTH_MAX)
		return json_fail(p, "nested too deep");
	if (json_expect(p, '{', "expected an object"))
		return -1;
	json_skip_space(p);
	if (json_peek(p) == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (json_member(p, prefix, depth))
			return -1;
		json_skip_space(p);
		c = json_peek(p);
		p->pos++;
		if (c == '}')
			return 0;
		if (c != ',')
			return json_fail(p, "expected ',' or '}'");
	}
}

/* Parses one line into ev; NULL on success, else why it is malformed. */
const char *parse_event(const char *line, size_t len, struct event *ev)
{
	static struct json_parser p;	/* large: keep it off the stack */
	int i;

	memset(&p, 0, sizeof p);
	p.s = line;
	p.len = len;
	if (json_object(&p, NULL, 1) == 0) {
		json_skip_space(&p);
		if (p.pos != p.len)
			json_fail(&p, "garbage after the object");
	}
	if (p.error)
		return p.error;
	ev->pool = malloc(p.pool_len ? p.pool_len : 1);
	ev->fields = malloc(sizeof *ev->fields * (p.n_fields ? p.n_fields : 1));
	ev->raw = strdup(line);
	if (!ev->pool || !ev->fields || !ev->raw)
		die("malloc");
	memcpy(ev->pool, p.pool, p.pool_len);
	ev->n_fields = p.n_fields;
	for (i = 0; i < p.n_fields; i++) {
		ev->fields[i].key = ev->pool + p.fields[i].key;
		ev->fields[i].value = ev->pool + p.fields[i].value;
		ev->fields[i].is_string = p.fields[i].is_string;
	}
	return NULL;
}

const struct field *event_field(const struct event *ev, const char *key)
{
	int i;

	for (i = 0; i < ev->n_fields; i++)
		if (!strcmp(ev->fields[i].key, key))
			return &ev->fields[i];
	return NULL;
}

const char *event_get(const struct event *ev, const char *key)
{
	const struct field *f = event_field(ev, key);

	return f ? f->value : NULL;
}
