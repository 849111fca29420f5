// SPDX-License-Identifier: GPL-2.0-only
/*
 * The wanted names (the distinct components of the query paths) and
 * where they sit in the string section.
 *
 * The string section is scanned lazily beside the type pass, strictly
 * forward: before the name of a struct/union or of a member is looked
 * at, the scan goes on until that string is whole, noting every offset
 * where a wanted name ends (tails included); the string bytes are never
 * kept. Any offset whose NUL-terminated string equals a name will do as
 * that name, since a name_off may point into the tail of a longer string.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/btf/reader.h"

#define LOW_SEVEN_BITS 0x7f7f7f7f7f7f7f7full
/* Most bytes scanned at once: the scan goes not far past a need. */
#define STRING_STEP 4096

/* The index of the name text[0, len), added if new. */
int intern_name(struct btf_reader *r, const char *text, size_t len)
{
	for (size_t i = 0; i < r->nr_names; i++)
		if (r->names[i].len == len &&
		    memcmp(r->names[i].text, text, len) == 0)
			return (int)i;
	r->names[r->nr_names].text = text;
	r->names[r->nr_names].len = len;
	return (int)r->nr_names++;
}

/* ---- lookups -------------------------------------------------------- */

/*
 * Is the string at name_off (scanned already) the wanted name? 1 or 0
 * for sure, or -1 while that may change: a tail found before the scan
 * reached the end may yet give its slot to a whole string.
 */
int name_is(const struct btf_reader *r, unsigned int name_index,
	    __u32 name_off)
{
	const struct wanted_name *name = &r->names[name_index];

	for (unsigned int i = 0; i < name->nr_offsets; i++)
		if (name->offsets[i] == name_off)
			return name->is_tail[i] && !r->strs.done ? -1 : 1;
	return 0;
}

/* The wanted name holding this (scanned) string offset now, or -1. */
long name_at(const struct btf_reader *r, __u32 name_off)
{
	const struct string_scan *s = &r->strs;
	size_t lo = 0, hi = s->nr_refs;
	unsigned int bit = name_off % NAME_FILTER_BITS;

	if (!(s->ref_filter[bit / 64] >> (name_off % 64) & 1))
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->refs[mid].offset < name_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->nr_refs || s->refs[lo].offset != name_off ||
	    !name_is(r, s->refs[lo].name_index, name_off))
		return -1;
	return (long)s->refs[lo].name_index;
}

/* ---- what the scan finds -------------------------------------------- */

/* Note that a name was given this offset; offsets come nearly sorted. */
static void add_name_ref(struct string_scan *s, __u32 offset,
			 unsigned int name_index)
{
	size_t i = s->nr_refs;

	if (i == s->refs_cap)	/* cannot happen: see prepare_strings */
		return;
	for (; i > 0 && s->refs[i - 1].offset > offset; i--)
		s->refs[i] = s->refs[i - 1];
	s->refs[i].offset = offset;
	s->refs[i].name_index = name_index;
	s->nr_refs++;
	s->ref_filter[offset % NAME_FILTER_BITS / 64] |= 1ull << (offset % 64);
}

/*
 * Remember one more offset for a name. Whole strings are what real BTF
 * uses, so they may take the place of a remembered tail; a common tail
 * like "sk" would otherwise fill every slot. So a name stores at most
 * 2 * MAX_OFFSETS_PER_NAME offsets: each slot filled once, each tail
 * replaced once.
 */
static void remember_offset(struct btf_reader *r, unsigned int name_index,
			    __u32 offset, int is_tail)
{
	struct wanted_name *name = &r->names[name_index];
	unsigned int slot = name->nr_offsets;

	if (slot == MAX_OFFSETS_PER_NAME) {
		if (is_tail)
			return;
		for (slot = 0; slot < MAX_OFFSETS_PER_NAME &&
			       !name->is_tail[slot]; slot++)
			;
		if (slot == MAX_OFFSETS_PER_NAME)
			return;
	} else {
		name->nr_offsets++;
	}
	name->offsets[slot] = offset;
	name->is_tail[slot] = (unsigned char)is_tail;
	add_name_ref(&r->strs, offset, name_index);
}

/* ---- the scan ------------------------------------------------------- */

static unsigned int end_hash(unsigned char before_last, unsigned char last)
{
	return ((unsigned int)before_last * 31 + last) % NAME_FILTER_BITS;
}

/* Chain the names by last character; note their last two in filters. */
static void index_name_ends(struct btf_reader *r)
{
	struct string_scan *s = &r->strs;

	for (size_t c = 0; c < 256; c++)
		s->last_char_first[c] = -1;
	for (size_t i = r->nr_names; i-- > 0;) {
		const unsigned char *text =
			(const unsigned char *)r->names[i].text;
		size_t len = r->names[i].len;
		unsigned int bit;

		r->names[i].next_same_last = s->last_char_first[text[len - 1]];
		s->last_char_first[text[len - 1]] = (long)i;
		if (len == 1) {
			s->one_char_names[text[0] / 64] |=
				1ull << (text[0] % 64);
		} else {
			bit = end_hash(text[len - 2], text[len - 1]);
			s->end_filter[bit / 64] |= 1ull << (bit % 64);
		}
	}
}

