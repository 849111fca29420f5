// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one pass over the type section: every record is validated as it
 * goes by, and only what a query could still need is kept: the structs
 * and unions (and functions) a query may start at, one small record per
 * type that can sit on a member's type chain (struct, union, enum, int,
 * float, array and the typedef-like modifiers; pointers as one bit each),
 * and the struct/union members that are anonymous or carry a wanted name.
 * For vmlinux that is under 300 KB, against 5.5 MB for the file.
 *
 * The pass knows nothing of the answers: btf.c reads the types a stretch
 * at a time and asks answers.c between stretches.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/btf/reader.h"

/* One type record as met during the pass. */
struct type_view {
	__u32 id;
	struct btf_type header;
	unsigned int kind;
	unsigned int vlen;
	int kind_flag;
	size_t data_off;	/* absolute offset of the kind-specific data */
	const unsigned char *data;	/* its first data_avail bytes, */
	size_t data_avail;		/* valid until a read past them */
};

/* ---- the tables ----------------------------------------------------- */

/* The tables sized by the most types the section can hold. */
static int map_type_tables(struct btf_reader *r)
{
	struct type_pass *pass = &r->pass;
	/* Each type takes at least a header, which bounds the ids. */
	size_t max_types = pass->len / sizeof(struct btf_type);
	size_t max_arrays = pass->len / 24;	/* an array type takes 24 */

	if (max_types > BTF_MAX_TYPE)
		max_types = BTF_MAX_TYPE;
	if (max_arrays > max_types)
		max_arrays = max_types;
	pass->max_types = (__u32)max_types;
	pass->types_size = max_types * sizeof(*pass->types);
	pass->arrays_size = max_arrays * sizeof(*pass->arrays);
	pass->pointers_size = max_types / 8 + 1;
	pass->types = map_table(r, pass->types_size);
	pass->arrays = pass->types ? map_table(r, pass->arrays_size) : NULL;
	pass->pointers = pass->arrays ?
			 map_table(r, pass->pointers_size) : NULL;
	return pass->pointers ? 0 : -1;
}

void free_types(struct type_pass *pass)
{
	free(pass->roots);
	unmap_table(pass->types, pass->types_size);
	unmap_table(pass->arrays, pass->arrays_size);
	unmap_table(pass->pointers, pass->pointers_size);
	unmap_table(pass->members, pass->members_size);
}

static struct kept_member *push_member(struct btf_reader *r)
{
	struct type_pass *pass = &r->pass;

	if (pass->nr_members == pass->members_cap) {
		size_t cap = pass->members_cap ? pass->members_cap * 2 :
			     4096 / sizeof(*pass->members);
		size_t size = cap * sizeof(*pass->members);
		/* A member takes 12 bytes of input: cap is far from SIZE_MAX */
		struct kept_member *grown = map_table(r, size);

		if (!grown)
			return NULL;
		if (pass->nr_members)
			memcpy(grown, pass->members,
			       pass->nr_members * sizeof(*pass->members));
		unmap_table(pass->members, pass->members_size);
		pass->members = grown;
		pass->members_cap = cap;
		pass->members_size = size;
	}
	return &pass->members[pass->nr_members++];
}

static struct kept_root *push_root(struct btf_reader *r)
{
	struct type_pass *pass = &r->pass;

	if (pass->nr_roots == pass->roots_cap) {
		size_t cap = pass->roots_cap ? pass->roots_cap * 2 : 16;
		/* A root takes 12 bytes of input: cap is far from SIZE_MAX */
		struct kept_root *grown =
			realloc(pass->roots, cap * sizeof(*pass->roots));

		if (!grown) {
			tt_fail(r->err, "out of memory");
			return NULL;
		}
		pass->roots = grown;
		pass->roots_cap = cap;
	}
	return &pass->roots[pass->nr_roots++];
}

/* ---- one record ----------------------------------------------------- */

/* Bytes of kind data after struct btf_type, or -1 for an unknown kind. */
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

/* Size of one named record in the kind data (starting with name_off), or 0 */
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

/*
 * Read one type's header at off into tv and check it; its kind data ends
 * at *next.
 */
