// SPDX-License-Identifier: GPL-2.0-only
/*
 * A strict JSON reader that never allocates: validate once (json_parse),
 * then find values by path by skipping over byte ranges. Every pointer is
 * checked against the end of the range before it is read; nesting is
 * bounded by JSON_MAX_DEPTH, so the recursion in skip_value is too.
 * Lookups skip the values they pass over with skip_valid, a byte scan
 * that trusts json_parse's verdict: a lookup then costs a fraction of
 * the validation, which matters on a file of a megabyte.
 */
#include "containers/json_scan.h"

#include <string.h>

#include "common/utf8.h"

/* The scanner's per-byte steps, inlined even at -Os: as calls they made
 * validation four times slower (2 ms for 256 KiB of [1,1,...]). */
#define HOT inline __attribute__((always_inline))

static HOT const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static HOT int is_digit(const char *p, const char *e)
{
	return p < e && *p >= '0' && *p <= '9';
}

static int hex4(const char *p, const char *e, unsigned int *out)
{
	unsigned int v = 0;
	int i;

	if (e - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned int)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(unsigned int cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The escape at p (its backslash) as a code point in *cp; a surrogate
 * pair is one escape. Returns the byte after it, or NULL if malformed.
 */
static const char *unescape(const char *p, const char *e, unsigned int *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *c;
	unsigned int lo;

	if (e - p < 2)
		return NULL;
	if (p[1] != 'u') {
		c = memchr(from, p[1], sizeof(from) - 1);
		if (!c)
			return NULL;
		*cp = (unsigned char)to[c - from];
		return p + 2;
	}
	if (hex4(p + 2, e, cp))
		return NULL;
	p += 6;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return NULL;	/* lone low surrogate */
	if (*cp < 0xd800 || *cp > 0xdbff)
		return p;
	if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
	    hex4(p + 2, e, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return NULL;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return p + 6;
}

/*
 * The string starting at p (its opening quote): validated, and decoded
 * into out when out is not NULL. Returns the byte after the closing quote,
 * or NULL if it is malformed or, with out, holds U+0000 or does not fit
 * in outlen (out is then "").
 */
static const char *string_scan(const char *p, const char *e, char *out,
			       size_t outlen)
{
	size_t o = 0;
	int nul = 0;

	if (p >= e || *p != '"')
		return NULL;
	for (p++;;) {
		unsigned char c;
		unsigned int cp;
		char b[4];
		size_t n;

		if (p >= e)
			return NULL;
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			p = unescape(p, e, &cp);
			if (!p)
				return NULL;
			n = utf8_put(cp, b);
			nul |= cp == 0;
		} else if (c < 0x80) {
			b[0] = (char)c;
			n = 1;
			p++;
		} else {
			n = utf8_sequence(p, e, NULL);
			if (!n)
				return NULL;
			memcpy(b, p, n);
			p += n;
		}
		if (out && o + n < outlen)
			memcpy(out + o, b, n);
		o += n;
	}
	if (out) {
		if (nul || o >= outlen) {
			if (outlen)
				out[0] = '\0';
			return NULL;
		}
		out[o] = '\0';
	}
	return p + 1;
}

static HOT const char *skip_number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (is_digit(p, e) && *p != '0')
		while (is_digit(p, e))
			p++;
	else
		return NULL;
	if (p < e && *p == '.') {
		if (!is_digit(++p, e))
			return NULL;
		while (is_digit(p, e))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(p, e))
			return NULL;
		while (is_digit(p, e))
			p++;
	}
	return p;
}

static const char *skip_word(const char *p, const char *e, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(e - p) < n || memcmp(p, w, n) != 0)
		return NULL;
	return p + n;
}

static HOT enum json_type type_of(char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

/* The end of the value starting at p, or NULL if it is malformed. */
static const char *skip_value(const char *p, const char *e, int depth)
{
	int obj;
	char close;

	if (p >= e)
		return NULL;
	switch (type_of(*p)) {
	case JSON_STRING: return string_scan(p, e, NULL, 0);
	case JSON_TRUE: return skip_word(p, e, "true");
	case JSON_FALSE: return skip_word(p, e, "false");
	case JSON_NULL: return skip_word(p, e, "null");
	case JSON_NUMBER: return skip_number(p, e);
	default: break;
	}
	if (depth >= JSON_MAX_DEPTH)
		return NULL;
	obj = *p == '{';
	close = obj ? '}' : ']';
	p = skip_ws(p + 1, e);
	if (p < e && *p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = string_scan(p, e, NULL, 0);
			if (!p)
				return NULL;
			p = skip_ws(p, e);
			if (p >= e || *p != ':')
				return NULL;
			p = skip_ws(p + 1, e);
		}
		p = skip_value(p, e, depth + 1);
		if (!p)
			return NULL;
		p = skip_ws(p, e);
		if (p >= e)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = skip_ws(p + 1, e);
	}
}

/* One past the string at p (its opening quote), which json_parse has
 * validated: past the first quote not escaped. NULL if there is none
 * before e. A byte loop: most strings are short, where memchr's set-up
 * costs more than it saves. */
static const char *skip_valid_string(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '"')
			return p + 1;
		if (*p == '\\' && ++p == e)
			break;
	}
	return NULL;
}

/* One past the validated value at p: past a string's closing quote, a
 * scalar's last byte, or the bracket that closes it. Never past e (NULL
 * there), whatever the bytes. */
