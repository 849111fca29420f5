// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event as a document of nested objects, in three styles: JSON on
 * one line (-o json), indented JSON (-o jsonpretty) and a YAML document
 * (-o yaml). The fields come from the field table in its order; an
 * object is opened by its first member present, so an event has no
 * empty objects (a host event has no "runtime"). What lies between two
 * values depends only on their two fields: it is made once per pair and
 * copied from then on (struct document_form), as it is on every event's
 * path.
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

/* After a value: the string's closing quote. */
static void end_value(struct text *t, enum field_id id)
{
	if (field_is_string(id))
		put_char(t, '"');
}

/* Before next's value: its key, and a string's opening quote. */
static void begin_value(struct nesting *n, struct text *t, enum field_id next)
{
	const struct field_def *f = &field_table[next];

	while (!is_within(f->object, n->open))
		close_object(n, t);
	open_down_to(n, t, f->object);
	begin_member(n, t, field_objects[f->object].depth + 1);
	put_key(n, t, f->path + f->key_at);
	if (n->style == OUTPUT_YAML)
		put_char(t, ' ');
	if (field_is_string(next))
		put_char(t, '"');
}

/* The document's end: its objects closed. */
static void end_document(struct nesting *n, struct text *t)
{
	while (n->open != OBJECT_ROOT)
		close_object(n, t);
	if (n->style == OUTPUT_YAML && !n->has_member[1])
		put_lit(t, " {}");
	if (n->style == OUTPUT_JSONPRETTY && n->has_member[1])
		put_char(t, '\n');
	if (n->style != OUTPUT_YAML)
		put_char(t, '}');
}

/* The joint between field prev and field next (DOCUMENT_EDGE: the
 * document's start or end), written by the nesting rules: after prev,
 * its object and every one around it are open and have a member. */
static void write_joint(enum output_mode style, unsigned int prev,
			unsigned int next, struct text *t)
{
	struct nesting n = { .style = style, .open = OBJECT_ROOT };

	if (prev == DOCUMENT_EDGE) {
		if (style == OUTPUT_YAML)
			put_lit(t, "---");
		else
			put_char(t, '{');
	} else {
		end_value(t, prev);
		n.open = field_table[prev].object;
		for (unsigned int d = 1; d <= field_objects[n.open].depth + 1u;
		     d++)
			n.has_member[d] = 1;
	}
	if (next == DOCUMENT_EDGE)
		end_document(&n, t);
	else
		begin_value(&n, t, next);
}

/* Make the joint and keep it in the form if it fits (0), or write it
 * into t (-1). */
static __attribute__((noinline)) int make_joint(struct document_form *form,
						struct text *t,
						unsigned int prev,
						unsigned int next)
{
	struct text kept = text_init(form->bytes + form->used,
				     sizeof(form->bytes) - form->used);

	write_joint(form->style, prev, next, &kept);
	if (kept.overflow || kept.len > 255) {
		write_joint(form->style, prev, next, t);
		return -1;
	}
	form->joint_at[prev][next] = (unsigned short)(form->used + 1);
	form->joint_len[prev][next] = (unsigned char)kept.len;
	form->used += (unsigned int)kept.len;
	return 0;
}

/* The joint: copied once it is made. */
static inline __attribute__((always_inline)) void
put_joint(struct document_form *form, struct text *t, unsigned int prev,
	  unsigned int next)
{
	unsigned int at = form->joint_at[prev][next];

	if (!at && make_joint(form, t, prev, next))
		return;
	at = form->joint_at[prev][next];
	put_bytes(t, form->bytes + at - 1, form->joint_len[prev][next]);
}

void document_form_init(struct document_form *form, enum output_mode style,
			uint64_t keys)
{
	memset(form, 0, sizeof(*form));
	form->style = style;
	for (unsigned int id = 0; id < FIELD_COUNT; id++) {
		if (!(keys >> id & 1) ||
		    (field_table[id].flags & FIELD_COLUMN_ONLY))
			continue;
		form->fields[form->nfields].id = (unsigned char)id;
		form->fields[form->nfields++].flags = (unsigned char)(
			(field_always_present(id) ? 0 : DOCUMENT_MAY_BE_ABSENT) |
			(field_is_free_text(id) ? DOCUMENT_FREE_TEXT : 0) |
			(field_of_container(id) ? DOCUMENT_CONTAINER : 0));
	}
}

int output_format_document(struct document_form *form,
			   const struct field_event *fe, char *buf,
			   size_t buflen)
{
	struct text t = text_init(buf, buflen);
	unsigned int prev = DOCUMENT_EDGE;

	for (unsigned int i = 0; i < form->nfields; i++) {
		enum field_id id = form->fields[i].id;
		unsigned int flags = form->fields[i].flags;
		size_t from;

		if ((flags & DOCUMENT_CONTAINER) && !fe->c)
			continue;	/* the host's */
		if ((flags & DOCUMENT_MAY_BE_ABSENT) && !field_present(id, fe))
			continue;
		put_joint(form, &t, prev, id);
		from = t.len;
		field_put_text(&t, id, fe);
		if (flags & DOCUMENT_FREE_TEXT)
			escape_from(&t, from);
		prev = id;
	}
	put_joint(form, &t, prev, DOCUMENT_EDGE);
	return text_finish(&t);
}
