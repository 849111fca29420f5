// SPDX-License-Identifier: GPL-2.0-only
/*
 * Single-pass BTF member-offset resolver (see btf.h).
 *
 * Plan: read the header, then stream the type section from its start.
 * The string section is scanned lazily beside it, strictly forward:
 * before the name of a struct/union or of a member is looked at, the
 * scan goes on until that string is whole, noting every offset where a
 * name the queries mention ends (tails included); the string bytes are
 * never kept. Each section streams through its own window, every byte is
 * read at most once and every record is validated as it goes by. Of the
 * types, only what a query could still need is kept: the structs and
 * unions a query may start at, one small record per type that can sit
 * on a member's type chain (struct, union, enum, int, float, array and
 * the typedef-like modifiers; pointers as one bit each), and the
 * struct/union members that are anonymous or carry a wanted name. For
 * vmlinux that is under 300 KB, against 5.5 MB for the file.
 *
 * The queries are answered from memory, with an id limit: every
 * CHECK_STEP bytes of the type section, they are tried on the types seen
 * so far. Needing a type beyond those means "not yet", never "not
 * found", so an early answer is exactly the one the whole pass would
 * give. Once every query is answered, the pass stops: BTF dedup puts the
 * structs the tracer needs, and their names, in the first fifth of each
 * section of vmlinux. A query whose root struct is not met (or only
 * decidable at the end) makes the pass go to the end of the file. What lies past
 * the stop is not parsed (nor read, but for the rest of a window), so
 * damage there goes unreported.
 *
 * Candidates are taken in the order a walk over ascending type ids
 * (wrapping around, at most MAX_PASSES times) would meet them, so even
 * odd input resolves exactly as the former multi-pass streaming reader
 * did.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/btf.h>

#include "kernel/btf/btf.h"

#define WINDOW_SIZE BTF_WINDOW_SIZE	/* the streaming buffer of each section */
#define MAX_COMPONENTS 8
#define MAX_NAME_LEN 255
#define MAX_OFFSETS_PER_NAME 4	/* a name may appear more than once in the string section */
#define MAX_CANDIDATES 32	/* places still to search for one component */
#define MAX_STEPS_PER_QUERY 4096	/* bounds work on cyclic or hostile input */
#define MAX_PASSES 64		/* wrap-arounds of the id walk one query may take */
#define POINTER_SIZE 8		/* BTF does not record it; the kernel is 64-bit */
#define BYTE_SWAPPED_MAGIC 0x9FeB
#define NAME_FILTER_BITS 4096	/* quick "surely not wanted" tests on names */
#define LOW_SEVEN_BITS 0x7f7f7f7f7f7f7f7full
#define STRING_STEP 4096	/* most string bytes scanned at once: scan little past a need */
#define CHECK_STEP 4096		/* type bytes between tries to answer early (a sysfs read) */

/* Where the bytes of one section come from: a blob in memory, or a file read through a window. */
struct source {
	const unsigned char *blob;	/* NULL when streaming from fd */
	size_t size;
	int fd;
	unsigned char *window;
	size_t window_start;		/* file offset of window[0] */
	size_t window_len;		/* valid bytes in window */
	size_t limit;			/* end of the section being streamed: reads stop there */
	size_t bytes_read;		/* from the file since the last seek */
};

/* A distinct path component and where it sits in the string section. */
struct wanted_name {
	const char *text;	/* points into the caller's query path, not NUL-terminated here */
	size_t len;
	unsigned int nr_offsets;
	__u32 offsets[MAX_OFFSETS_PER_NAME];
	unsigned char is_tail[MAX_OFFSETS_PER_NAME];	/* found as the tail of a longer string */
	long next_same_last;	/* the next name ending in the same character, or -1 */
	int is_root;		/* the first component of some query */
	size_t nr_roots;	/* kept roots of this name */
};

/*
 * A string offset some wanted name sat at when it was scanned; sorted by
 * offset for lookups. A tail's slot may be given to a whole string later,
 * so a hit is checked against the name's current slots.
 */
struct name_ref {
	__u32 offset;
	__u32 name_index;
};

/* A struct/union with members whose name is the first component of a query. */
struct kept_root {
	__u32 id;
	__u32 name_off;
	__u32 name_index;
	__u32 is_func;	/* a function (a "name()" query), else a struct/union */
};

enum walk_stage {
	STAGE_FIND_MEMBER,	/* candidates lead to structs that may hold the next component */
	STAGE_FIND_SIZE,	/* the one candidate leads to the final member's sized type */
	STAGE_SETTLED,		/* answer holds the final result */
	STAGE_WAIT,		/* the types seen so far cannot tell yet */
};

/* A type id still to be looked at, and the bit offset it sits at. */
struct candidate {
	__u32 type_id;
	__u64 bit_offset;
};

struct query_state {
	unsigned int name_index[MAX_COMPONENTS];	/* into btf_reader.names */
	unsigned int nr_components;
	int is_func;		/* "name()": a function's id */
	int settled;		/* the caller's btf_query holds the final answer */
	__u32 retry_seen;	/* trying again is pointless before this many types are seen, */
	size_t retry_roots;	/* or before the root name has this many kept roots */
};

/* One query being answered from what is kept; started afresh at each try. */
struct walk {
	const struct query_state *qs;
	unsigned int next_component;			/* being looked up */
	enum walk_stage stage;
	__u32 root_id;
	struct candidate candidates[MAX_CANDIDATES];
	unsigned int nr_candidates;
	__u64 size_multiplier;	/* product of array lengths met while sizing */
	int bitfield;
	unsigned int steps;
	__u32 need_id;		/* STAGE_WAIT: the unseen type needed next, */
	int need_root;		/* or a root of the first component's name, or neither: the end */
	struct btf_query answer;	/* STAGE_SETTLED: found, bitfield, offset, size */
};

/* One type record as met during the pass. */
struct type_view {
	__u32 id;
	struct btf_type header;
	unsigned int kind;
	unsigned int vlen;
	int kind_flag;
	size_t data_off;	/* absolute offset of the kind-specific data */
	const unsigned char *data;	/* the kind data's first data_avail bytes in memory, */
	size_t data_avail;		/* valid until a read past them */
};