static const char *skip_valid(const char *p, const char *e)
{
	int depth = 0;

	if (p < e && *p == '"')
		return skip_valid_string(p, e);
	if (p < e && *p != '[' && *p != '{') {
		while (p < e && *p != ',' && *p != ']' && *p != '}' &&
		       *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	while (p < e) {
		char c = *p;

		if (c == '"') {
			p = skip_valid_string(p, e);
			if (!p)
				return NULL;
			continue;
		}
		if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

int json_parse(const char *doc, size_t len, struct json_val *root)
{
	const char *e = doc + len, *p = skip_ws(doc, e), *end;

	end = skip_value(p, e, 0);
	if (!end || skip_ws(end, e) != e)
		return -1;
	root->p = p;
	root->end = end;
	root->type = type_of(*p);
	return 0;
}

/*
 * The next member of an object or element of an array; *pos is 0 at the
 * start, then the offset just past the previous value. For an object the
 * key (a string value) goes to key if not NULL. 1 and *val set, 0 at the
 * end, -1 if c is malformed (or not an object or array).
 */
static int container_next(const struct json_val *c, size_t *pos,
			  struct json_val *key, struct json_val *val)
{
	const char *p, *e = c->end, *end;
	char close;

	if (c->type != JSON_OBJECT && c->type != JSON_ARRAY)
		return -1;
	close = c->type == JSON_OBJECT ? '}' : ']';
	if (*pos > (size_t)(e - c->p))
		return -1;
	p = skip_ws(c->p + (*pos ? *pos : 1), e);
	if (p >= e)
		return -1;
	if (*p == close)
		return 0;
	if (*pos) {
		if (*p != ',')
			return -1;
		p = skip_ws(p + 1, e);
	}
	if (c->type == JSON_OBJECT) {
		end = p < e && *p == '"' ? skip_valid_string(p, e) : NULL;
		if (!end)
			return -1;
		if (key) {
			key->p = p;
			key->end = end;
			key->type = JSON_STRING;
		}
		p = skip_ws(end, e);
		if (p >= e || *p != ':')
			return -1;
		p = skip_ws(p + 1, e);
	}
	end = skip_valid(p, e);
	if (!end || end == p)
		return -1;
	val->p = p;
	val->end = end;
	val->type = type_of(*p);
	*pos = (size_t)(end - c->p);
	return 1;
}

int json_array_next(const struct json_val *arr, size_t *pos,
		    struct json_val *elem)
{
	if (arr->type != JSON_ARRAY)
		return -1;
	return container_next(arr, pos, NULL, elem);
}

int json_object_next(const struct json_val *obj, size_t *pos,
		     struct json_val *key, struct json_val *value)
{
	if (obj->type != JSON_OBJECT)
		return -1;
	return container_next(obj, pos, key, value);
}

/* "[N]" -> N; -1 if the element is not an index. */
static long parse_index(const char *s)
{
	long n = 0;

	if (*s++ != '[' || *s == ']')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > 100000000L)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return s[0] == ']' && s[1] == '\0' ? n : -1;
}

/* 1 if the object key (a string value) decodes to want. */
static int key_is(const struct json_val *key, const char *want)
{
	const char *raw = key->p + 1;
	size_t n = (size_t)(key->end - key->p) - 2;
	char buf[256];

	if (!memchr(raw, '\\', n))	/* no escape: the bytes are the key */
		return n == strlen(want) && memcmp(raw, want, n) == 0;
	return string_scan(key->p, key->end, buf, sizeof(buf)) &&
	       strcmp(buf, want) == 0;
}

/* One step of json_find: the member want of cur, or its element "[N]". */
static int find_step(const struct json_val *cur, const char *want,
		     struct json_val *val)
{
	struct json_val key;
	size_t pos = 0;
	long idx = -1;
	int rc;

	if (want[0] == '[') {
		idx = parse_index(want);
		if (idx < 0)
			return -1;
		if (cur->type != JSON_ARRAY)
			return 0;
	} else if (cur->type != JSON_OBJECT) {
		return 0;
	}
	for (;;) {
		rc = container_next(cur, &pos, &key, val);
		if (rc <= 0)
			return rc;
		if (idx >= 0 ? idx-- == 0 : key_is(&key, want))
			return 1;
	}
}

int json_find(const struct json_val *v, const char *const *path,
	      size_t depth, struct json_val *out)
{
	struct json_val cur = *v, val;
	size_t i;
	int rc;

	for (i = 0; i < depth; i++) {
		rc = find_step(&cur, path[i], &val);
		if (rc <= 0)
			return rc;
		cur = val;
	}
	*out = cur;
	return 1;
}

int json_string(const struct json_val *v, char *out, size_t outlen)
{
	if (outlen)
		out[0] = '\0';
	if (v->type != JSON_STRING || !string_scan(v->p, v->end, out, outlen))
		return -1;
	return 0;
}

int json_find_string(const struct json_val *v, const char *const *path,
		     size_t depth, char *out, size_t outlen)
{
	struct json_val s;
	int rc;

	if (outlen)
		out[0] = '\0';
	rc = json_find(v, path, depth, &s);
	if (rc <= 0)
		return rc;
	return json_string(&s, out, outlen) ? -1 : 1;
}

int json_get_string(const char *doc, size_t len, const char *const *path,
		    size_t depth, char *out, size_t outlen)
{
	struct json_val root;

	if (outlen)
		out[0] = '\0';
	if (json_parse(doc, len, &root))
		return -1;
	return json_find_string(&root, path, depth, out, outlen);
}