static int read_type_header(struct btf_reader *r, size_t off, size_t end,
			    __u32 id, struct type_view *tv, size_t *next)
{
	const unsigned char *p;
	size_t avail;
	long data_size;

	if (id > BTF_MAX_TYPE)
		return tt_fail(r->err, "more than %u types", BTF_MAX_TYPE);
	if (end - off < sizeof(tv->header))
		return tt_fail(r->err, "type %u is truncated (%zu bytes left "
			       "in the type section)", id, end - off);
	p = source_get(r, &r->pass.src, off, sizeof(tv->header), &avail);
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
		return tt_fail(r->err, "type %u has unknown kind %u", id,
			       tv->kind);
	if ((size_t)data_size > end - tv->data_off)
		return tt_fail(r->err, "type %u (kind %u, vlen %u) runs past "
			       "the end of the type section", id, tv->kind,
			       tv->vlen);
	if (tv->header.name_off >= r->strs.len)
		return tt_fail(r->err, "type %u: name offset %u is outside "
			       "the string section (%zu bytes)", id,
			       tv->header.name_off, r->strs.len);
	*next = tv->data_off + (size_t)data_size;
	return 0;
}

/* len bytes at offset at of the kind data; in *avail how many are there. */
static const unsigned char *type_data(struct btf_reader *r,
				      const struct type_view *tv, size_t at,
				      size_t len, size_t *avail)
{
	if (at <= tv->data_avail && len <= tv->data_avail - at) {
		*avail = tv->data_avail - at;
		return tv->data + at;
	}
	return source_get(r, &r->pass.src, tv->data_off + at, len, avail);
}