/* A NUL sits at window[nul]: can a wanted name end right before it? */
static int name_may_end_at(const struct string_scan *s,
			   const unsigned char *window, size_t nul)
{
	unsigned int last, bit;

	if (nul == 0)
		return 0;
	last = window[nul - 1];
	if (s->one_char_names[last / 64] >> (last % 64) & 1)
		return 1;
	if (nul == 1)
		return 0;
	bit = end_hash(window[nul - 2], (unsigned char)last);
	return s->end_filter[bit / 64] >> (bit % 64) & 1;
}

/* A NUL sits at window[nul]; record every wanted name that ends there. */
static void match_names_ending_at(struct btf_reader *r,
				  const unsigned char *window, size_t nul,
				  size_t window_pos)
{
	long i = r->strs.last_char_first[window[nul - 1]];

	for (; i >= 0; i = r->names[i].next_same_last) {
		const struct wanted_name *name = &r->names[i];
		size_t start;

		if (nul < name->len)
			continue;
		start = nul - name->len;
		if (window[start] != (unsigned char)name->text[0] ||
		    memcmp(window + start, name->text, name->len) != 0)
			continue;
		/* start >= 1 but at the section start, whose string is "" */
		remember_offset(r, (unsigned int)i, (__u32)(window_pos + start),
				start > 0 && window[start - 1] != 0);
	}
}

/*
 * Check each NUL in window[from, avail) for names ending there; return
 * 1 + the last one's index, or 0.
 */
static size_t check_nuls(struct btf_reader *r, const unsigned char *window,
			 size_t from, size_t avail, size_t window_pos)
{
	size_t i = from, last = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight bytes at a time: 0x80 marks each zero byte, exactly. */
	for (; avail - i >= sizeof(__u64); i += sizeof(__u64)) {
		__u64 word, zeros;

		memcpy(&word, window + i, sizeof(word));
		zeros = ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word |
			  LOW_SEVEN_BITS);
		if (zeros)
			last = i + (size_t)(63 - __builtin_clzll(zeros)) / 8
			       + 1;
		for (; zeros; zeros &= zeros - 1) {
			size_t nul = i + (size_t)__builtin_ctzll(zeros) / 8;

			if (name_may_end_at(&r->strs, window, nul))
				match_names_ending_at(r, window, nul,
						      window_pos);
		}
	}
#endif
	for (; i < avail; i++) {
		if (window[i] != 0)
			continue;
		last = i + 1;
		if (name_may_end_at(&r->strs, window, i))
			match_names_ending_at(r, window, i, window_pos);
	}
	return last;
}

/* Check the string section's size; get ready to scan it. */
int prepare_strings(struct btf_reader *r)
{
	struct string_scan *s = &r->strs;

	if (s->len == 0)
		return tt_fail(r->err, "empty string section");
	if (s->len - 1 > BTF_MAX_NAME_OFFSET)
		return tt_fail(r->err, "string section too large (%zu bytes)",
			       s->len);
	/* see remember_offset */
	s->refs_cap = r->nr_names * 2 * MAX_OFFSETS_PER_NAME;
	s->refs = calloc(s->refs_cap + 1, sizeof(*s->refs));
	if (!s->refs)
		return tt_fail(r->err, "out of memory");
	index_name_ends(r);
	source_seek(&s->src, s->start, s->start + s->len);
	return 0;
}

static int bad_ends(struct btf_reader *r)
{
	return tt_fail(r->err, "string section does not start and end with "
		       "a NUL byte");
}

/*
 * Scan up to STRING_STEP more bytes: every NUL is checked for each name
 * ending there. Each step looks from MAX_NAME_LEN + 1 bytes before the
 * first byte not yet scanned, so a name cut by a step or window edge, and
 * the byte before it, are seen whole in the next.
 */
int scan_strings(struct btf_reader *r)
{
	struct string_scan *s = &r->strs;
	size_t pos = s->scanned;
	size_t keep = pos < MAX_NAME_LEN + 1 ? pos : MAX_NAME_LEN + 1;
	size_t base = pos - keep, avail, last;
	const unsigned char *window = source_get(r, &s->src, s->start + base,
						 keep + 1, &avail);

	if (!window)
		return -1;
	if (pos == 0 && window[0] != 0)
		return bad_ends(r);
	if (avail - keep > STRING_STEP)
		avail = keep + STRING_STEP;
	last = check_nuls(r, window, keep, avail, base);
	if (last)
		s->whole = base + last;
	s->scanned = base + avail;
	if (s->scanned < s->len)
		return 0;
	if (window[avail - 1] != 0)
		return bad_ends(r);
	s->done = 1;
	return 0;
}

/*
 * Scan to the end: the last strings are checked too, and every name's
 * slots are final.
 */
int finish_strings(struct btf_reader *r)
{
	while (!r->strs.done)
		if (scan_strings(r) < 0)
			return -1;
	return 0;
}
