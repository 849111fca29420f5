/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Appending text to a caller's buffer, bounded: strings, characters,
 * decimal digits. Not printf: every write is checked against the
 * buffer, and the static binary stays small. A write that does not fit
 * sets overflow and writes nothing; text_finish then fails the whole
 * text, so a line is never cut short silently.
 */
#ifndef TT_OUTPUT_TEXT_H
#define TT_OUTPUT_TEXT_H

#include <stddef.h>
#include <string.h>

struct text {
	char *buf;
	size_t cap;	/* bytes usable for text; one more holds the NUL */
	size_t len;
	int overflow;
};

/* The primitives are on every event's path: always inlined, even at -Os
 * (they were 60% of trace_tcp's own CPU time as calls). */
#define TEXT_INLINE static inline __attribute__((always_inline))

TEXT_INLINE struct text text_init(char *buf, size_t buflen)
{
	struct text t = { buf, buflen ? buflen - 1 : 0, 0, buflen == 0 };

	return t;
}

/* NUL-terminate; the length, or -1 if the text did not fit. */
TEXT_INLINE int text_finish(struct text *t)
{
	if (t->overflow)
		return -1;
	t->buf[t->len] = '\0';
	return (int)t->len;
}

/* Room for n more bytes; if there is none, the text has overflowed. */
TEXT_INLINE int text_room(struct text *t, size_t n)
{
	if (n <= t->cap - t->len)
		return 1;
	t->overflow = 1;
	return 0;
}

TEXT_INLINE void put_bytes(struct text *t, const char *s, size_t n)
{
	if (!text_room(t, n))
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* A string literal: its length is known at compile time. */
#define put_lit(t, s) put_bytes((t), (s), sizeof(s) - 1)

TEXT_INLINE void put_str(struct text *t, const char *s)
{
	put_bytes(t, s, strlen(s));
}

TEXT_INLINE void put_char(struct text *t, char c)
{
	if (t->len < t->cap)
		t->buf[t->len++] = c;
	else
		t->overflow = 1;
}

/* Decimal, zero-padded to at least min_digits. */
void put_uint_width(struct text *t, unsigned long long v,
		    unsigned int min_digits);

/* Decimal, as short as it goes (put_uint_width without the padding). */
void put_uint(struct text *t, unsigned long long v);

void put_int(struct text *t, long long v);

/* n bytes for a terminal: any byte that is not printable ASCII is '?'. */
void put_printable(struct text *t, const char *s, size_t n);

#endif