/*
 * What is kept of a type that can sit on a member's type chain. The key
 * packs the id (at most BTF_MAX_TYPE, 20 bits), the kind and two flags;
 * word is the size (struct, union, enum, int, float), the target id
 * (modifiers) or an index into btf_reader.arrays (array).
 */
struct kept_type {
	__u32 key;
	__u32 word;
};

#define KEY_ID_MASK BTF_MAX_TYPE
#define KEY_KIND_SHIFT 20
#define KEY_KIND_MASK 0x1fu
#define KEY_KIND_FLAG (1u << 25)	/* struct/union: member offsets carry bitfield sizes */
#define KEY_NARROW_INT (1u << 26)	/* int: not all bits of its size, or shifted */

struct kept_array {
	__u32 elem_type;
	__u32 nelems;
};

/* A struct/union member that is anonymous or has a wanted name. */
struct kept_member {
	__u32 owner_id;
	__u32 name_off;
	__u32 type;
	__u32 offset;	/* as stored: with kind_flag, bitfield size << 24 | bit offset */
};

/* A type as the resolution steps see it. */
struct type_node {
	__u32 id;
	unsigned int kind;	/* BTF_KIND_UNKN: a type that cannot sit on a member's chain */
	__u32 key;
	__u32 word;
};

struct btf_reader {
	struct source type_src;	/* the header, then the type section */
	struct source str_src;	/* the string section, scanned as names are met */
	struct tt_err *err;
	size_t type_start, type_len;	/* absolute offset and length */
	size_t str_start, str_len;
	size_t str_scanned;	/* bytes of the string section checked for names */
	size_t str_whole;	/* strings starting before this offset were scanned whole */
	int strs_done;		/* scanned to the end: every name's slots are final */
	struct wanted_name *names;
	size_t nr_names;
	long last_char_first[256];	/* the first name ending in each character, or -1 */
	__u64 one_char_names[256 / 64];	/* bit c: a name is just c */
	__u64 name_end_filter[NAME_FILTER_BITS / 64];	/* bit end_hash(): a name ends so */
	struct name_ref *name_refs;	/* every offset ever given to a name, sorted */
	size_t nr_name_refs, name_refs_cap;
	__u64 name_filter[NAME_FILTER_BITS / 64];	/* bit (offset % NAME_FILTER_BITS) of each */
	/* Sized for the most types the section can hold; only what is used is touched. */
	__u32 max_types;
	struct kept_type *types;	/* ascending ids */
	size_t nr_kept_types, types_size;
	struct kept_array *arrays;
	size_t nr_arrays, arrays_size;
	unsigned char *pointers;	/* bitmap of the ids that are pointers */
	size_t pointers_size;
	struct kept_member *members;	/* ascending owner ids; grows */
	size_t nr_members, members_cap, members_size;
	struct kept_root *roots;	/* ascending ids; grows */
	size_t nr_roots, roots_cap;
	__u32 seen;		/* types 1..seen are read and kept: answers may look no further */
	int final;		/* the whole file was read: seen is the number of types */
	int full_walk;		/* an answer needs the whole file: no more early tries */
	size_t next_check;	/* type section offset of the next early try */
	struct query_state *states;
	struct btf_query *queries;
	size_t count;
};

/*
 * Zeroed memory straight from the kernel, for tables sized by an upper
 * bound: pages never written cost no RSS (malloc would do the same for
 * these sizes, but sanitizers touch what they hand out).
 */
static void *map_table(struct btf_reader *r, size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		tt_fail(r->err, "out of memory (%zu bytes)", size);
		return NULL;
	}
	/* A table sized by an upper bound is mostly never touched; with
	 * transparent huge pages one touch could fault in 2 MB at once (seen
	 * in the guest: peak RSS 2.4 MB instead of 0.5 MB in 1 run of 3). */
	madvise(p, size ? size : 1, MADV_NOHUGEPAGE);
	return p;
}

