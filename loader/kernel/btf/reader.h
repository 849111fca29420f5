/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the BTF reader share (btf.h is the public side).
 *
 * One call of btf_resolve*() fills one struct btf_reader, a part per job:
 *   btf.c      the public functions: the header, then the pass, which
 *              stops as soon as answers.c says every query is answered
 *   source.c   the bytes of each section, through a window (or a blob)
 *   strings.c  the string section, scanned for the names queries want
 *   types.c    the one pass over the type section: a little kept per type
 *   answers.c  the queries: their paths, answered from what is kept
 */
#ifndef TT_BTF_READER_H
#define TT_BTF_READER_H

#include <stddef.h>
#include <string.h>

#include <linux/btf.h>

#include "common/err.h"
#include "kernel/btf/btf.h"

#define MAX_COMPONENTS 8	/* of one query path */
#define MAX_NAME_LEN 255	/* of one path component */
#define MAX_OFFSETS_PER_NAME 4	/* a name may be in the strings again */

/* ---- source.c ------------------------------------------------------- */

/* Where the bytes of one section come from: a blob, or a file's window. */
struct source {
	const unsigned char *blob;	/* NULL when streaming from fd */
	size_t size;			/* of the whole blob or file */
	int fd;
	unsigned char *window;
	size_t window_start;	/* file offset of window[0] */
	size_t window_len;	/* valid bytes in window */
	size_t limit;		/* end of the section: reads stop there */
	size_t bytes_read;	/* from the file since the last seek */
};

/* ---- strings.c ------------------------------------------------------ */

/*
 * A distinct path component (answers.c splits the paths), and where it
 * sits in the string section (strings.c scans for it).
 */
