// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event as a document of nested objects, in three styles: JSON on
 * one line (-o json), indented JSON (-o jsonpretty) and a YAML document
 * (-o yaml). The fields come from the field table in its order; an
 * object is opened by its first member present, so an event has no
 * empty objects (a host event has no "runtime").
 */
#include "output/output.h"

#include "common/utf8.h"
#include "output/field_table.h"

/* Where the writer stands: the innermost open object, and whether it
 * has a member yet (one flag per depth). */
struct nesting {
	enum output_mode style;
	unsigned int open;		/* enum field_object */
	unsigned char has_member[4];	/* by depth */
};

static int is_within(unsigned int inner, unsigned int outer)
{
	while (inner != outer && inner != OBJECT_ROOT)
		inner = field_objects[inner].parent;
	return inner == outer;
}

static void put_indent(struct text *t, unsigned int depth)
{
	put_char(t, '\n');
	for (unsigned int i = 0; i < depth; i++)
		put_lit(t, "  ");
}

/* What precedes a key at depth: a comma after a sibling, and in the
 * indented styles a new line. */
static void begin_member(struct nesting *n, struct text *t,
			 unsigned int depth)
{
	if (n->style != OUTPUT_YAML && n->has_member[depth])
		put_char(t, ',');
	n->has_member[depth] = 1;
	if (n->style != OUTPUT_JSON)
		put_indent(t, n->style == OUTPUT_YAML ? depth - 1 : depth);
}

static void put_key(struct nesting *n, struct text *t, const char *key)
{
	if (n->style == OUTPUT_YAML) {
		put_str(t, key);
		put_char(t, ':');
		return;
	}
	put_char(t, '"');
	put_str(t, key);
	put_lit(t, "\":");
	if (n->style == OUTPUT_JSONPRETTY)
		put_char(t, ' ');
}

static void open_object(struct nesting *n, struct text *t, unsigned int obj)
{
	unsigned int depth = field_objects[obj].depth;

	begin_member(n, t, depth);
	put_key(n, t, field_objects[obj].key);
	if (n->style != OUTPUT_YAML)
		put_char(t, '{');
	n->has_member[depth + 1] = 0;
	n->open = obj;
}

static void close_object(struct nesting *n, struct text *t)
{
	unsigned int depth = field_objects[n->open].depth;

	if (n->style == OUTPUT_JSONPRETTY)
		put_indent(t, depth);
	if (n->style != OUTPUT_YAML)
		put_char(t, '}');
	n->open = field_objects[n->open].parent;
}

/* Open the objects between the open one and obj, outermost first. */
static void open_down_to(struct nesting *n, struct text *t, unsigned int obj)
{
	unsigned int chain[4], count = 0;

	for (unsigned int o = obj; o != n->open; o = field_objects[o].parent)
		chain[count++] = o;
	while (count)
		open_object(n, t, chain[--count]);
}

/* \uXXXX, a code point of the Basic Multilingual Plane. */
static void put_u_escape(struct text *t, unsigned int cp)
{
	static const char hex[] = "0123456789abcdef";

	put_lit(t, "\\u");
	for (int shift = 12; shift >= 0; shift -= 4)
		put_char(t, hex[cp >> shift & 0xf]);
}

/* The byte or UTF-8 sequence at raw[i] (i < n) into a string body; the
 * bytes it took. Valid UTF-8 stays as it is, but for what a terminal
 * obeys or YAML refuses unescaped: C1 controls (U+0080-U+009F) and
 * U+FFFE, U+FFFF. A byte that begins no valid sequence is \u00XX, its
 * Latin-1 reading, so that any byte gives valid UTF-8. */
static size_t escape_one(struct text *t, const char *raw, size_t i,
			 size_t n)
{
	unsigned char c = (unsigned char)raw[i];
	unsigned int cp;
	size_t len;

	if (c == '"' || c == '\\') {
		put_char(t, '\\');
		put_char(t, (char)c);
		return 1;
	}
	if (c < 0x80) {
		if (c < 0x20 || c == 0x7f)
			put_u_escape(t, c);
		else
			put_char(t, (char)c);
		return 1;
	}
	len = utf8_sequence(raw + i, raw + n, &cp);
	if (!len) {
		put_u_escape(t, c);
		return 1;
	}
	if (cp < 0xa0 || cp == 0xfffe || cp == 0xffff)
		put_u_escape(t, cp);
	else
		put_bytes(t, raw + i, len);
	return len;
}

/* Bytes at t->buf[from, len) as a JSON (and YAML) string body: '"' and
 * '\' escaped, controls as \u00XX, the rest as escape_one says. Most
 * values need nothing. */
static void escape_from(struct text *t, size_t from)
{
	char raw[1024];
	size_t n = t->len - from, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t->buf[from + i];

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
			break;
	}
	if (i == n || t->overflow)
		return;
	if (n > sizeof(raw)) {
		t->overflow = 1;	/* no field is that long */
		return;
	}
	memcpy(raw, t->buf + from, n);
	t->len = from;
	for (i = 0; i < n;)
		i += escape_one(t, raw, i, n);
}

static void put_value(struct nesting *n, struct text *t, enum field_id id,
		      const struct field_event *fe)
{
	size_t from;

	if (n->style != OUTPUT_JSON && n->style != OUTPUT_JSONPRETTY)
		put_char(t, ' ');
	if (!field_is_string(id)) {
		field_put_text(t, id, fe);
		return;
	}
	put_char(t, '"');
	from = t->len;
	field_put_text(t, id, fe);
	escape_from(t, from);
	put_char(t, '"');
}

static void put_member(struct nesting *n, struct text *t, enum field_id id,
		       const struct field_event *fe)
{
	const struct field_def *f = &field_table[id];

	while (!is_within(f->object, n->open))
		close_object(n, t);
	open_down_to(n, t, f->object);
	begin_member(n, t, field_objects[f->object].depth + 1);
	put_key(n, t, f->path + f->key_at);
	put_value(n, t, id, fe);
}

int output_format_document(enum output_mode style,
			   const struct field_event *fe, uint64_t keys,
			   char *buf, size_t buflen)
{
	struct text t = text_init(buf, buflen);
	struct nesting n = { .style = style, .open = OBJECT_ROOT };

	if (style == OUTPUT_YAML)
		put_lit(&t, "---");
	else
		put_char(&t, '{');
	for (int id = 0; id < FIELD_COUNT; id++) {
		if ((keys >> id & 1) &&
		    !(field_table[id].flags & FIELD_COLUMN_ONLY) &&
		    field_present(id, fe))
			put_member(&n, &t, id, fe);
	}
	while (n.open != OBJECT_ROOT)
		close_object(&n, &t);
	if (style == OUTPUT_YAML && !n.has_member[1])
		put_lit(&t, " {}");
	if (style == OUTPUT_JSONPRETTY && n.has_member[1])
		put_char(&t, '\n');
	if (style != OUTPUT_YAML)
		put_char(&t, '}');
	return text_finish(&t);
}