static void unmap_table(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

static struct kept_member *push_member(struct btf_reader *r)
{
	if (r->nr_members == r->members_cap) {
		size_t cap = r->members_cap ? r->members_cap * 2 : 4096 / sizeof(*r->members);
		struct kept_member *grown;

		/* A kept member takes 12 bytes of input, so cap stays far below SIZE_MAX. */
		grown = map_table(r, cap * sizeof(*r->members));
		if (!grown)
			return NULL;
		if (r->nr_members)
			memcpy(grown, r->members, r->nr_members * sizeof(*r->members));
		unmap_table(r->members, r->members_size);
		r->members = grown;
		r->members_cap = cap;
		r->members_size = cap * sizeof(*r->members);
	}
	return &r->members[r->nr_members++];
}

static struct kept_root *push_root(struct btf_reader *r)
{
	if (r->nr_roots == r->roots_cap) {
		size_t cap = r->roots_cap ? r->roots_cap * 2 : 16;
		struct kept_root *grown = realloc(r->roots, cap * sizeof(*r->roots));

		/* A root takes 12 bytes of input, so cap stays far below SIZE_MAX. */
		if (!grown) {
			tt_fail(r->err, "out of memory");
			return NULL;
		}
		r->roots = grown;
		r->roots_cap = cap;
	}
	return &r->roots[r->nr_roots++];
}

/* ---- byte source ------------------------------------------------------ */

/* Start streaming the section [start, end); what is buffered is dropped. */
static void source_seek(struct source *src, size_t start, size_t end)
{
	src->window_start = start;
	src->window_len = 0;
	src->limit = end;
	src->bytes_read = 0;
}

/*
 * Return a pointer to at least min readable bytes at absolute offset off,
 * and in *avail how many there are (never past the section's end). Offsets
 * must not go backwards within a section: what lies before off is
 * forgotten, and a file is read from where the buffer ends, so no byte is
 * read twice. A read may return less than asked (sysfs gives 4 KiB at a
 * time); only as many reads as min needs are made. Callers check bounds
 * first, so a bad range is a bug reported as an error, never an overread.
 */
static const unsigned char *source_fill(struct btf_reader *r, struct source *src, size_t off,
					size_t min, size_t *avail)
{
	size_t end = src->window_start + src->window_len;

	if (off > src->limit || min > src->limit - off || min > WINDOW_SIZE ||
	    (!src->blob && off < src->window_start)) {
		tt_fail(r->err, "internal: read of %zu bytes at %zu is out of range", min, off);
		return NULL;
	}
	if (src->blob) {
		*avail = src->limit - off;
		return src->blob + off;
	}
	src->window_len = off < end ? end - off : 0;
	if (src->window_len)
		memmove(src->window, src->window + (off - src->window_start), src->window_len);
	src->window_start = off;
	while (src->window_len < min) {
		size_t pos = off + src->window_len, want = WINDOW_SIZE - src->window_len;
		ssize_t n;

		if (want > src->limit - pos)
			want = src->limit - pos;
		n = pread(src->fd, src->window + src->window_len, want, (off_t)pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tt_fail(r->err, "read at offset %zu: %s", pos, strerror(errno));
			return NULL;
		}
		if (n == 0) {
			tt_fail(r->err, "file shrank while reading (short read at offset %zu)", pos);
			return NULL;
		}
		src->window_len += (size_t)n;
		src->bytes_read += (size_t)n;
	}
	*avail = src->window_len;
	return src->window;
}

/* The common case, inline even at -Os: the bytes are in the window already. */
__attribute__((always_inline))
static inline const unsigned char *source_get(struct btf_reader *r, struct source *src,
					      size_t off, size_t min, size_t *avail)
{
	size_t at = off - src->window_start;	/* huge when off is before the window */

	if (!src->blob && off >= src->window_start && at < src->window_len &&
	    src->window_len - at >= min) {
		*avail = src->window_len - at;
		return src->window + at;
	}
	return source_fill(r, src, off, min, avail);
}

static int source_read(struct btf_reader *r, struct source *src, size_t off, void *dst, size_t len)
{
	size_t avail;
	const unsigned char *p = source_get(r, src, off, len, &avail);

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

	if (begin > r->type_src.size || len > r->type_src.size - begin)
		return tt_fail(r->err, "%s section (offset %u, length %u) runs past the end of the data (%zu bytes)",
			       what, off, len, r->type_src.size);
	*start = (size_t)begin;
	return 0;
}

static int parse_header(struct btf_reader *r)
{
	struct btf_header hdr;

	if (r->type_src.size < sizeof(hdr))
		return tt_fail(r->err, "too short for a BTF header: %zu bytes, need %zu",
			       r->type_src.size, sizeof(hdr));
	source_seek(&r->type_src, 0, sizeof(hdr));
	if (source_read(r, &r->type_src, 0, &hdr, sizeof(hdr)) < 0)
		return -1;
	if (hdr.magic == BYTE_SWAPPED_MAGIC)
		return tt_fail(r->err, "byte-swapped BTF (magic 0x%04x): only native little-endian BTF is supported",
			       hdr.magic);
	if (hdr.magic != BTF_MAGIC)
		return tt_fail(r->err, "bad BTF magic 0x%04x (want 0x%04x)", hdr.magic, BTF_MAGIC);
	if (hdr.version != BTF_VERSION)
		return tt_fail(r->err, "unsupported BTF version %u", hdr.version);
	if (hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > r->type_src.size)
		return tt_fail(r->err, "BTF header length %u is out of range (data is %zu bytes)",
			       hdr.hdr_len, r->type_src.size);
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
	size_t len = path ? strlen(path) : 0;

	if (!path)
		return 0;
	if (len > 2 && !strcmp(path + len - 2, "()")) {
		if (len - 2 > MAX_NAME_LEN || memchr(path, '.', len))
			return 0;
		qs->is_func = 1;
		qs->name_index[qs->nr_components++] =
			(unsigned int)intern_name(r, path, len - 2);
		return 1;
	}
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

/*
 * Is the string at name_off (scanned already) the wanted name? 1 or 0
 * for sure, or -1 while that may change: a tail found before the scan
 * reached the end may yet give its slot to a whole string.
 */
static int name_is(const struct btf_reader *r, unsigned int name_index, __u32 name_off)
{
	const struct wanted_name *name = &r->names[name_index];

	for (unsigned int i = 0; i < name->nr_offsets; i++)
		if (name->offsets[i] == name_off)
			return name->is_tail[i] && !r->strs_done ? -1 : 1;
	return 0;
}

/* The wanted name holding this (scanned) string offset now, or -1. */
static long name_at(const struct btf_reader *r, __u32 name_off)
{
	size_t lo = 0, hi = r->nr_name_refs;

	if (!(r->name_filter[name_off % NAME_FILTER_BITS / 64] >> (name_off % 64) & 1))
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->name_refs[mid].offset < name_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->nr_name_refs || r->name_refs[lo].offset != name_off ||
	    !name_is(r, r->name_refs[lo].name_index, name_off))
		return -1;
	return (long)r->name_refs[lo].name_index;
}

/* Note that a name was given this offset; offsets come nearly sorted (by string end). */
static void add_name_ref(struct btf_reader *r, __u32 offset, unsigned int name_index)
{
	size_t i = r->nr_name_refs;

	if (i == r->name_refs_cap)	/* cannot happen: see prepare_strings */
		return;
	for (; i > 0 && r->name_refs[i - 1].offset > offset; i--)
		r->name_refs[i] = r->name_refs[i - 1];
	r->name_refs[i].offset = offset;
	r->name_refs[i].name_index = name_index;
	r->nr_name_refs++;
	r->name_filter[offset % NAME_FILTER_BITS / 64] |= 1ull << (offset % 64);
}

/* ---- string section ---------------------------------------------------- */

/*
 * Remember one more offset for a name. Whole strings are what real BTF
 * uses, so they may take the place of a remembered tail; a common tail
 * like "sk" would otherwise fill every slot. So a name stores at most
 * 2 * MAX_OFFSETS_PER_NAME offsets: each slot filled once, each tail
 * replaced once.
 */
static void remember_offset(struct btf_reader *r, unsigned int name_index, __u32 offset, int is_tail)
{
	struct wanted_name *name = &r->names[name_index];
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
	add_name_ref(r, offset, name_index);
}

static unsigned int end_hash(unsigned char before_last, unsigned char last)
{
	return ((unsigned int)before_last * 31 + last) % NAME_FILTER_BITS;
}

/* Chain the names by their last character; note their last two in the filters. */
static void index_name_ends(struct btf_reader *r)
{
	for (size_t c = 0; c < 256; c++)
		r->last_char_first[c] = -1;
	for (size_t i = r->nr_names; i-- > 0;) {
		const unsigned char *text = (const unsigned char *)r->names[i].text;
		size_t len = r->names[i].len;
		unsigned int bit;

		r->names[i].next_same_last = r->last_char_first[text[len - 1]];
		r->last_char_first[text[len - 1]] = (long)i;
		if (len == 1) {
			r->one_char_names[text[0] / 64] |= 1ull << (text[0] % 64);
		} else {
			bit = end_hash(text[len - 2], text[len - 1]);
			r->name_end_filter[bit / 64] |= 1ull << (bit % 64);
		}
	}
}

/* A NUL sits at window[nul]: can a wanted name end right before it? */
static int name_may_end_at(const struct btf_reader *r, const unsigned char *window, size_t nul)
{
	unsigned int last, bit;

	if (nul == 0)
		return 0;
	last = window[nul - 1];
	if (r->one_char_names[last / 64] >> (last % 64) & 1)
		return 1;
	if (nul == 1)
		return 0;
	bit = end_hash(window[nul - 2], (unsigned char)last);
	return r->name_end_filter[bit / 64] >> (bit % 64) & 1;
}

/* A NUL sits at window[nul]; record every wanted name that ends right there. */
static void match_names_ending_at(struct btf_reader *r, const unsigned char *window,
				  size_t nul, size_t window_pos)
{
	for (long i = r->last_char_first[window[nul - 1]]; i >= 0; i = r->names[i].next_same_last) {
		const struct wanted_name *name = &r->names[i];
		size_t start;

		if (nul < name->len)
			continue;
		start = nul - name->len;
		if (window[start] != (unsigned char)name->text[0] ||
		    memcmp(window + start, name->text, name->len) != 0)
			continue;
		/* start >= 1 except at the section start, whose string is empty */
		remember_offset(r, (unsigned int)i, (__u32)(window_pos + start),
				start > 0 && window[start - 1] != 0);
	}
}

/* Check each NUL in window[from, avail) for names ending there; return 1 + the last one's index, or 0. */
static size_t check_nuls(struct btf_reader *r, const unsigned char *window, size_t from,
			 size_t avail, size_t window_pos)
{
	size_t i = from, last = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight bytes at a time: 0x80 marks each zero byte, exactly. */
	for (; avail - i >= sizeof(__u64); i += sizeof(__u64)) {
		__u64 word, zeros;

		memcpy(&word, window + i, sizeof(word));
		zeros = ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
		if (zeros)
			last = i + (size_t)(63 - __builtin_clzll(zeros)) / 8 + 1;
		for (; zeros; zeros &= zeros - 1) {
			size_t nul = i + (size_t)__builtin_ctzll(zeros) / 8;

			if (name_may_end_at(r, window, nul))
				match_names_ending_at(r, window, nul, window_pos);
		}
	}
#endif
	for (; i < avail; i++) {
		if (window[i] != 0)
			continue;
		last = i + 1;
		if (name_may_end_at(r, window, i))
			match_names_ending_at(r, window, i, window_pos);
	}
	return last;
}

/* Check the string section's size; get ready to scan it. */
static int prepare_strings(struct btf_reader *r)
{
	if (r->str_len == 0)
		return tt_fail(r->err, "empty string section");
	if (r->str_len - 1 > BTF_MAX_NAME_OFFSET)
		return tt_fail(r->err, "string section too large (%zu bytes)", r->str_len);
	r->name_refs_cap = r->nr_names * 2 * MAX_OFFSETS_PER_NAME;	/* see remember_offset */
	r->name_refs = calloc(r->name_refs_cap + 1, sizeof(*r->name_refs));
	if (!r->name_refs)
		return tt_fail(r->err, "out of memory");
	index_name_ends(r);
	source_seek(&r->str_src, r->str_start, r->str_start + r->str_len);
	return 0;
}

/*
 * Scan up to STRING_STEP more bytes. Any offset whose NUL-terminated
 * string equals a name will do as that name (a name_off may point into
 * the tail of a longer string), so every NUL is checked for each name
 * ending there. Each step looks from MAX_NAME_LEN + 1 bytes before the
 * first byte not yet scanned, so a name cut by a step or window edge, and
 * the byte before it, are seen whole in the next.
 */
static int scan_strings(struct btf_reader *r)
{
	size_t pos = r->str_scanned;
	size_t keep = pos < MAX_NAME_LEN + 1 ? pos : MAX_NAME_LEN + 1;
	size_t base = pos - keep, avail, last;
	const unsigned char *window = source_get(r, &r->str_src, r->str_start + base, keep + 1, &avail);

	if (!window)
		return -1;
	if (pos == 0 && window[0] != 0)
		return tt_fail(r->err, "string section does not start and end with a NUL byte");
	if (avail - keep > STRING_STEP)
		avail = keep + STRING_STEP;
	last = check_nuls(r, window, keep, avail, base);
	if (last)
		r->str_whole = base + last;
	r->str_scanned = base + avail;
	if (r->str_scanned < r->str_len)
		return 0;
	if (window[avail - 1] != 0)
		return tt_fail(r->err, "string section does not start and end with a NUL byte");
	r->strs_done = 1;
	return 0;
}

/* Scan until the string at name_off (inside the section) is whole: its NUL seen. */
static int need_string(struct btf_reader *r, __u32 name_off)
{
	while (name_off >= r->str_whole)
		if (scan_strings(r) < 0)
			return -1;
	return 0;
}

static int finish_strings(struct btf_reader *r)
{
	while (!r->strs_done)
		if (scan_strings(r) < 0)
			return -1;
	return 0;
}

/* ---- type section: the one pass ----------------------------------------- */

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

static int keep_member(struct btf_reader *r, const struct type_view *tv, const unsigned char *record)
{
	struct kept_member *km = push_member(r);
	struct btf_member m;

	if (!km)
		return -1;
	memcpy(&m, record, sizeof(m));
	km->owner_id = tv->id;
	km->name_off = m.name_off;
	km->type = m.type;
	km->offset = m.offset;
	return 0;
}

/* len bytes at offset at of the kind data, and in *avail how many follow there. */
static const unsigned char *type_data(struct btf_reader *r, const struct type_view *tv,
				      size_t at, size_t len, size_t *avail)
{
	if (at <= tv->data_avail && len <= tv->data_avail - at) {
		*avail = tv->data_avail - at;
		return tv->data + at;
	}
	return source_get(r, &r->type_src, tv->data_off + at, len, avail);
}

static int read_type_data(struct btf_reader *r, const struct type_view *tv, void *dst, size_t len)
{
	size_t avail;
	const unsigned char *p = type_data(r, tv, 0, len, &avail);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

/* A member worth keeping: anonymous, or named by a query (its name is scanned first). */
static int member_wanted(struct btf_reader *r, __u32 name_off)
{
	if (name_off == 0)
		return 1;
	if (need_string(r, name_off) < 0)
		return -1;
	return name_at(r, name_off) >= 0;
}

/* Validate the name of every record in the kind data; keep the members that matter. */
static int walk_records(struct btf_reader *r, const struct type_view *tv)
{
	size_t record = named_record_size(tv->kind);
	int members = is_struct_or_union(tv->kind);

	for (unsigned int i = 0; record && i < tv->vlen;) {
		size_t avail;
		const unsigned char *p = type_data(r, tv, (size_t)i * record, record, &avail);

		if (!p)
			return -1;
		/* p stays valid: the string scan reads through its own window */
		for (; avail >= record && i < tv->vlen; i++, p += record, avail -= record) {
			__u32 name_off;	/* every record starts with one */
			int wanted;

			memcpy(&name_off, p, sizeof(name_off));
			if (name_off >= r->str_len)
				return tt_fail(r->err, "type %u member %u: name offset %u is outside the string section (%zu bytes)",
					       tv->id, i, name_off, r->str_len);
			if (!members)
				continue;
			wanted = member_wanted(r, name_off);
			if (wanted < 0 || (wanted && keep_member(r, tv, p) < 0))
				return -1;
		}
	}
	return 0;
}

/* A struct/union with members and the name a query starts with may be
 * its root; so may a function (whose vlen is its linkage). */
static int keep_root(struct btf_reader *r, const struct type_view *tv)
{
	__u32 name_off = tv->header.name_off;
	int is_func = tv->kind == BTF_KIND_FUNC;
	struct kept_root *root;
	long name;

	if ((tv->vlen == 0 && !is_func) || name_off == 0)
		return 0;
	if (need_string(r, name_off) < 0)
		return -1;
	name = name_at(r, name_off);
	if (name < 0 || !r->names[name].is_root)
		return 0;
	root = push_root(r);
	if (!root)
		return -1;
	root->id = tv->id;
	root->name_off = name_off;
	root->name_index = (__u32)name;
	root->is_func = (__u32)is_func;
	r->names[name].nr_roots++;
	return 0;
}

static void keep_pointer(struct btf_reader *r, __u32 id)
{
	r->pointers[id / 8] |= (unsigned char)(1u << (id % 8));
}

/* Keep what a query could need of this type; read its kind data. */
static int keep_type(struct btf_reader *r, const struct type_view *tv)
{
	struct kept_type kt = { .key = tv->id | tv->kind << KEY_KIND_SHIFT, .word = tv->header.size };
	struct btf_array array;
	__u32 int_info;

	switch (tv->kind) {
	case BTF_KIND_PTR:
		keep_pointer(r, tv->id);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (tv->kind_flag)
			kt.key |= KEY_KIND_FLAG;
		if (keep_root(r, tv) < 0)
			return -1;
		break;
	case BTF_KIND_INT:
		if (read_type_data(r, tv, &int_info, sizeof(int_info)) < 0)
			return -1;
		/* Without kind_flag, a bitfield shows up as a narrowed int. */
		if (BTF_INT_OFFSET(int_info) != 0 || BTF_INT_BITS(int_info) != (__u64)tv->header.size * 8)
			kt.key |= KEY_NARROW_INT;
		break;
	case BTF_KIND_ARRAY:
		if (read_type_data(r, tv, &array, sizeof(array)) < 0)
			return -1;
		kt.word = (__u32)r->nr_arrays;	/* fewer than BTF_MAX_TYPE */
		r->arrays[r->nr_arrays].elem_type = array.type;
		r->arrays[r->nr_arrays].nelems = array.nelems;
		r->nr_arrays++;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		break;
	case BTF_KIND_FUNC_PROTO:
		return walk_records(r, tv);
	case BTF_KIND_FUNC:	/* only ever a root: no member sits there */
		return keep_root(r, tv);
	default:	/* FWD, VAR, ...: no member can be sized or searched there */
		return 0;
	}
	r->types[r->nr_kept_types++] = kt;
	return walk_records(r, tv);
}

static int map_type_tables(struct btf_reader *r)
{
	/* Each type takes at least a header, which bounds the ids. */
	size_t max_types = r->type_len / sizeof(struct btf_type);

	if (max_types > BTF_MAX_TYPE)
		max_types = BTF_MAX_TYPE;
	r->max_types = (__u32)max_types;
	r->types_size = max_types * sizeof(*r->types);
	/* an array type takes 24 bytes */
	r->arrays_size = (r->type_len / 24 < max_types ? r->type_len / 24 : max_types) * sizeof(*r->arrays);
	r->pointers_size = max_types / 8 + 1;
	r->types = map_table(r, r->types_size);
	r->arrays = r->types ? map_table(r, r->arrays_size) : NULL;
	r->pointers = r->arrays ? map_table(r, r->pointers_size) : NULL;
	return r->pointers ? 0 : -1;
}

static int try_answers(struct btf_reader *r, __u32 seen);

/*
 * Time to try answering early: every CHECK_STEP bytes of types. Not tied
 * to window refills, so a file stops where the same blob does (and
 * fails on the same damage), whatever each read returns.
 */
static int checkpoint_due(const struct btf_reader *r, size_t off)
{
	return !r->full_walk && off >= r->next_check;
}

/* Read one type's header at off into tv and check it; its kind data ends at *next. */
static int read_type_header(struct btf_reader *r, size_t off, size_t end, __u32 id,
			    struct type_view *tv, size_t *next)
{
	const unsigned char *p;
	size_t avail;
	long data_size;

	if (id > BTF_MAX_TYPE)
		return tt_fail(r->err, "more than %u types", BTF_MAX_TYPE);
	if (end - off < sizeof(tv->header))
		return tt_fail(r->err, "type %u is truncated (%zu bytes left in the type section)", id, end - off);
	p = source_get(r, &r->type_src, off, sizeof(tv->header), &avail);
	if (!p)
		return -1;
	memcpy(&tv->header, p, sizeof(tv->header));
	tv->id = id;
	tv->data = p + sizeof(tv->header);
	tv->data_avail = avail - sizeof(tv->header);
	tv->kind = BTF_INFO_KIND(tv->header.info);
	tv->vlen = BTF_INFO_VLEN(tv->header.info);
	tv->kind_flag = BTF_INFO_KFLAG(tv->header.info);
	tv->data_off = off + sizeof(tv->header);
	data_size = kind_data_size(tv->kind, tv->vlen);
	if (data_size < 0)
		return tt_fail(r->err, "type %u has unknown kind %u", id, tv->kind);
	if ((size_t)data_size > end - tv->data_off)
		return tt_fail(r->err, "type %u (kind %u, vlen %u) runs past the end of the type section",
			       id, tv->kind, tv->vlen);
	if (tv->header.name_off >= r->str_len)
		return tt_fail(r->err, "type %u: name offset %u is outside the string section (%zu bytes)",
			       id, tv->header.name_off, r->str_len);
	*next = tv->data_off + (size_t)data_size;
	return 0;
}

/* The pass over the types: 1 when it stopped early with every query answered, 0 at the end. */
static int walk_types(struct btf_reader *r)
{
	size_t off = r->type_start, end = r->type_start + r->type_len;
	__u32 id = 1;

	if (map_type_tables(r) < 0)
		return -1;
	source_seek(&r->type_src, off, end);
	r->next_check = off;
	for (; off < end; id++) {
		struct type_view tv;

		if (checkpoint_due(r, off)) {
			r->next_check = off + CHECK_STEP;
			if (try_answers(r, id - 1))
				return 1;
		}
		if (read_type_header(r, off, end, id, &tv, &off) < 0 || keep_type(r, &tv) < 0)
			return -1;
	}
	r->seen = id - 1;
	return 0;
}

/* ---- answering from memory --------------------------------------------- */

/* What is known of type id (1 <= id <= r->seen). */
static struct type_node lookup_type(const struct btf_reader *r, __u32 id)
{
	struct type_node node = { .id = id, .kind = BTF_KIND_UNKN };
	const struct kept_type *kept = r->types;
	size_t lo = 0, hi = r->nr_kept_types;

	if (r->pointers[id / 8] >> (id % 8) & 1) {
		node.kind = BTF_KIND_PTR;
		return node;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((kept[mid].key & KEY_ID_MASK) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nr_kept_types && (kept[lo].key & KEY_ID_MASK) == id) {
		node.key = kept[lo].key;
		node.kind = node.key >> KEY_KIND_SHIFT & KEY_KIND_MASK;
		node.word = kept[lo].word;
	}
	return node;
}

static void settle(struct walk *w, int found, __u64 bit_offset, __u64 size)
{
	w->stage = STAGE_SETTLED;
	w->nr_candidates = 0;
	if (!found || bit_offset / 8 > UINT_MAX || size > UINT_MAX)
		return;
	w->answer.found = 1;
	w->answer.bitfield = w->bitfield || bit_offset % 8 != 0;
	w->answer.offset = (unsigned int)(bit_offset / 8);
	w->answer.size = (unsigned int)size;
}

/* The types seen cannot tell: wait for type need_id, a new root, or (neither) the end. */
static void wait_for(struct walk *w, __u32 need_id, int need_root)
{
	w->stage = STAGE_WAIT;
	w->need_id = need_id;
	w->need_root = need_root;
}

static void set_single_candidate(struct walk *w, __u32 type_id, __u64 bit_offset)
{
	w->candidates[0].type_id = type_id;
	w->candidates[0].bit_offset = bit_offset;
	w->nr_candidates = 1;
}

static void remove_candidate(struct walk *w, unsigned int ci)
{
	w->candidates[ci] = w->candidates[--w->nr_candidates];
}

static void found_member(struct walk *w, __u32 type_id, __u64 bit_offset, unsigned int bitfield_size)
{
	set_single_candidate(w, type_id, bit_offset);
	if (w->next_component + 1 < w->qs->nr_components) {
		w->next_component++;
		if (bitfield_size)
			w->bitfield = 1;
		return;
	}
	w->stage = STAGE_FIND_SIZE;
	w->size_multiplier = 1;
	w->bitfield = w->bitfield || bitfield_size != 0;
}

/* The candidate (already removed) is this struct/union: look for the component. */
static void search_members(const struct btf_reader *r, struct walk *w, const struct type_node *node,
			   struct candidate where)
{
	unsigned int wanted = w->qs->name_index[w->next_component];
	const struct kept_member *m = r->members;
	size_t lo = 0, hi = r->nr_members;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m[mid].owner_id < node->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->nr_members && m[lo].owner_id == node->id; lo++) {
		__u32 bit_off = m[lo].offset;
		unsigned int bitfield_size = 0;
		int is = name_is(r, wanted, m[lo].name_off);

		if (node->key & KEY_KIND_FLAG) {
			bit_off = BTF_MEMBER_BIT_OFFSET(m[lo].offset);
			bitfield_size = BTF_MEMBER_BITFIELD_SIZE(m[lo].offset);
		}
		if (is < 0) {
			wait_for(w, 0, 0);
			return;
		}
		if (is) {
			found_member(w, m[lo].type, where.bit_offset + bit_off, bitfield_size);
			return;
		}
		/* Anonymous members are searched too; non-struct ones get dropped later. */
		if (m[lo].name_off == 0 && w->nr_candidates < MAX_CANDIDATES) {
			w->candidates[w->nr_candidates].type_id = m[lo].type;
			w->candidates[w->nr_candidates].bit_offset = where.bit_offset + bit_off;
			w->nr_candidates++;
		}
	}
}

/* The candidate is the final member's type, or an array element on the way. */
static void size_candidate(const struct btf_reader *r, struct walk *w, unsigned int ci,
			   const struct type_node *node)
{
	struct candidate *c = &w->candidates[ci];
	const struct kept_array *array;

	switch (node->kind) {
	case BTF_KIND_PTR:
		settle(w, 1, c->bit_offset, POINTER_SIZE * w->size_multiplier);
		return;
	case BTF_KIND_ARRAY:
		array = &r->arrays[node->word];
		w->size_multiplier *= array->nelems;	/* both factors < 2^32 */
		if (w->size_multiplier > UINT_MAX) {
			settle(w, 0, 0, 0);
			return;
		}
		c->type_id = array->elem_type;
		return;
	case BTF_KIND_INT:
		if (node->key & KEY_NARROW_INT)
			w->bitfield = 1;
		settle(w, 1, c->bit_offset, (__u64)node->word * w->size_multiplier);
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		settle(w, 1, c->bit_offset, (__u64)node->word * w->size_multiplier);
		return;
	default:	/* FWD, FUNC, FUNC_PROTO, ...: no size a member could have */
		settle(w, 0, 0, 0);
		return;
	}
}

/* Move one candidate sitting on this type a step further. */
static void advance_candidate(const struct btf_reader *r, struct walk *w, unsigned int ci,
			      const struct type_node *node)
{
	struct candidate where = w->candidates[ci];

	if (++w->steps > MAX_STEPS_PER_QUERY) {
		settle(w, 0, 0, 0);
		return;
	}
	if (is_modifier(node->kind)) {
		w->candidates[ci].type_id = node->word;
		return;
	}
	if (w->stage == STAGE_FIND_SIZE) {
		size_candidate(r, w, ci, node);
		return;
	}
	remove_candidate(w, ci);
	if (is_struct_or_union(node->kind))	/* a pointer or scalar cannot hold the next component */
		search_members(r, w, node, where);
}

/* The candidate the id walk would meet next from id cursor on (ids up to bound exist), or -1. */
static int next_candidate(const struct walk *w, __u32 cursor, __u32 bound)
{
	int best = -1;

	for (unsigned int i = 0; i < w->nr_candidates; i++) {
		__u32 id = w->candidates[i].type_id;

		if (id >= cursor && id <= bound &&
		    (best < 0 || id < w->candidates[best].type_id))
			best = (int)i;
	}
	return best;
}

/* At the end of a walk: drop candidates on ids that do not exist. */
static void drop_dangling(struct walk *w, __u32 bound)
{
	for (unsigned int ci = 0; ci < w->nr_candidates;) {
		__u32 id = w->candidates[ci].type_id;

		if (id == 0 || id > bound)
			remove_candidate(w, ci);
		else
			ci++;
	}
}

/* Start at the query's root: the first struct/union with members and that name. */
static void start_walk(const struct btf_reader *r, const struct query_state *qs, struct walk *w)
{
	memset(w, 0, sizeof(*w));
	w->qs = qs;
	for (size_t i = 0; i < r->nr_roots; i++) {
		const struct kept_root *root = &r->roots[i];
		int is = root->name_index == qs->name_index[0] &&
				 root->is_func == (__u32)qs->is_func ?
			 name_is(r, root->name_index, root->name_off) : 0;

		if (is < 0) {
			wait_for(w, 0, 0);
			return;
		}
		if (is && qs->is_func) {
			w->root_id = root->id;
			settle(w, 1, 0, 0);
			return;
		}
		if (is) {
			w->stage = STAGE_FIND_MEMBER;
			w->next_component = 1;
			w->root_id = root->id;
			set_single_candidate(w, root->id, 0);
			return;
		}
	}
	if (r->final)
		settle(w, 0, 0, 0);
	else
		wait_for(w, 0, 1);
}

/*
 * Walk from the root as far as the types seen allow. Before the end, a
 * type may exist up to max_types, so one beyond those seen is waited for
 * where the whole pass would know it is absent: the walk never settles
 * on what it has not read.
 */
static void run_walk(const struct btf_reader *r, struct walk *w)
{
	__u32 bound = r->final ? r->seen : r->max_types;
	__u32 cursor = w->root_id;	/* the walk that found the root goes on from there */
	unsigned int pass = 0;

	while (w->stage == STAGE_FIND_MEMBER || w->stage == STAGE_FIND_SIZE) {
		int ci = next_candidate(w, cursor, bound);
		struct type_node node;

		if (ci < 0) {
			drop_dangling(w, bound);
			if (w->nr_candidates == 0 || ++pass == MAX_PASSES)
				settle(w, 0, 0, 0);
			cursor = 1;
			continue;
		}
		cursor = w->candidates[ci].type_id;
		if (cursor > r->seen) {
			wait_for(w, cursor, 0);
			return;
		}
		node = lookup_type(r, cursor);
		advance_candidate(r, w, (unsigned int)ci, &node);
	}
}

/*
 * Answer query qi from the types seen, if they tell. A settled answer is
 * final, found or not: "not found" is settled only once every type the
 * walk could still need was seen (a root struct without that member, say
 * file.f_count on a kernel with f_ref). A wait notes when a new try
 * could get further.
 */
static void answer_query(struct btf_reader *r, size_t qi)
{
	struct query_state *qs = &r->states[qi];
	struct btf_query *q = &r->queries[qi];
	struct walk w;

	start_walk(r, qs, &w);
	run_walk(r, &w);
	if (w.stage == STAGE_SETTLED) {
		q->found = w.answer.found;
		q->bitfield = w.answer.bitfield;
		q->offset = w.answer.offset;
		q->size = w.answer.size;
		q->type_id = w.answer.found ? w.root_id : 0;
		qs->settled = 1;
	} else if (w.need_id) {
		qs->retry_seen = w.need_id;
	} else if (w.need_root) {
		qs->retry_roots = r->names[qs->name_index[0]].nr_roots + 1;
	} else {
		r->full_walk = 1;	/* a name only the end of the string section can tell */
	}
}

/* At a checkpoint, with types 1..seen kept: 1 when every query is answered (and found). */
static int try_answers(struct btf_reader *r, __u32 seen)
{
	int all = 1;

	r->seen = seen;
	for (size_t qi = 0; qi < r->count && !r->full_walk; qi++) {
		struct query_state *qs = &r->states[qi];

		/* Only retry once what the last try waited for has come. */
		if (!qs->settled && seen >= qs->retry_seen &&
		    r->names[qs->name_index[0]].nr_roots >= qs->retry_roots)
			answer_query(r, qi);
		all = all && qs->settled;
	}
	return all && !r->full_walk;
}

/* ---- driver ------------------------------------------------------------ */

static void prepare_queries(struct btf_reader *r)
{
	for (size_t qi = 0; qi < r->count; qi++) {
		struct btf_query *q = &r->queries[qi];
		struct query_state *qs = &r->states[qi];

		q->found = q->bitfield = 0;
		q->offset = q->size = q->type_id = 0;
		if (!parse_path(r, q->path, qs))
			qs->settled = 1;	/* not a path: nothing to look up */
		else
			r->names[qs->name_index[0]].is_root = 1;
	}
}

static int resolve(struct btf_reader *r)
{
	int stopped;

	if (parse_header(r) < 0)
		return -1;
	r->states = calloc(r->count ? r->count : 1, sizeof(*r->states));
	r->names = calloc(r->count ? r->count * MAX_COMPONENTS : 1, sizeof(*r->names));
	if (!r->states || !r->names)
		return tt_fail(r->err, "out of memory");
	prepare_queries(r);
	if (prepare_strings(r) < 0)
		return -1;
	stopped = walk_types(r);
	if (stopped != 0)
		return stopped < 0 ? -1 : 0;
	/* Read to the end: the last strings are checked too, and every name's slots are final. */
	if (finish_strings(r) < 0)
		return -1;
	r->final = 1;
	for (size_t qi = 0; qi < r->count; qi++)
		if (!r->states[qi].settled)
			answer_query(r, qi);
	return 0;
}

static void reader_init(struct btf_reader *r, struct btf_query *queries, size_t count,
			struct tt_err *err)
{
	memset(r, 0, sizeof(*r));
	r->type_src.fd = r->str_src.fd = -1;
	r->queries = queries;
	r->count = count;
	r->err = err;
	if (err)
		err->msg[0] = '\0';
}

static int reader_finish(struct btf_reader *r, int ret, struct btf_read_stats *stats)
{
	if (stats) {
		stats->type_bytes = r->type_src.bytes_read;
		stats->type_len = r->type_len;
		stats->str_bytes = r->str_src.bytes_read;
		stats->str_len = r->str_len;
	}
	free(r->states);
	free(r->names);
	free(r->name_refs);
	free(r->roots);
	unmap_table(r->types, r->types_size);
	unmap_table(r->arrays, r->arrays_size);
	unmap_table(r->pointers, r->pointers_size);
	unmap_table(r->members, r->members_size);
	if (ret < 0)
		for (size_t qi = 0; qi < r->count; qi++)
			r->queries[qi].found = 0;
	return ret;
}

int btf_resolve_blob(const void *data, size_t len, struct btf_query *queries, size_t count,
		     struct tt_err *err)
{
	struct btf_reader r;

	reader_init(&r, queries, count, err);
	if (!data)
		return reader_finish(&r, tt_fail(err, "no BTF data"), NULL);
	r.type_src.blob = r.str_src.blob = data;
	r.type_src.size = r.str_src.size = len;
	return reader_finish(&r, resolve(&r), NULL);
}

int btf_resolve_stats(const char *btf_path, struct btf_query *queries, size_t count,
		      struct tt_err *err, struct btf_read_stats *stats)
{
	struct btf_reader r;
	struct stat st;
	struct tt_err why;
	unsigned char *windows = NULL;
	int ret;

	if (err)
		err->msg[0] = '\0';
	reader_init(&r, queries, count, &why);
	r.type_src.fd = open(btf_path, O_RDONLY | O_CLOEXEC);
	if (r.type_src.fd < 0) {
		ret = tt_fail(r.err, "cannot open: %s", strerror(errno));
	} else if (fstat(r.type_src.fd, &st) < 0) {
		ret = tt_fail(r.err, "cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		ret = tt_fail(r.err, "not a non-empty regular file");
	} else if (!(windows = map_table(&r, 2 * WINDOW_SIZE))) {
		ret = -1;
	} else {
		r.str_src.fd = r.type_src.fd;
		r.type_src.window = windows;
		r.str_src.window = windows + WINDOW_SIZE;
		r.type_src.size = r.str_src.size = (size_t)st.st_size;
		ret = resolve(&r);
	}
	unmap_table(windows, 2 * WINDOW_SIZE);
	if (r.type_src.fd >= 0)
		close(r.type_src.fd);
	if (ret < 0)	/* the file's name, for every message */
		tt_fail(err, "%s: %s", btf_path, why.msg);
	return reader_finish(&r, ret, stats);
}

int btf_resolve(const char *btf_path, struct btf_query *queries, size_t count,
		struct tt_err *err)
{
	return btf_resolve_stats(btf_path, queries, count, err, NULL);
}
