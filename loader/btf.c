// SPDX-License-Identifier: GPL-2.0-only
/*
 * Streaming BTF member-offset resolver (see btf.h).
 *
 * Plan: one pass over the string section finds the offsets of every name
 * the queries mention; then passes over the type section move each query
 * forward: find the root struct, search its members (queueing anonymous
 * struct/union members as further places to look), follow typedef-like
 * chains, and finally size the last member's type. Type ids only grow
 * along the section, so a step that lands on a later id is finished in
 * the same pass and one that lands on an earlier id waits for the next.
 * Every pass validates what it walks over; nothing is trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/btf.h>

#include "btf.h"

#define WINDOW_SIZE (64 * 1024)	/* the streaming buffer for files */
#define MAX_COMPONENTS 8
#define MAX_NAME_LEN 255
#define MAX_OFFSETS_PER_NAME 4	/* a name may appear more than once in the string section */
#define MAX_CANDIDATES 32	/* places still to search for one component */
#define MAX_STEPS_PER_QUERY 4096	/* bounds work on cyclic or hostile input */
#define MAX_PASSES 64
#define POINTER_SIZE 8		/* BTF does not record it; the kernel is 64-bit */
#define BYTE_SWAPPED_MAGIC 0x9FeB

/* Where the bytes come from: a blob in memory, or a file read through a window. */
struct source {
	const unsigned char *blob;	/* NULL when streaming from fd */
	size_t size;
	int fd;
	unsigned char *window;
	size_t window_start;		/* file offset of window[0] */
	size_t window_len;		/* valid bytes in window */
};

/* A distinct path component and where it sits in the string section. */
struct wanted_name {
	const char *text;	/* points into the caller's query path, not NUL-terminated here */
	size_t len;
	unsigned int nr_offsets;
	__u32 offsets[MAX_OFFSETS_PER_NAME];
	unsigned char is_tail[MAX_OFFSETS_PER_NAME];	/* found as the tail of a longer string */
};

enum query_stage {
	STAGE_FIND_ROOT,	/* looking for the struct named by component 0 */
	STAGE_FIND_MEMBER,	/* candidates lead to structs that may hold the next component */
	STAGE_FIND_SIZE,	/* the one candidate leads to the final member's sized type */
	STAGE_SETTLED,
};

/* A type id still to be looked at, and the bit offset it sits at. */
struct candidate {
	__u32 type_id;
	__u64 bit_offset;
};

struct query_state {
	unsigned int name_index[MAX_COMPONENTS];	/* into btf_reader.names */
	unsigned int nr_components;
	unsigned int next_component;			/* being looked up */
	enum query_stage stage;
	struct candidate candidates[MAX_CANDIDATES];
	unsigned int nr_candidates;
	__u64 size_multiplier;	/* product of array lengths met while sizing */
	int bitfield;
	unsigned int steps;
};

/* One type record as met during a pass. */
struct type_view {
	__u32 id;
	struct btf_type header;
	unsigned int kind;
	unsigned int vlen;
	int kind_flag;
	size_t data_off;	/* absolute offset of the kind-specific data */
};