static int read_type_data(struct btf_reader *r, const struct type_view *tv,
			  void *dst, size_t len)
{
	size_t avail;
	const unsigned char *p = type_data(r, tv, 0, len, &avail);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

/* ---- what is kept --------------------------------------------------- */

/* A struct/union member; or an enumerator, its value in type (the high
 * half of an ENUM64's) and offset (the low half). */
static int keep_member(struct btf_reader *r, const struct type_view *tv,
		       const unsigned char *record)
{
	struct kept_member *km = push_member(r);
	struct btf_member m;
	struct btf_enum e;

	if (!km)
		return -1;
	km->owner_id = tv->id;
	if (tv->kind == BTF_KIND_ENUM) {
		memcpy(&e, record, sizeof(e));
		km->name_off = e.name_off;
		km->type = e.val < 0 ? ~0u : 0;	/* sign extended */
		km->offset = (__u32)e.val;
		return 0;
	}
	memcpy(&m, record, sizeof(m));	/* btf_enum64 has the same words */
	km->name_off = m.name_off;
	km->type = m.type;
	km->offset = m.offset;
	if (tv->kind == BTF_KIND_ENUM64) {	/* name, lo32, hi32 */
		km->offset = m.type;
		km->type = m.offset;
	}
	return 0;
}

/* A member worth keeping: anonymous, or named by a query (scanned first). */
static int member_wanted(struct btf_reader *r, __u32 name_off)
{
	if (name_off == 0)
		return 1;
	if (need_string(r, name_off) < 0)
		return -1;
	return name_at(r, name_off) >= 0;
}

/*
 * Check the records (record bytes each) in p[0, avail) from record i on;
 * keep the members that matter. Returns the index of the first record
 * not checked.
 */
static long check_records(struct btf_reader *r, const struct type_view *tv,
			  size_t record, unsigned int i,
			  const unsigned char *p, size_t avail)
{
	int members = tv->kind == BTF_KIND_STRUCT ||
		      tv->kind == BTF_KIND_UNION ||
		      tv->kind == BTF_KIND_ENUM || tv->kind == BTF_KIND_ENUM64;

	for (; avail >= record && i < tv->vlen;
	     i++, p += record, avail -= record) {
		__u32 name_off;	/* every record starts with one */
		int wanted;

		memcpy(&name_off, p, sizeof(name_off));
		if (name_off >= r->strs.len) {
			tt_fail(r->err, "type %u member %u: name offset %u is "
				"outside the string section (%zu bytes)",
				tv->id, i, name_off, r->strs.len);
			return -1;
		}
		if (!members)
			continue;
		wanted = member_wanted(r, name_off);
		if (wanted < 0 || (wanted && keep_member(r, tv, p) < 0))
			return -1;
	}
	return i;
}

/* Validate the name of every record in the kind data; keep what matters. */
static int walk_records(struct btf_reader *r, const struct type_view *tv)
{
	size_t record = named_record_size(tv->kind);
	long i = 0;

	while (record && i < (long)tv->vlen) {
		size_t avail;
		const unsigned char *p = type_data(r, tv, (size_t)i * record,
						   record, &avail);

		/* p stays valid: the string scan has its own window */
		if (!p)
			return -1;
		i = check_records(r, tv, record, (unsigned int)i, p, avail);
		if (i < 0)
			return -1;
	}
	return 0;
}

/*
 * A struct/union with members, or an enum with values, and the name a
 * query starts with may be its root; so may a function (whose vlen is
 * its linkage).
 */
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

static void keep_pointer(struct type_pass *pass, __u32 id)
{
	pass->pointers[id / 8] |= (unsigned char)(1u << (id % 8));
}

static int keep_int(struct btf_reader *r, const struct type_view *tv,
		    struct kept_type *kt)
{
	__u32 info;

	if (read_type_data(r, tv, &info, sizeof(info)) < 0)
		return -1;
	/* Without kind_flag, a bitfield shows up as a narrowed int. */
	if (BTF_INT_OFFSET(info) != 0 ||
	    BTF_INT_BITS(info) != (__u64)tv->header.size * 8)
		kt->key |= KEY_NARROW_INT;
	return 0;
}

static int keep_array(struct btf_reader *r, const struct type_view *tv,
		      struct kept_type *kt)
{
	struct type_pass *pass = &r->pass;
	struct btf_array array;

	if (read_type_data(r, tv, &array, sizeof(array)) < 0)
		return -1;
	kt->word = (__u32)pass->nr_arrays;	/* fewer than BTF_MAX_TYPE */
	pass->arrays[pass->nr_arrays].elem_type = array.type;
	pass->arrays[pass->nr_arrays].nelems = array.nelems;
	pass->nr_arrays++;
	return 0;
}

/* Keep what a query could need of this type; read its kind data. */
static int keep_type(struct btf_reader *r, const struct type_view *tv)
{
	struct kept_type kt = {
		.key = tv->id | tv->kind << KEY_KIND_SHIFT,
		.word = tv->header.size,
	};

	switch (tv->kind) {
	case BTF_KIND_PTR:
		keep_pointer(&r->pass, tv->id);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (tv->kind_flag)
			kt.key |= KEY_KIND_FLAG;
		if (keep_root(r, tv) < 0)
			return -1;
		break;
	case BTF_KIND_INT:
		if (keep_int(r, tv, &kt) < 0)
			return -1;
		break;
	case BTF_KIND_ARRAY:
		if (keep_array(r, tv, &kt) < 0)
			return -1;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (keep_root(r, tv) < 0)
			return -1;
		break;
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
	default:	/* FWD, VAR, ...: no member can be sized or searched */
		return 0;
	}
	r->pass.types[r->pass.nr_types++] = kt;
	return walk_records(r, tv);
}

/* ---- the pass ------------------------------------------------------- */

/* Map the tables; the pass starts at the type section's first record. */
int start_types(struct btf_reader *r)
{
	struct type_pass *pass = &r->pass;

	if (map_type_tables(r) < 0)
		return -1;
	source_seek(&pass->src, pass->start, pass->start + pass->len);
	pass->next_off = pass->start;
	return 0;
}

/*
 * Read and keep the types whose records start before the type section
 * offset until (or its end). Returns 1 while types are left, 0 once the
 * last was read, -1 on an error.
 */
int read_types(struct btf_reader *r, size_t until)
{
	struct type_pass *pass = &r->pass;
	size_t off = pass->next_off, end = pass->start + pass->len;
	__u32 id = pass->seen + 1;

	for (; off < end && off < until; id++) {
		struct type_view tv;

		if (read_type_header(r, off, end, id, &tv, &off) < 0 ||
		    keep_type(r, &tv) < 0)
			return -1;
	}
	pass->next_off = off;
	pass->seen = id - 1;
	return off < end;
}
