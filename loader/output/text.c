// SPDX-License-Identifier: GPL-2.0-only
/* The text primitives that are not inlined (see text.h). */
#include "output/text.h"

static const char digit_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* How many decimal digits v has. */
static unsigned int decimal_digits(unsigned int v)
{
	if (v < 100000)
		return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3
		       : v < 10000 ? 4 : 5;
	return v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8
	       : v < 1000000000 ? 9 : 10;
}

/* The digits of v, written to end just before end, two per step. x / 100
 * is a multiply for every 32-bit x (-Os would emit a div). */
static void write_decimal(char *end, unsigned int v)
{
	while (v >= 100) {
		unsigned int q = (unsigned int)(((unsigned long long)v *
						 1374389535u) >> 37);

		end -= 2;
		memcpy(end, digit_pairs + 2 * (v - q * 100), 2);
		v = q;
	}
	if (v >= 10)
		memcpy(end - 2, digit_pairs + 2 * v, 2);
	else
		end[-1] = (char)('0' + v);
}

/* Written in place, no scratch copy. */
void put_uint_width(struct text *t, unsigned long long v,
		    unsigned int min_digits)
{
	unsigned int n, total;

	if (v >> 32) {	/* rare: the high digits, then the last 8 */
		put_uint_width(t, v / 100000000,
			       min_digits > 8 ? min_digits - 8 : 0);
		put_uint_width(t, v % 100000000, 8);
		return;
	}
	n = decimal_digits((unsigned int)v);
	total = n < min_digits ? min_digits : n;
	if (!text_room(t, total))
		return;
	for (unsigned int i = 0; i < total - n; i++)	/* mostly none */
		t->buf[t->len + i] = '0';
	t->len += total;
	write_decimal(t->buf + t->len, (unsigned int)v);
}

void put_uint(struct text *t, unsigned long long v)
{
	unsigned int n;

	if (v >> 32) {
		put_uint_width(t, v, 1);
		return;
	}
	n = decimal_digits((unsigned int)v);
	if (!text_room(t, n))
		return;
	t->len += n;
	write_decimal(t->buf + t->len, (unsigned int)v);
}

void put_int(struct text *t, long long v)
{
	if (v < 0) {
		put_char(t, '-');
		put_uint(t, 0ULL - (unsigned long long)v);
	} else {
		put_uint(t, (unsigned long long)v);
	}
}

void put_printable(struct text *t, const char *s, size_t n)
{
	char *out;

	if (!text_room(t, n))
		return;
	out = t->buf + t->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	t->len += n;
}