struct wanted_name {
	const char *text;	/* into the caller's path, not NUL-terminated */
	size_t len;
	unsigned int nr_offsets;
	__u32 offsets[MAX_OFFSETS_PER_NAME];
	unsigned char is_tail[MAX_OFFSETS_PER_NAME];	/* of a longer string */
	long next_same_last;	/* next name with the same last char, or -1 */
	int is_root;		/* the first component of some query */
	size_t nr_roots;	/* roots of this name kept so far (types.c) */
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

#define NAME_FILTER_BITS 4096	/* quick "surely not wanted" tests on names */

/* The string section, scanned strictly forward as the pass needs names. */
struct string_scan {
	struct source src;
	size_t start, len;	/* absolute offset and length of the section */
	size_t scanned;		/* bytes checked for names */
	size_t whole;		/* strings starting before it were seen whole */
	int done;		/* at the end: every name's slots are final */
	struct name_ref *refs;	/* every offset ever given to a name, sorted */
	size_t nr_refs, refs_cap;
	long last_char_first[256];	/* first name ending in c, or -1 */
	__u64 one_char_names[256 / 64];	/* bit c: a name is just c */
	/* bit end_hash(before last, last): a name ends so */
	__u64 end_filter[NAME_FILTER_BITS / 64];
	/* bit offset % NAME_FILTER_BITS: a name was given that offset */
	__u64 ref_filter[NAME_FILTER_BITS / 64];
};

/* ---- types.c -------------------------------------------------------- */

/*
 * What is kept of a type that can sit on a member's type chain. The key
 * packs the id (at most BTF_MAX_TYPE, 20 bits), the kind and two flags;
 * word is the size (struct, union, enum, int, float), the target id
 * (modifiers) or an index into type_pass.arrays (array).
 */
struct kept_type {
	__u32 key;
	__u32 word;
};

#define KEY_ID_MASK BTF_MAX_TYPE
#define KEY_KIND_SHIFT 20
#define KEY_KIND_MASK 0x1fu
/* struct/union: member offsets carry bitfield sizes */
#define KEY_KIND_FLAG (1u << 25)
/* int: not all bits of its size, or shifted */
#define KEY_NARROW_INT (1u << 26)

struct kept_array {
	__u32 elem_type;
	__u32 nelems;
};

/* A struct/union member that is anonymous or has a wanted name. */
struct kept_member {
	__u32 owner_id;
	__u32 name_off;
	__u32 type;
	__u32 offset;	/* as stored: with kind_flag, bits << 24 | bit offset */
};

/* A struct/union with members (or a function) named as a query starts. */
struct kept_root {
	__u32 id;
	__u32 name_off;
	__u32 name_index;
	__u32 is_func;	/* a function (a "name()" query), else a struct/union */
};

/*
 * The pass over the type section and what it keeps. The fixed tables are
 * sized for the most types the section can hold; only what is used is
 * touched.
 */
struct type_pass {
	struct source src;	/* the header, then the type section */
	size_t start, len;	/* absolute offset and length of the section */
	size_t next_off;	/* where the next type's record starts */
	__u32 seen;	/* types 1..seen are kept: answers look no further */
	int final;	/* the whole file was read: seen is the type count */
	__u32 max_types;
	struct kept_type *types;	/* ascending ids */
	size_t nr_types, types_size;
	struct kept_array *arrays;
	size_t nr_arrays, arrays_size;
	unsigned char *pointers;	/* bitmap of the ids of pointers */
	size_t pointers_size;
	struct kept_member *members;	/* ascending owner ids; grows */
	size_t nr_members, members_cap, members_size;
	struct kept_root *roots;	/* ascending ids; grows */
	size_t nr_roots, roots_cap;
};

/* ---- answers.c ------------------------------------------------------ */

struct query_state;

struct query_set {
	struct btf_query *queries;	/* the caller's */
	struct query_state *states;	/* one per query */
	size_t count;
	int full_walk;	/* an answer needs the whole file: no early tries */
};

/* ---- the whole ------------------------------------------------------ */

/* The big tables last: the fields used most then sit at short offsets,
 * which makes for smaller code. */
struct btf_reader {
	struct tt_err *err;
	struct wanted_name *names;	/* the distinct components of paths */
	size_t nr_names;
	struct type_pass pass;
	struct query_set qset;
	struct string_scan strs;
};

/* source.c */
/* Zeroed, lazily backed memory for a table of size bytes; NULL with
 * r->err. */
void *map_table(struct btf_reader *r, size_t size);
void unmap_table(void *p, size_t size);
void source_seek(struct source *src, size_t start, size_t end);
const unsigned char *source_fill(struct btf_reader *r, struct source *src,
				 size_t off, size_t min, size_t *avail);
int source_read(struct btf_reader *r, struct source *src, size_t off,
		void *dst, size_t len);
void sources_on_blob(struct btf_reader *r, const void *data, size_t len);
int sources_open(struct btf_reader *r, const char *path);
void sources_close(struct btf_reader *r);

/*
 * A pointer to at least min readable bytes at absolute offset off, and
 * in *avail how many there are (see source_fill). The common case, inline
 * even at -Os: the bytes are in the window already.
 */
__attribute__((always_inline))
static inline const unsigned char *source_get(struct btf_reader *r,
					      struct source *src, size_t off,
					      size_t min, size_t *avail)
{
	size_t at = off - src->window_start;	/* huge if off is before it */

	if (!src->blob && off >= src->window_start && at < src->window_len &&
	    src->window_len - at >= min) {
		*avail = src->window_len - at;
		return src->window + at;
	}
	return source_fill(r, src, off, min, avail);
}

/* strings.c */
int intern_name(struct btf_reader *r, const char *text, size_t len);
int prepare_strings(struct btf_reader *r);
int scan_strings(struct btf_reader *r);
int finish_strings(struct btf_reader *r);
int name_is(const struct btf_reader *r, unsigned int name_index,
	    __u32 name_off);
long name_at(const struct btf_reader *r, __u32 name_off);

/* Scan until the string at name_off (inside the section) is whole. */
static inline int need_string(struct btf_reader *r, __u32 name_off)
{
	while (name_off >= r->strs.whole)
		if (scan_strings(r) < 0)
			return -1;
	return 0;
}

/* types.c */
int start_types(struct btf_reader *r);
int read_types(struct btf_reader *r, size_t until);
void free_types(struct type_pass *pass);

/* answers.c */
int prepare_queries(struct btf_reader *r);
int try_answers(struct btf_reader *r);
void answer_the_rest(struct btf_reader *r);
void free_queries(struct btf_reader *r);

#endif