struct btf_reader {
	struct source src;
	const char *origin;	/* file name for messages, or NULL */
	char *err;
	size_t errlen;
	int failed;
	size_t type_start, type_len;	/* absolute offset and length */
	size_t str_start, str_len;
	__u32 nr_types;		/* counted by each pass */
	struct wanted_name *names;
	size_t nr_names;
	struct query_state *states;
	struct btf_query *queries;
	size_t count;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct btf_reader *r, const char *fmt, ...)
{
	va_list ap;
	int used = 0;

	if (r->failed)
		return -1;
	r->failed = 1;
	if (!r->err || r->errlen == 0)
		return -1;
	if (r->origin)
		used = snprintf(r->err, r->errlen, "%s: ", r->origin);
	if (used < 0 || (size_t)used >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + used, r->errlen - used, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- byte source ------------------------------------------------------ */

/* Largest span one peek may ask for. */
static size_t source_chunk_limit(const struct source *src)
{
	return src->blob ? SIZE_MAX : WINDOW_SIZE;
}

static int source_refill(struct btf_reader *r, size_t off, size_t need)
{
	struct source *src = &r->src;
	size_t want = src->size - off;
	size_t got = 0;

	if (want > WINDOW_SIZE)
		want = WINDOW_SIZE;
	while (got < want) {
		ssize_t n = pread(src->fd, src->window + got, want - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(r, "read at offset %zu: %s", off + got, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	src->window_start = off;
	src->window_len = got;
	if (got < need)
		return fail(r, "file shrank while reading (short read at offset %zu)", off + got);
	return 0;
}

/*
 * Return a pointer to len readable bytes at absolute offset off (len must
 * not exceed source_chunk_limit). Callers check bounds first, so a range
 * outside the data is a bug reported as an error, never an overread.
 */
static const unsigned char *source_peek(struct btf_reader *r, size_t off, size_t len)
{
	struct source *src = &r->src;

	if (off > src->size || len > src->size - off || len > source_chunk_limit(src)) {
		fail(r, "internal: read of %zu bytes at %zu is out of range", len, off);
		return NULL;
	}
	if (src->blob)
		return src->blob + off;
	if (off >= src->window_start && off - src->window_start <= src->window_len &&
	    len <= src->window_len - (off - src->window_start))
		return src->window + (off - src->window_start);
	if (source_refill(r, off, len) < 0)
		return NULL;
	return src->window;
}

static int source_read(struct btf_reader *r, size_t off, void *dst, size_t len)
{
	const unsigned char *p = source_peek(r, off, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);	/* records may be unaligned in the window */
	return 0;
}

/* ---- header ----------------------------------------------------------- */

/* Check that [off, off+len) past the header lies inside the data. */
static int section_in_bounds(struct btf_reader *r, const char *what, __u32 hdr_len,
			     __u32 off, __u32 len, size_t *start)
{
	__u64 begin = (__u64)hdr_len + off;

	if (begin > r->src.size || len > r->src.size - begin)
		return fail(r, "%s section (offset %u, length %u) runs past the end of the data (%zu bytes)",
			    what, off, len, r->src.size);
	*start = (size_t)begin;
	return 0;
}

static int parse_header(struct btf_reader *r)
{
	struct btf_header hdr;

	if (r->src.size < sizeof(hdr))
		return fail(r, "too short for a BTF header: %zu bytes, need %zu",
			    r->src.size, sizeof(hdr));
	if (source_read(r, 0, &hdr, sizeof(hdr)) < 0)
		return -1;
	if (hdr.magic == BYTE_SWAPPED_MAGIC)
		return fail(r, "byte-swapped BTF (magic 0x%04x): only native little-endian BTF is supported",
			    hdr.magic);
	if (hdr.magic != BTF_MAGIC)
		return fail(r, "bad BTF magic 0x%04x (want 0x%04x)", hdr.magic, BTF_MAGIC);
	if (hdr.version != BTF_VERSION)
		return fail(r, "unsupported BTF version %u", hdr.version);
	if (hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > r->src.size)
		return fail(r, "BTF header length %u is out of range (data is %zu bytes)",
			    hdr.hdr_len, r->src.size);
	if (section_in_bounds(r, "type", hdr.hdr_len, hdr.type_off, hdr.type_len, &r->type_start) < 0 ||
	    section_in_bounds(r, "string", hdr.hdr_len, hdr.str_off, hdr.str_len, &r->str_start) < 0)
		return -1;
	r->type_len = hdr.type_len;
	r->str_len = hdr.str_len;
	return 0;
}

/* ---- queries and names ------------------------------------------------ */

static int intern_name(struct btf_reader *r, const char *text, size_t len)
{
	for (size_t i = 0; i < r->nr_names; i++)
		if (r->names[i].len == len && memcmp(r->names[i].text, text, len) == 0)
			return (int)i;
	r->names[r->nr_names].text = text;
	r->names[r->nr_names].len = len;
	return (int)r->nr_names++;
}

/* Split a path into interned components; 0 if it is not a usable path. */
static int parse_path(struct btf_reader *r, const char *path, struct query_state *qs)
{
	const char *start = path;

	if (!path)
		return 0;
	for (;;) {
		const char *dot = strchr(start, '.');
		size_t len = dot ? (size_t)(dot - start) : strlen(start);

		if (len == 0 || len > MAX_NAME_LEN || qs->nr_components == MAX_COMPONENTS)
			return 0;
		qs->name_index[qs->nr_components++] = (unsigned int)intern_name(r, start, len);
		if (!dot)
			break;
		start = dot + 1;
	}
	return qs->nr_components >= 2;
}

static int name_is(const struct btf_reader *r, unsigned int name_index, __u32 name_off)
{
	const struct wanted_name *name = &r->names[name_index];

	for (unsigned int i = 0; i < name->nr_offsets; i++)
		if (name->offsets[i] == name_off)
			return 1;
	return 0;
}

static void settle(struct btf_reader *r, size_t qi, int found, __u64 bit_offset, __u64 size)
{
	struct query_state *qs = &r->states[qi];
	struct btf_query *q = &r->queries[qi];

	qs->stage = STAGE_SETTLED;
	qs->nr_candidates = 0;
	if (!found || bit_offset / 8 > UINT_MAX || size > UINT_MAX)
		return;
	q->found = 1;
	q->bitfield = qs->bitfield || bit_offset % 8 != 0;
	q->offset = (unsigned int)(bit_offset / 8);
	q->size = (unsigned int)size;
}

static void set_single_candidate(struct query_state *qs, __u32 type_id, __u64 bit_offset)
{
	qs->candidates[0].type_id = type_id;
	qs->candidates[0].bit_offset = bit_offset;
	qs->nr_candidates = 1;
}

/* ---- string section ---------------------------------------------------- */

/*
 * Remember one more offset for a name. Whole strings are what real BTF
 * uses, so they may take the place of a remembered tail; a common tail
 * like "sk" would otherwise fill every slot.
 */
static void remember_offset(struct wanted_name *name, __u32 offset, int is_tail)
{
	unsigned int slot = name->nr_offsets;

	if (slot == MAX_OFFSETS_PER_NAME) {
		if (is_tail)
			return;
		for (slot = 0; slot < MAX_OFFSETS_PER_NAME && !name->is_tail[slot]; slot++)
			;
		if (slot == MAX_OFFSETS_PER_NAME)
			return;
	} else {
		name->nr_offsets++;
	}
	name->offsets[slot] = offset;
	name->is_tail[slot] = (unsigned char)is_tail;
}

/* A NUL sits at window[nul]; record every wanted name that ends right there. */
static void match_names_ending_at(struct btf_reader *r, const unsigned char *window,
				  size_t nul, size_t window_pos)
{
	for (size_t i = 0; i < r->nr_names; i++) {
		struct wanted_name *name = &r->names[i];
		size_t start;

		if (nul < name->len)
			continue;
		start = nul - name->len;
		if (window[nul - 1] != (unsigned char)name->text[name->len - 1] ||
		    memcmp(window + start, name->text, name->len) != 0)
			continue;
		/* start >= 1 except at the section start, whose string is empty */
		remember_offset(name, (__u32)(window_pos + start), start > 0 && window[start - 1] != 0);
	}
}

/*
 * Any offset whose NUL-terminated string equals a name will do as that
 * name (a name_off may point into the tail of a longer string), so every
 * NUL is checked for each name ending there. Windows overlap by
 * MAX_NAME_LEN + 1 so a name cut by a window edge, and the byte before
 * it, are seen whole in the next.
 */
static int find_name_offsets(struct btf_reader *r)
{
	size_t pos = 0, scanned_to = 0;
	unsigned char first, last;

	if (r->str_len == 0)
		return fail(r, "empty string section");
	if (source_read(r, r->str_start, &first, 1) < 0 ||
	    source_read(r, r->str_start + r->str_len - 1, &last, 1) < 0)
		return -1;
	if (first != 0 || last != 0)
		return fail(r, "string section does not start and end with a NUL byte");
	if (r->str_len - 1 > BTF_MAX_NAME_OFFSET)
		return fail(r, "string section too large (%zu bytes)", r->str_len);

	for (;;) {
		size_t n = r->str_len - pos;
		const unsigned char *window, *nul;

		if (n > source_chunk_limit(&r->src))
			n = source_chunk_limit(&r->src);
		window = source_peek(r, r->str_start + pos, n);
		if (!window)
			return -1;
		for (size_t i = scanned_to - pos; i < n; i = (size_t)(nul - window) + 1) {
			nul = memchr(window + i, 0, n - i);
			if (!nul)
				break;
			match_names_ending_at(r, window, (size_t)(nul - window), pos);
		}
		if (pos + n == r->str_len)
			return 0;
		scanned_to = pos + n;
		pos = scanned_to - (MAX_NAME_LEN + 1);
	}
}

/* ---- type section ------------------------------------------------------ */

/* Bytes of kind-specific data after struct btf_type, or -1 for an unknown kind. */
static long kind_data_size(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
		return sizeof(__u32);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	default:
		return -1;
	}
}

/* Size of one named record in the kind data (each starts with a name_off), or 0. */
static size_t named_record_size(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return sizeof(struct btf_param);
	default:
		return 0;
	}
}

static int is_modifier(unsigned int kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST ||
	       kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

static int is_struct_or_union(unsigned int kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

static int check_record_names(struct btf_reader *r, const struct type_view *tv)
{
	size_t record = named_record_size(tv->kind);
	__u32 name_off;

	for (unsigned int i = 0; record && i < tv->vlen; i++) {
		if (source_read(r, tv->data_off + i * record, &name_off, sizeof(name_off)) < 0)
			return -1;
		if (name_off >= r->str_len)
			return fail(r, "type %u member %u: name offset %u is outside the string section (%zu bytes)",
				    tv->id, i, name_off, r->str_len);
	}
	return 0;
}

static void remove_candidate(struct query_state *qs, unsigned int ci)
{
	qs->candidates[ci] = qs->candidates[--qs->nr_candidates];
}

static void found_member(struct btf_reader *r, size_t qi, __u32 type_id, __u64 bit_offset,
			 unsigned int bitfield_size)
{
	struct query_state *qs = &r->states[qi];

	set_single_candidate(qs, type_id, bit_offset);
	if (qs->next_component + 1 < qs->nr_components) {
		qs->next_component++;
		if (bitfield_size)
			qs->bitfield = 1;
		return;
	}
	qs->stage = STAGE_FIND_SIZE;
	qs->size_multiplier = 1;
	qs->bitfield = qs->bitfield || bitfield_size != 0;
}

/* The candidate (already removed) is this struct/union: look for the component. */
static int search_members(struct btf_reader *r, size_t qi, const struct type_view *tv,
			  struct candidate where)
{
	struct query_state *qs = &r->states[qi];
	unsigned int wanted = qs->name_index[qs->next_component];

	for (unsigned int i = 0; i < tv->vlen; i++) {
		struct btf_member m;
		__u32 bit_off;
		unsigned int bitfield_size = 0;

		if (source_read(r, tv->data_off + i * sizeof(m), &m, sizeof(m)) < 0)
			return -1;
		bit_off = m.offset;
		if (tv->kind_flag) {
			bit_off = BTF_MEMBER_BIT_OFFSET(m.offset);
			bitfield_size = BTF_MEMBER_BITFIELD_SIZE(m.offset);
		}
		if (name_is(r, wanted, m.name_off)) {
			found_member(r, qi, m.type, where.bit_offset + bit_off, bitfield_size);
			return 0;
		}
		/* Anonymous members are searched too; non-struct ones get dropped later. */
		if (m.name_off == 0 && qs->nr_candidates < MAX_CANDIDATES) {
			qs->candidates[qs->nr_candidates].type_id = m.type;
			qs->candidates[qs->nr_candidates].bit_offset = where.bit_offset + bit_off;
			qs->nr_candidates++;
		}
	}
	return 0;
}

/* The candidate is the final member's type, or an array element on the way. */
static int size_candidate(struct btf_reader *r, size_t qi, unsigned int ci, const struct type_view *tv)
{
	struct query_state *qs = &r->states[qi];
	struct candidate *c = &qs->candidates[ci];
	__u64 bit_offset = c->bit_offset;
	struct btf_array array;
	__u32 int_info;

	switch (tv->kind) {
	case BTF_KIND_PTR:
		settle(r, qi, 1, bit_offset, POINTER_SIZE * qs->size_multiplier);
		return 0;
	case BTF_KIND_ARRAY:
		if (source_read(r, tv->data_off, &array, sizeof(array)) < 0)
			return -1;
		qs->size_multiplier *= array.nelems;	/* both factors < 2^32 */
		if (qs->size_multiplier > UINT_MAX) {
			settle(r, qi, 0, 0, 0);
			return 0;
		}
		c->type_id = array.type;
		return 0;
	case BTF_KIND_INT:
		if (source_read(r, tv->data_off, &int_info, sizeof(int_info)) < 0)
			return -1;
		/* Without kind_flag, a bitfield shows up as a narrowed int. */
		if (BTF_INT_OFFSET(int_info) != 0 || BTF_INT_BITS(int_info) != (__u64)tv->header.size * 8)
			qs->bitfield = 1;
		settle(r, qi, 1, bit_offset, (__u64)tv->header.size * qs->size_multiplier);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		settle(r, qi, 1, bit_offset, (__u64)tv->header.size * qs->size_multiplier);
		return 0;
	default:	/* FWD, FUNC, FUNC_PROTO, ...: no size a member could have */
		settle(r, qi, 0, 0, 0);
		return 0;
	}
}

/* Move one candidate sitting on this type a step further. */
static int advance_candidate(struct btf_reader *r, size_t qi, unsigned int ci, const struct type_view *tv)
{
	struct query_state *qs = &r->states[qi];
	struct candidate where = qs->candidates[ci];

	if (++qs->steps > MAX_STEPS_PER_QUERY) {
		settle(r, qi, 0, 0, 0);
		return 0;
	}
	if (is_modifier(tv->kind)) {
		qs->candidates[ci].type_id = tv->header.type;
		return 0;
	}
	if (qs->stage == STAGE_FIND_SIZE)
		return size_candidate(r, qi, ci, tv);
	remove_candidate(qs, ci);
	if (!is_struct_or_union(tv->kind))
		return 0;	/* a pointer or scalar cannot hold the next component */
	return search_members(r, qi, tv, where);
}

static int find_candidate(const struct query_state *qs, __u32 type_id)
{
	for (unsigned int i = 0; i < qs->nr_candidates; i++)
		if (qs->candidates[i].type_id == type_id)
			return (int)i;
	return -1;
}

static int visit_type(struct btf_reader *r, const struct type_view *tv)
{
	for (size_t qi = 0; qi < r->count; qi++) {
		struct query_state *qs = &r->states[qi];

		if (qs->stage == STAGE_FIND_ROOT && is_struct_or_union(tv->kind) && tv->vlen > 0 &&
		    name_is(r, qs->name_index[0], tv->header.name_off)) {
			qs->stage = STAGE_FIND_MEMBER;
			qs->next_component = 1;
			set_single_candidate(qs, tv->id, 0);
		}
		/* One step may lead to another candidate on this very id. */
		while (qs->stage == STAGE_FIND_MEMBER || qs->stage == STAGE_FIND_SIZE) {
			int ci = find_candidate(qs, tv->id);

			if (ci < 0)
				break;
			if (advance_candidate(r, qi, (unsigned int)ci, tv) < 0)
				return -1;
		}
	}
	return 0;
}

/* One pass over the type section; validate_names checks every record's name. */
static int walk_types(struct btf_reader *r, int validate_names)
{
	size_t off = r->type_start, end = r->type_start + r->type_len;
	__u32 id = 1;

	for (; off < end; id++) {
		struct type_view tv = { .id = id };
		long data_size;

		if (id > BTF_MAX_TYPE)
			return fail(r, "more than %u types", BTF_MAX_TYPE);
		if (end - off < sizeof(tv.header))
			return fail(r, "type %u is truncated (%zu bytes left in the type section)", id, end - off);
		if (source_read(r, off, &tv.header, sizeof(tv.header)) < 0)
			return -1;
		tv.kind = BTF_INFO_KIND(tv.header.info);
		tv.vlen = BTF_INFO_VLEN(tv.header.info);
		tv.kind_flag = BTF_INFO_KFLAG(tv.header.info);
		tv.data_off = off + sizeof(tv.header);
		data_size = kind_data_size(tv.kind, tv.vlen);
		if (data_size < 0)
			return fail(r, "type %u has unknown kind %u", id, tv.kind);
		if ((size_t)data_size > end - tv.data_off)
			return fail(r, "type %u (kind %u, vlen %u) runs past the end of the type section",
				    id, tv.kind, tv.vlen);
		if (tv.header.name_off >= r->str_len)
			return fail(r, "type %u: name offset %u is outside the string section (%zu bytes)",
				    id, tv.header.name_off, r->str_len);
		if (validate_names && check_record_names(r, &tv) < 0)
			return -1;
		if (visit_type(r, &tv) < 0)
			return -1;
		off = tv.data_off + (size_t)data_size;
	}
	r->nr_types = id - 1;
	return 0;
}

/* After a pass: drop dangling candidates, give up on queries with none left. */
static int finish_pass(struct btf_reader *r)
{
	int unsettled = 0;

	for (size_t qi = 0; qi < r->count; qi++) {
		struct query_state *qs = &r->states[qi];

		if (qs->stage == STAGE_FIND_ROOT)
			settle(r, qi, 0, 0, 0);	/* the first pass saw every type */
		for (unsigned int ci = 0; ci < qs->nr_candidates;) {
			__u32 id = qs->candidates[ci].type_id;

			if (id == 0 || id > r->nr_types)
				remove_candidate(qs, ci);
			else
				ci++;
		}
		if (qs->stage != STAGE_SETTLED && qs->nr_candidates == 0)
			settle(r, qi, 0, 0, 0);
		if (qs->stage != STAGE_SETTLED)
			unsettled = 1;
	}
	return unsettled;
}

/* ---- driver ------------------------------------------------------------ */

static void prepare_queries(struct btf_reader *r)
{
	for (size_t qi = 0; qi < r->count; qi++) {
		struct btf_query *q = &r->queries[qi];

		q->found = q->bitfield = 0;
		q->offset = q->size = 0;
		if (!parse_path(r, q->path, &r->states[qi]))
			r->states[qi].stage = STAGE_SETTLED;
	}
}

/* Queries naming a string absent from the file cannot resolve. */
static void settle_unnamed(struct btf_reader *r)
{
	for (size_t qi = 0; qi < r->count; qi++) {
		struct query_state *qs = &r->states[qi];

		for (unsigned int i = 0; qs->stage != STAGE_SETTLED && i < qs->nr_components; i++)
			if (r->names[qs->name_index[i]].nr_offsets == 0)
				settle(r, qi, 0, 0, 0);
	}
}

static int resolve(struct btf_reader *r)
{
	int unsettled = 1;

	if (parse_header(r) < 0)
		return -1;
	r->states = calloc(r->count ? r->count : 1, sizeof(*r->states));
	r->names = calloc(r->count ? r->count * MAX_COMPONENTS : 1, sizeof(*r->names));
	if (!r->states || !r->names)
		return fail(r, "out of memory");
	prepare_queries(r);
	if (find_name_offsets(r) < 0)
		return -1;
	settle_unnamed(r);
	/* Always one pass, so malformed types are reported even with nothing to find. */
	for (int pass = 0; unsettled && pass < MAX_PASSES; pass++) {
		if (walk_types(r, pass == 0) < 0)
			return -1;
		unsettled = finish_pass(r);
	}
	for (size_t qi = 0; unsettled && qi < r->count; qi++)
		if (r->states[qi].stage != STAGE_SETTLED)
			settle(r, qi, 0, 0, 0);
	return 0;
}

static void reader_init(struct btf_reader *r, struct btf_query *queries, size_t count,
			char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->src.fd = -1;
	r->queries = queries;
	r->count = count;
	r->err = err;
	r->errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
}

static int reader_finish(struct btf_reader *r, int ret)
{
	free(r->states);
	free(r->names);
	if (ret < 0)
		for (size_t qi = 0; qi < r->count; qi++)
			r->queries[qi].found = 0;
	return ret;
}

int btf_resolve_blob(const void *data, size_t len, struct btf_query *queries, size_t count,
		     char *err, size_t errlen)
{
	struct btf_reader r;

	reader_init(&r, queries, count, err, errlen);
	if (!data)
		return reader_finish(&r, fail(&r, "no BTF data"));
	r.src.blob = data;
	r.src.size = len;
	return reader_finish(&r, resolve(&r));
}

int btf_resolve(const char *btf_path, struct btf_query *queries, size_t count,
		char *err, size_t errlen)
{
	struct btf_reader r;
	struct stat st;
	int ret;

	reader_init(&r, queries, count, err, errlen);
	r.origin = btf_path;
	r.src.fd = open(btf_path, O_RDONLY | O_CLOEXEC);
	if (r.src.fd < 0)
		return reader_finish(&r, fail(&r, "cannot open: %s", strerror(errno)));
	if (fstat(r.src.fd, &st) < 0) {
		ret = fail(&r, "cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		ret = fail(&r, "not a non-empty regular file");
	} else if (!(r.src.window = malloc(WINDOW_SIZE))) {
		ret = fail(&r, "out of memory");
	} else {
		r.src.size = (size_t)st.st_size;
		ret = resolve(&r);
	}
	free(r.src.window);
	close(r.src.fd);
	return reader_finish(&r, ret);
}
