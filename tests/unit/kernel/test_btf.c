// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests for loader/btf.c on synthetic BTF blobs built here, and on the
 * running kernel's /sys/kernel/btf/vmlinux when there is one.
 *
 * Debugging aid: `test_btf [--btf FILE] --query PATH...` prints
 * "PATH offset size bitfield" for each PATH (or "PATH not-found").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/btf.h>

#include "kernel/btf/btf.h"
#include "unit.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a tiny BTF writer ------------------------------------------------- */

struct blob_builder {
	unsigned char *types;
	size_t types_len, types_cap;
	char *strs;
	size_t strs_len, strs_cap;
	unsigned char *out;	/* header + types + strings after builder_finish */
	size_t out_len;
	__u32 next_id;
};

static void builder_init(struct blob_builder *b, size_t types_cap, size_t strs_cap)
{
	memset(b, 0, sizeof(*b));
	b->types = calloc(1, types_cap);
	b->strs = calloc(1, strs_cap);
	b->types_cap = types_cap;
	b->strs_cap = strs_cap;
	b->strs_len = 1;	/* offset 0 is the empty name */
	b->next_id = 1;
	if (!b->types || !b->strs)
		abort();
}

static void builder_free(struct blob_builder *b)
{
	free(b->types);
	free(b->strs);
	free(b->out);
}

static __u32 add_str(struct blob_builder *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	__u32 off = (__u32)b->strs_len;

	if (len == 0)
		return 0;
	if (b->strs_len + len + 1 > b->strs_cap)
		abort();
	memcpy(b->strs + b->strs_len, s, len + 1);
	b->strs_len += len + 1;
	return off;
}

static void add_u32(struct blob_builder *b, __u32 value)
{
	if (b->types_len + 4 > b->types_cap)
		abort();
	memcpy(b->types + b->types_len, &value, 4);
	b->types_len += 4;
}

/* The btf_type header; the caller appends the kind's data. Returns the id. */
static __u32 add_type(struct blob_builder *b, const char *name, unsigned int kind,
		      int kind_flag, unsigned int vlen, __u32 size_or_type)
{
	add_u32(b, add_str(b, name));
	add_u32(b, (__u32)kind << 24 | (__u32)(kind_flag ? 1u : 0u) << 31 | vlen);
	add_u32(b, size_or_type);
	return b->next_id++;
}

static __u32 add_int(struct blob_builder *b, const char *name, __u32 size)
{
	__u32 id = add_type(b, name, BTF_KIND_INT, 0, 0, size);

	add_u32(b, size * 8);	/* encoding 0, offset 0, all bits */
	return id;
}

static __u32 add_ref(struct blob_builder *b, unsigned int kind, const char *name, __u32 type)
{
	return add_type(b, name, kind, 0, 0, type);
}

static __u32 add_array(struct blob_builder *b, __u32 elem, __u32 index_type, __u32 nelems)
{
	__u32 id = add_type(b, NULL, BTF_KIND_ARRAY, 0, 0, 0);

	add_u32(b, elem);
	add_u32(b, index_type);
	add_u32(b, nelems);
	return id;
}

/* Follow with exactly vlen add_member calls. */
static __u32 add_struct(struct blob_builder *b, unsigned int kind, const char *name,
			int kind_flag, unsigned int vlen, __u32 size)
{
	return add_type(b, name, kind, kind_flag, vlen, size);
}

static void add_member(struct blob_builder *b, const char *name, __u32 type, __u32 offset)
{
	add_u32(b, add_str(b, name));
	add_u32(b, type);
	add_u32(b, offset);
}

/* Same, with a name already in the string section (add_str does not share strings). */
static void add_member_at(struct blob_builder *b, __u32 name_off, __u32 type, __u32 offset)
{
	add_u32(b, name_off);
	add_u32(b, type);
	add_u32(b, offset);
}

/* A struct whose name is already in the string section; follow with vlen add_member calls. */
static __u32 add_struct_at(struct blob_builder *b, __u32 name_off, unsigned int vlen, __u32 size)
{
	add_u32(b, name_off);
	add_u32(b, (__u32)BTF_KIND_STRUCT << 24 | vlen);
	add_u32(b, size);
	return b->next_id++;
}

static void builder_finish(struct blob_builder *b)
{
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
		.type_off = 0,
		.type_len = (__u32)b->types_len,
		.str_off = (__u32)b->types_len,
		.str_len = (__u32)b->strs_len,
	};

	free(b->out);
	b->out_len = sizeof(hdr) + b->types_len + b->strs_len;
	b->out = malloc(b->out_len);
	if (!b->out)
		abort();
	memcpy(b->out, &hdr, sizeof(hdr));
	memcpy(b->out + sizeof(hdr), b->types, b->types_len);
	memcpy(b->out + sizeof(hdr) + b->types_len, b->strs, b->strs_len);
}

static struct btf_header *blob_header(struct blob_builder *b)
{
	return (struct btf_header *)b->out;
}

/* Resolve one path on the built blob; returns btf_resolve_blob's result. */
static int resolve_one(struct blob_builder *b, const char *path, struct btf_query *q)
{
	struct tt_err err;
	int ret;

	memset(q, 0, sizeof(*q));
	q->path = path;
	ret = btf_resolve_blob(b->out, b->out_len, q, 1, &err);
	if (ret != 0)
		fprintf(stderr, "  %s: %s\n", path, err.msg);
	return ret;
}

static int check_member(struct blob_builder *b, const char *path, unsigned int offset,
			unsigned int size, int bitfield)
{
	struct btf_query q;
	int ok = resolve_one(b, path, &q) == 0 && q.found && q.offset == offset &&
		 q.size == size && q.bitfield == bitfield;

	if (!ok)
		fprintf(stderr, "  %s: found=%d offset=%u size=%u bitfield=%d, want %u %u %d\n",
			path, q.found, q.offset, q.size, q.bitfield, offset, size, bitfield);
	return ok;
}

static int check_not_found(struct blob_builder *b, const char *path)
{
	struct btf_query q;

	return resolve_one(b, path, &q) == 0 && !q.found;
}

/* Expect -1 with a message containing want. */
static int check_malformed(const void *data, size_t len, const char *want)
{
	struct btf_query q = { .path = "a.b", .found = 1 };
	struct tt_err err = { "untouched" };
	int ret = btf_resolve_blob(data, len, &q, 1, &err);

	if (ret != -1 || q.found || !strstr(err.msg, want)) {
		fprintf(stderr, "  ret=%d found=%d err=\"%s\", want -1 and \"%s\"\n",
			ret, q.found, err.msg, want);
		return 0;
	}
	return 1;
}

/* ---- layouts ----------------------------------------------------------- */

/* int, long and a few structs holding each other, used by several tests. */
static void build_basic(struct blob_builder *b)
{
	__u32 t_int, t_long, t_char, t_inner, t_int_ptr, t_inner_ptr, t_comm, t_row, t_matrix;

	builder_init(b, 4096, 1024);
	t_int = add_int(b, "int", 4);
	t_long = add_int(b, "long", 8);
	t_char = add_int(b, "char", 1);
	t_inner = add_struct(b, BTF_KIND_STRUCT, "inner", 0, 2, 8);
	add_member(b, "a", t_int, 0);
	add_member(b, "b", t_int, 32);
	t_int_ptr = add_ref(b, BTF_KIND_PTR, NULL, t_int);
	t_comm = add_array(b, t_char, t_int, 16);
	t_row = add_array(b, t_int, t_int, 4);
	t_matrix = add_array(b, t_row, t_int, 3);
	t_inner_ptr = add_ref(b, BTF_KIND_PTR, NULL, t_inner);
	add_struct(b, BTF_KIND_STRUCT, "outer", 0, 6, 96);
	add_member(b, "x", t_long, 0);
	add_member(b, "in", t_inner, 64);
	add_member(b, "p", t_int_ptr, 128);
	add_member(b, "comm", t_comm, 192);
	add_member(b, "m", t_matrix, 320);
	add_member(b, "pin", t_inner_ptr, 704);
	builder_finish(b);
}

static void test_btf_nested_path(void)
{
	struct blob_builder b;

	build_basic(&b);
	CHECK(check_member(&b, "outer.in.b", 12, 4, 0));
	CHECK(check_member(&b, "outer.in", 8, 8, 0));
	CHECK(check_member(&b, "inner.b", 4, 4, 0));
	CHECK(check_member(&b, "outer.x", 0, 8, 0));
	builder_free(&b);
}

static void test_btf_pointer_member(void)
{
	struct blob_builder b;

	build_basic(&b);
	CHECK(check_member(&b, "outer.p", 16, 8, 0));
	CHECK(check_member(&b, "outer.pin", 88, 8, 0));
	/* A pointer cannot be walked through: intermediates must be embedded. */
	CHECK(check_not_found(&b, "outer.pin.b"));
	CHECK(check_not_found(&b, "outer.p.a"));
	builder_free(&b);
}

static void test_btf_array_size(void)
{
	struct blob_builder b;

	build_basic(&b);
	CHECK(check_member(&b, "outer.comm", 24, 16, 0));
	CHECK(check_member(&b, "outer.m", 40, 48, 0));
	builder_free(&b);
}

static void test_btf_missing_member(void)
{
	struct blob_builder b;
	struct btf_query q;

	build_basic(&b);
	CHECK(check_not_found(&b, "outer.nope"));
	CHECK(check_not_found(&b, "outer.in.x"));	/* x exists, but not in inner */
	CHECK(check_not_found(&b, "nope.x"));
	CHECK(check_not_found(&b, "int.x"));	/* not a struct */
	CHECK(check_not_found(&b, "outer"));	/* no member named */
	CHECK(check_not_found(&b, "outer..x"));
	CHECK(check_not_found(&b, "outer.x."));
	CHECK(check_not_found(&b, "a.b.c.d.e.f.g.h.i"));	/* too deep */
	CHECK(resolve_one(&b, NULL, &q) == 0 && !q.found);
	builder_free(&b);
}

/* "name()" gives a function's id; a member path its outer struct's id. */
static void test_btf_function_and_type_ids(void)
{
	struct blob_builder b;
	struct btf_query q;
	__u32 t_int, t_proto, t_outer, f_static, f_global;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	/* A struct and a function may share a name: each query finds its kind. */
	add_struct(&b, BTF_KIND_STRUCT, "cast", 0, 1, 4);
	add_member(&b, "v", t_int, 0);
	t_proto = add_type(&b, NULL, BTF_KIND_FUNC_PROTO, 0, 0, t_int);
	f_static = add_type(&b, "cast", BTF_KIND_FUNC, 0, BTF_FUNC_STATIC, t_proto);
	f_global = add_type(&b, "other", BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL, t_proto);
	t_outer = add_struct(&b, BTF_KIND_STRUCT, "outer", 0, 1, 4);
	add_member(&b, "x", t_int, 0);
	builder_finish(&b);

	CHECK(resolve_one(&b, "cast()", &q) == 0 && q.found && q.type_id == f_static &&
	      q.offset == 0 && q.size == 0);
	CHECK(resolve_one(&b, "other()", &q) == 0 && q.found && q.type_id == f_global);
	CHECK(resolve_one(&b, "cast.v", &q) == 0 && q.found && q.type_id == 2);
	CHECK(resolve_one(&b, "outer.x", &q) == 0 && q.found && q.type_id == t_outer);
	CHECK(resolve_one(&b, "int()", &q) == 0 && !q.found && q.type_id == 0);
	CHECK(resolve_one(&b, "outer()", &q) == 0 && !q.found);	/* a struct, not a function */
	CHECK(check_not_found(&b, "()"));
	CHECK(check_not_found(&b, "outer.x()"));
	CHECK(resolve_one(&b, "outer.nope", &q) == 0 && !q.found && q.type_id == 0);
	builder_free(&b);
}

/* Append one enumerator (BTF_KIND_ENUM) or one ENUM64 value. */
static void add_enumerator(struct blob_builder *b, const char *name, __s32 val)
{
	add_u32(b, add_str(b, name));
	add_u32(b, (__u32)val);
}

static void add_enumerator64(struct blob_builder *b, const char *name, __u64 val)
{
	add_u32(b, add_str(b, name));
	add_u32(b, (__u32)val);
	add_u32(b, (__u32)(val >> 32));
}

static void test_btf_enum_values(void)
{
	struct blob_builder b;
	struct btf_query q;
	__u32 t_int, t_flags;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	/* A struct of the same name with no member does not hide the enum. */
	add_struct(&b, BTF_KIND_STRUCT, "flags", 0, 0, 0);
	t_flags = add_type(&b, "flags", BTF_KIND_ENUM, 0, 3, 4);
	add_enumerator(&b, "F_DEAD", 0);
	add_enumerator(&b, "F_DONE", 1);
	add_enumerator(&b, "F_NEG", -2);
	add_type(&b, "wide", BTF_KIND_ENUM64, 0, 2, 8);
	add_enumerator64(&b, "W_SMALL", 40);
	add_enumerator64(&b, "W_BIG", 1ULL << 33);
	add_struct(&b, BTF_KIND_STRUCT, "holder", 0, 1, 4);
	add_member(&b, "F_DONE", t_int, 0);	/* a member named like a value */
	builder_finish(&b);

	CHECK(resolve_one(&b, "flags.F_DONE", &q) == 0 && q.found && q.offset == 1 &&
	      q.size == 4 && !q.bitfield && q.type_id == t_flags);
	CHECK(check_member(&b, "flags.F_DEAD", 0, 4, 0));
	CHECK(check_member(&b, "wide.W_SMALL", 40, 8, 0));
	CHECK(check_member(&b, "holder.F_DONE", 0, 4, 0));
	CHECK(check_not_found(&b, "flags.F_NEG"));	/* negative */
	CHECK(check_not_found(&b, "wide.W_BIG"));	/* beyond 32 bits */
	CHECK(check_not_found(&b, "flags.F_NONE"));
	CHECK(check_not_found(&b, "flags.F_DONE.x"));	/* a value has no members */
	builder_free(&b);
}

static void test_btf_anonymous_union(void)
{
	struct blob_builder b;
	__u32 t_int, t_long, t_deep, t_union, t_anon_struct, t_const_anon;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	t_long = add_int(&b, "long", 8);
	/* struct { int deep_a; int deep_b; } */
	t_deep = add_struct(&b, BTF_KIND_STRUCT, NULL, 0, 2, 8);
	add_member(&b, "deep_a", t_int, 0);
	add_member(&b, "deep_b", t_int, 32);
	/* union { int u_int; long u_long; struct { ... }; } */
	t_union = add_struct(&b, BTF_KIND_UNION, NULL, 0, 3, 8);
	add_member(&b, "u_int", t_int, 0);
	add_member(&b, "u_long", t_long, 0);
	add_member(&b, NULL, t_deep, 0);
	/* const struct { long s_a; } reached through a modifier */
	t_anon_struct = add_struct(&b, BTF_KIND_STRUCT, NULL, 0, 1, 8);
	add_member(&b, "s_a", t_long, 0);
	t_const_anon = add_ref(&b, BTF_KIND_CONST, NULL, t_anon_struct);
	add_struct(&b, BTF_KIND_STRUCT, "holder", 0, 4, 32);
	add_member(&b, "first", t_int, 0);
	add_member(&b, NULL, t_union, 64);
	add_member(&b, NULL, t_const_anon, 128);
	add_member(&b, "last", t_int, 192);
	builder_finish(&b);

	CHECK(check_member(&b, "holder.u_long", 8, 8, 0));
	CHECK(check_member(&b, "holder.u_int", 8, 4, 0));
	CHECK(check_member(&b, "holder.deep_b", 12, 4, 0));
	CHECK(check_member(&b, "holder.s_a", 16, 8, 0));
	CHECK(check_member(&b, "holder.last", 24, 4, 0));
	CHECK(check_not_found(&b, "holder.nothing"));
	builder_free(&b);
}

static void test_btf_typedef_member(void)
{
	struct blob_builder b;
	__u32 t_int, t_u32, t_cv_u32, t_possible, t_possible_td, t_net, t_net_ptr, t_const_net;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "unsigned int", 4);
	t_u32 = add_ref(&b, BTF_KIND_TYPEDEF, "u32", t_int);
	t_cv_u32 = add_ref(&b, BTF_KIND_VOLATILE, NULL, add_ref(&b, BTF_KIND_CONST, NULL, t_u32));
	t_net = add_struct(&b, BTF_KIND_STRUCT, "net", 0, 1, 4);
	add_member(&b, "inum", t_cv_u32, 0);
	t_net_ptr = add_ref(&b, BTF_KIND_PTR, NULL, add_ref(&b, BTF_KIND_TYPE_TAG, "rcu", t_net));
	/* typedef struct { struct net *net; } possible_net_t; */
	t_possible = add_struct(&b, BTF_KIND_STRUCT, NULL, 0, 1, 8);
	add_member(&b, "net", t_net_ptr, 0);
	t_possible_td = add_ref(&b, BTF_KIND_TYPEDEF, "possible_net_t", t_possible);
	t_const_net = add_ref(&b, BTF_KIND_CONST, NULL, t_net);
	add_struct(&b, BTF_KIND_STRUCT, "sock_common", 0, 3, 24);
	add_member(&b, "family", t_u32, 0);
	add_member(&b, "skc_net", t_possible_td, 64);
	add_member(&b, "embedded", t_const_net, 128);
	builder_finish(&b);

	CHECK(check_member(&b, "sock_common.family", 0, 4, 0));
	CHECK(check_member(&b, "sock_common.skc_net", 8, 8, 0));
	CHECK(check_member(&b, "sock_common.skc_net.net", 8, 8, 0));
	CHECK(check_member(&b, "sock_common.embedded.inum", 16, 4, 0));
	CHECK(check_member(&b, "net.inum", 0, 4, 0));
	CHECK(check_not_found(&b, "possible_net_t.net"));	/* roots are struct names */
	builder_free(&b);
}

/* Member types defined after, and before, their users (resolved from memory, by id). */
static void test_btf_forward_and_backward_refs(void)
{
	struct blob_builder b;

	builder_init(&b, 4096, 1024);
	CHECK(add_int(&b, "int", 4) == 1);
	CHECK(add_ref(&b, BTF_KIND_TYPEDEF, "later_t", 4) == 2);	/* -> 4, later */
	CHECK(add_ref(&b, BTF_KIND_CONST, NULL, 1) == 3);
	CHECK(add_struct(&b, BTF_KIND_STRUCT, "later", 0, 2, 8) == 4);
	add_member(&b, "pad", 1, 0);
	add_member(&b, "val", 3, 32);			/* -> 3, earlier */
	CHECK(add_struct(&b, BTF_KIND_STRUCT, "top", 0, 2, 16) == 5);
	add_member(&b, "z", 1, 0);
	add_member(&b, "l", 7, 64);			/* -> 7 -> 2 -> 4 */
	CHECK(add_struct(&b, BTF_KIND_STRUCT, "unused", 0, 1, 4) == 6);
	add_member(&b, "u", 1, 0);
	CHECK(add_ref(&b, BTF_KIND_VOLATILE, NULL, 2) == 7);
	builder_finish(&b);

	CHECK(check_member(&b, "top.l.val", 12, 4, 0));
	CHECK(check_member(&b, "top.l", 8, 8, 0));
	builder_free(&b);
}

static void test_btf_bitfield(void)
{
	struct blob_builder b;
	__u32 t_int, t_u8, t_narrow;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	t_u8 = add_int(&b, "u8", 1);
	/* kind_flag: offset = bitfield_size << 24 | bit_offset */
	add_struct(&b, BTF_KIND_STRUCT, "flags", 1, 4, 8);
	add_member(&b, "whole", t_int, 0);
	add_member(&b, "bits", t_u8, 3u << 24 | 32);
	add_member(&b, "odd", t_u8, 36);
	add_member(&b, "byte", t_u8, 48);
	/* no kind_flag: a plain bit offset; bitfields show as narrowed ints */
	t_narrow = add_type(&b, "int", BTF_KIND_INT, 0, 0, 4);
	add_u32(&b, 5);		/* 5 bits at bit 0 of the int */
	add_struct(&b, BTF_KIND_STRUCT, "old_style", 0, 3, 8);
	add_member(&b, "plain", t_int, 0);
	add_member(&b, "unaligned", t_u8, 33);
	add_member(&b, "narrow", t_narrow, 40);
	builder_finish(&b);

	CHECK(check_member(&b, "flags.whole", 0, 4, 0));
	CHECK(check_member(&b, "flags.bits", 4, 1, 1));
	CHECK(check_member(&b, "flags.odd", 4, 1, 1));
	CHECK(check_member(&b, "flags.byte", 6, 1, 0));
	CHECK(check_member(&b, "old_style.plain", 0, 4, 0));
	CHECK(check_member(&b, "old_style.unaligned", 4, 1, 1));
	CHECK(check_member(&b, "old_style.narrow", 5, 4, 1));
	builder_free(&b);
}

static void test_btf_name_found_twice(void)
{
	struct blob_builder b;
	__u32 t_int;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	add_ref(&b, BTF_KIND_FWD, "dup", 0);			/* forward declaration */
	add_struct(&b, BTF_KIND_STRUCT, "dup", 0, 0, 0);	/* empty, no members */
	add_ref(&b, BTF_KIND_TYPEDEF, "dup", t_int);
	add_struct(&b, BTF_KIND_STRUCT, "dup", 0, 2, 8);	/* the real one */
	add_member(&b, "a", t_int, 0);
	add_member(&b, "b", t_int, 32);
	add_struct(&b, BTF_KIND_STRUCT, "dup", 0, 1, 4);	/* a later one is ignored */
	add_member(&b, "b", t_int, 0);
	add_struct(&b, BTF_KIND_UNION, "onion", 0, 1, 4);
	add_member(&b, "b", t_int, 0);
	builder_finish(&b);

	CHECK(check_member(&b, "dup.b", 4, 4, 0));
	CHECK(check_member(&b, "onion.b", 0, 4, 0));
	builder_free(&b);
}

/* A name stored as the tail of a longer string is still that name. */
static void test_btf_shared_string_tail(void)
{
	struct blob_builder b;
	__u32 t_int, tail;

	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	tail = add_str(&b, "skc_net") + 4;	/* "net" */
	add_struct(&b, BTF_KIND_STRUCT, "s", 0, 2, 8);
	add_member(&b, "skc_net", t_int, 0);
	add_u32(&b, tail);
	add_u32(&b, t_int);
	add_u32(&b, 32);
	builder_finish(&b);

	CHECK(check_member(&b, "s.net", 4, 4, 0));
	CHECK(check_member(&b, "s.skc_net", 0, 4, 0));
	builder_free(&b);

	/* Many strings ending in "sk" come first; the real "sk" must still win. */
	builder_init(&b, 4096, 1024);
	t_int = add_int(&b, "int", 4);
	add_str(&b, "task");
	add_str(&b, "mask");
	add_str(&b, "disk");
	add_str(&b, "desk");
	add_str(&b, "risk");
	add_struct(&b, BTF_KIND_STRUCT, "socket", 0, 2, 16);
	add_member(&b, "state", t_int, 0);
	add_member(&b, "sk", t_int, 64);
	builder_finish(&b);
	CHECK(check_member(&b, "socket.sk", 8, 4, 0));
	builder_free(&b);
}

/* Hostile but well-formed input must terminate with found=0. */
static void test_btf_cycles_terminate(void)
{
	struct blob_builder b;
	__u32 id;

	builder_init(&b, 4096, 1024);
	add_int(&b, "int", 4);					/* 1 */
	add_ref(&b, BTF_KIND_TYPEDEF, "loop_a", 3);		/* 2 -> 3 */
	add_ref(&b, BTF_KIND_TYPEDEF, "loop_b", 2);		/* 3 -> 2 */
	id = add_struct(&b, BTF_KIND_STRUCT, "cyc", 0, 3, 8);	/* 4 */
	add_member(&b, "t", 2, 0);
	add_member(&b, NULL, 4, 0);	/* anonymous member of its own type */
	add_member(&b, NULL, 4, 0);
	add_ref(&b, BTF_KIND_TYPEDEF, "self", 5);		/* 5 -> 5 */
	add_struct(&b, BTF_KIND_STRUCT, "dangling", 0, 2, 8);	/* 6 */
	add_member(&b, "gone", 999, 0);
	add_member(&b, "self_td", 5, 32);
	builder_finish(&b);

	CHECK(id == 4);
	CHECK(check_not_found(&b, "cyc.t"));
	CHECK(check_not_found(&b, "cyc.missing"));
	CHECK(check_not_found(&b, "dangling.gone"));
	CHECK(check_not_found(&b, "dangling.self_td"));
	builder_free(&b);
}

static void test_btf_many_queries(void)
{
	struct blob_builder b;
	struct btf_query q[] = {
		{ .path = "outer.in.b" }, { .path = "outer.nope" }, { .path = "outer.comm" },
		{ .path = "inner.a" }, { .path = "outer.in.b" }, { .path = "" },
	};
	struct tt_err err;

	build_basic(&b);
	CHECK(btf_resolve_blob(b.out, b.out_len, q, ARRAY_LEN(q), &err) == 0);
	CHECK(q[0].found && q[0].offset == 12 && q[0].size == 4);
	CHECK(!q[1].found);
	CHECK(q[2].found && q[2].offset == 24 && q[2].size == 16);
	CHECK(q[3].found && q[3].offset == 0 && q[3].size == 4);
	CHECK(q[4].found && q[4].offset == 12 && q[4].size == 4);
	CHECK(!q[5].found);
	CHECK(btf_resolve_blob(b.out, b.out_len, NULL, 0, &err) == 0);
	builder_free(&b);
}

/* ---- malformed input --------------------------------------------------- */

static void test_btf_malformed_header(void)
{
	struct blob_builder b;
	unsigned char *copy;

	build_basic(&b);
	copy = malloc(b.out_len);
	if (!copy)
		abort();
	CHECK(check_malformed(b.out, 10, "too short"));
	CHECK(check_malformed(b.out, 0, "too short"));
	CHECK(check_malformed(NULL, 0, "no BTF data"));

	memcpy(copy, b.out, b.out_len);
	((struct btf_header *)copy)->magic = 0x1234;
	CHECK(check_malformed(copy, b.out_len, "bad BTF magic"));

	((struct btf_header *)copy)->magic = 0x9FeB;
	CHECK(check_malformed(copy, b.out_len, "byte-swapped"));

	memcpy(copy, b.out, b.out_len);
	((struct btf_header *)copy)->version = 2;
	CHECK(check_malformed(copy, b.out_len, "version"));

	memcpy(copy, b.out, b.out_len);
	((struct btf_header *)copy)->hdr_len = 8;
	CHECK(check_malformed(copy, b.out_len, "header length"));
	free(copy);
	builder_free(&b);
}

static void test_btf_malformed_sections(void)
{
	struct blob_builder b;

	build_basic(&b);
	blob_header(&b)->type_len += 100;
	CHECK(check_malformed(b.out, b.out_len, "type section"));
	blob_header(&b)->type_len -= 100;
	blob_header(&b)->str_off = 0xfffffff0u;	/* would wrap in 32 bits */
	CHECK(check_malformed(b.out, b.out_len, "string section"));
	builder_free(&b);

	/* type_len ends inside the last struct's members */
	build_basic(&b);
	blob_header(&b)->type_len -= 4;
	CHECK(check_malformed(b.out, b.out_len, "runs past the end"));
	builder_free(&b);

	/* type_len ends in the middle of a type header */
	builder_init(&b, 4096, 1024);
	add_int(&b, "int", 4);
	add_ref(&b, BTF_KIND_PTR, NULL, 1);
	builder_finish(&b);
	blob_header(&b)->type_len -= 4;
	CHECK(check_malformed(b.out, b.out_len, "type 2 is truncated"));
	builder_free(&b);

	/* string section must be NUL-framed */
	build_basic(&b);
	b.out[b.out_len - 1] = 'x';
	CHECK(check_malformed(b.out, b.out_len, "NUL"));
	builder_free(&b);
}

static void test_btf_malformed_types(void)
{
	struct blob_builder b;

	/* name offset out of range */
	builder_init(&b, 4096, 1024);
	add_int(&b, "int", 4);
	add_u32(&b, 9999);
	add_u32(&b, BTF_KIND_PTR << 24);
	add_u32(&b, 1);
	builder_finish(&b);
	CHECK(check_malformed(b.out, b.out_len, "name offset 9999"));
	builder_free(&b);

	/* member name offset out of range */
	builder_init(&b, 4096, 1024);
	add_struct(&b, BTF_KIND_STRUCT, "s", 0, 1, 4);
	add_member(&b, NULL, 1, 0);
	((__u32 *)(void *)b.types)[3] = 5000;
	builder_finish(&b);
	CHECK(check_malformed(b.out, b.out_len, "name offset 5000"));
	builder_free(&b);

	/* a STRUCT whose vlen runs past the end of the type section */
	builder_init(&b, 4096, 1024);
	add_int(&b, "int", 4);
	add_struct(&b, BTF_KIND_STRUCT, "short", 0, 3, 12);
	add_member(&b, "a", 1, 0);
	builder_finish(&b);
	CHECK(check_malformed(b.out, b.out_len, "runs past the end"));
	builder_free(&b);

	/* unknown kinds */
	builder_init(&b, 4096, 1024);
	add_int(&b, "int", 4);
	add_type(&b, "weird", 25, 0, 0, 0);
	builder_finish(&b);
	CHECK(check_malformed(b.out, b.out_len, "unknown kind 25"));
	builder_free(&b);

	builder_init(&b, 4096, 1024);
	add_type(&b, NULL, BTF_KIND_UNKN, 0, 0, 0);
	builder_finish(&b);
	CHECK(check_malformed(b.out, b.out_len, "unknown kind 0"));
	builder_free(&b);
}

/* Every prefix of a valid blob is rejected, and random damage never crashes. */
static void test_btf_truncation_and_fuzz(void)
{
	struct blob_builder b;
	unsigned char *copy;
	__u32 rng = 12345;
	int bad_results = 0;

	build_basic(&b);
	copy = malloc(b.out_len);
	if (!copy)
		abort();
	for (size_t len = 0; len < b.out_len; len++) {
		unsigned char *prefix = malloc(len ? len : 1);	/* exact size: ASan sees overreads */

		if (!prefix)
			abort();
		memcpy(prefix, b.out, len);
		if (!check_malformed(prefix, len, ""))
			bad_results++;
		free(prefix);
	}
	for (int round = 0; round < 20000; round++) {
		struct btf_query q[] = { { .path = "outer.in.b" }, { .path = "outer.m" },
					 { .path = "outer.pin" } };
		struct tt_err err = { "" };
		int ret;

		memcpy(copy, b.out, b.out_len);
		for (int flips = 1 + round % 4; flips > 0; flips--) {
			rng = rng * 1103515245u + 12345u;
			copy[(rng >> 8) % b.out_len] ^= (unsigned char)(1u << ((rng >> 4) & 7));
		}
		ret = btf_resolve_blob(copy, b.out_len, q, ARRAY_LEN(q), &err);
		if ((ret != 0 && ret != -1) || (ret == -1 && err.msg[0] == '\0'))
			bad_results++;
	}
	CHECK(bad_results == 0);
	free(copy);
	builder_free(&b);
}

/* ---- files ------------------------------------------------------------- */

/* Read syscalls and bytes read so far, from /proc/self/io (needs task I/O accounting). */
struct io_count {
	long syscr, rchar;
	long own_bytes;	/* what reading /proc/self/io added: counted in the next snapshot */
};

static int io_snapshot(struct io_count *io)
{
	char buf[512], *p;
	int fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	io->own_bytes = n;
	p = strstr(buf, "rchar:");
	io->rchar = p ? atol(p + 6) : -1;
	p = strstr(buf, "syscr:");
	io->syscr = p ? atol(p + 6) : -1;
	return io->rchar < 0 || io->syscr < 0 ? -1 : 0;
}

/* Reads and bytes between two snapshots, not counting the first snapshot's own read. */
static int io_between(const struct io_count *before, const struct io_count *after,
		      long *reads, long *bytes)
{
	*reads = after->syscr - before->syscr - 1;
	*bytes = after->rchar - before->rchar - before->own_bytes;
	return *reads >= 0 && *bytes >= 0;
}

/*
 * Resolve from a file, counting what it reads when the kernel tells (else
 * reads = -1); stats (if non-NULL) gets what the reader says it read.
 */
static int resolve_file_counted(const char *path, struct btf_query *q, size_t count,
				struct tt_err *err, long *reads, long *bytes,
				struct btf_read_stats *stats)
{
	struct io_count before, after;
	int counted = io_snapshot(&before) == 0;
	int ret = btf_resolve_stats(path, q, count, err, stats);

	*reads = *bytes = -1;
	if (counted && io_snapshot(&after) == 0 && !io_between(&before, &after, reads, bytes))
		*reads = *bytes = -1;
	return ret;
}

static int write_temp(const void *data, size_t len, char *path, size_t path_len)
{
	FILE *f;
	int fd;

	snprintf(path, path_len, "/tmp/test_btf.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		return -1;
	return 0;
}

static void test_btf_file_missing(void)
{
	struct btf_query q = { .path = "a.b", .found = 1 };
	struct tt_err err = { "" };

	CHECK(btf_resolve("/nonexistent/btf", &q, 1, &err) == -1);
	CHECK(!q.found);
	CHECK(strstr(err.msg, "/nonexistent/btf") != NULL);
	CHECK(strstr(err.msg, "cannot open") != NULL);
	CHECK(btf_resolve("/tmp", &q, 1, NULL) == -1);
}

/*
 * A file larger than the read window, with a wanted name cut by a window
 * edge and another as the tail of a string longer than the window.
 */
#define LONG_STRING (2 * BTF_WINDOW_SIZE + 4000)
static void test_btf_file_streaming(void)
{
	struct blob_builder b;
	struct btf_query q[] = { { .path = "big.edge_name" }, { .path = "big.tail_name" },
				 { .path = "big.plain" } };
	struct btf_query qb[ARRAY_LEN(q)];
	char path[64], *long_str;
	struct tt_err err = { "" };
	__u32 t_int, tail_off, edge_off;
	size_t pad;
	long reads, bytes;
	const unsigned int want_offset[] = { 4, 8, 0 };

	builder_init(&b, 64 * 1024, 2 * BTF_WINDOW_SIZE + LONG_STRING);
	t_int = add_int(&b, "int", 4);
	for (int i = 0; i < 3000; i++)	/* about 36 KiB of filler types */
		add_ref(&b, BTF_KIND_PTR, NULL, t_int);
	add_struct(&b, BTF_KIND_STRUCT, "big", 0, 3, 12);
	add_member(&b, "plain", t_int, 0);
	add_u32(&b, 0);		/* patched below: edge_name */
	add_u32(&b, t_int);
	add_u32(&b, 32);
	add_u32(&b, 0);		/* patched below: tail_name */
	add_u32(&b, t_int);
	add_u32(&b, 64);

	/* The string scan's first read ends one window into the string section. */
	pad = BTF_WINDOW_SIZE - 4 - b.strs_len;
	long_str = malloc(LONG_STRING + 1);
	if (!long_str)
		abort();
	memset(long_str, 'p', pad - 1);
	long_str[pad - 1] = '\0';
	add_str(&b, long_str);
	edge_off = add_str(&b, "edge_name");
	CHECK(edge_off == BTF_WINDOW_SIZE - 4);
	/* A string with no NUL in a whole window, ending in a wanted name. */
	memset(long_str, 'q', LONG_STRING);
	strcpy(long_str + LONG_STRING - 9, "tail_name");
	tail_off = add_str(&b, long_str) + LONG_STRING - 9;
	free(long_str);
	memcpy(b.types + b.types_len - 24, &edge_off, 4);
	memcpy(b.types + b.types_len - 12, &tail_off, 4);
	builder_finish(&b);
	CHECK(b.out_len > 3 * BTF_WINDOW_SIZE);

	memcpy(qb, q, sizeof(q));
	CHECK(btf_resolve_blob(b.out, b.out_len, qb, ARRAY_LEN(qb), &err) == 0);
	CHECK(write_temp(b.out, b.out_len, path, sizeof(path)) == 0);
	CHECK(resolve_file_counted(path, q, ARRAY_LEN(q), &err, &reads, &bytes, NULL) == 0);
	unlink(path);
	for (size_t i = 0; i < ARRAY_LEN(q); i++) {
		CHECK(q[i].found && qb[i].found);
		CHECK(q[i].offset == want_offset[i] && q[i].size == 4);
		CHECK(q[i].offset == qb[i].offset && q[i].size == qb[i].size);
	}
	/*
	 * "big" is the last type, so all is read: every byte once, in
	 * window-sized reads (header, 1 type, 4 string).
	 */
	if (reads >= 0) {
		CHECK(bytes == (long)b.out_len);
		CHECK(reads <= 7);
		if (bytes != (long)b.out_len || reads > 7)
			fprintf(stderr, "  %ld reads of %ld bytes for a %zu-byte file\n", reads, bytes, b.out_len);
	}

	/* A damaged file is reported with its name (the damage is before "big": it is read). */
	b.out[sizeof(struct btf_header) + 16 + 7] = 25;	/* type 2's kind */
	CHECK(check_malformed(b.out, b.out_len, "type 2 has unknown kind 25"));
	CHECK(write_temp(b.out, b.out_len, path, sizeof(path)) == 0);
	CHECK(btf_resolve(path, q, ARRAY_LEN(q), &err) == -1);
	CHECK(strncmp(err.msg, path, strlen(path)) == 0);
	CHECK(strstr(err.msg, "type 2 has unknown kind 25") != NULL);
	unlink(path);
	builder_free(&b);
}

/*
 * Resolve on the blob and from a file; both must give want (found, offset,
 * size, bitfield). stats (if non-NULL) gets what the file reader read.
 */
static int check_blob_and_file(struct blob_builder *b, const char *const *paths,
			       const unsigned int (*want)[4], size_t n, long *reads, long *bytes,
			       struct btf_read_stats *stats)
{
	struct btf_query qf[16], qb[16];
	char path[64];
	struct tt_err err = { "" };
	int ok = n <= ARRAY_LEN(qf) && write_temp(b->out, b->out_len, path, sizeof(path)) == 0;

	if (!ok)
		return 0;
	memset(qf, 0, sizeof(qf));
	for (size_t i = 0; i < n; i++)
		qf[i].path = paths[i];
	memcpy(qb, qf, sizeof(qb));
	if (btf_resolve_blob(b->out, b->out_len, qb, n, &err) != 0 ||
	    resolve_file_counted(path, qf, n, &err, reads, bytes, stats) != 0) {
		fprintf(stderr, "  %s\n", err.msg);
		ok = 0;
	}
	unlink(path);
	for (size_t i = 0; ok && i < n; i++) {
		unsigned int got[4] = { (unsigned int)qf[i].found, qf[i].offset, qf[i].size,
					(unsigned int)qf[i].bitfield };

		if (memcmp(&qf[i], &qb[i], sizeof(qf[i])) != 0 || memcmp(got, want[i], sizeof(got)) != 0) {
			fprintf(stderr, "  %s: file %d %u %u %d, blob %d %u %u %d, want %u %u %u %u\n",
				paths[i], qf[i].found, qf[i].offset, qf[i].size, qf[i].bitfield,
				qb[i].found, qb[i].offset, qb[i].size, qb[i].bitfield,
				want[i][0], want[i][1], want[i][2], want[i][3]);
			ok = 0;
		}
	}
	return ok;
}

/*
 * A type section of several windows: a struct whose member list alone is
 * larger than a window, records cut by every window edge, and member
 * types defined both before and after their users.
 */
static void test_btf_file_large_types(void)
{
	static const char *const paths[] = {
		"huge.first", "huge.needle", "huge.deep", "huge.arr", "later.h.needle",
		"later.h.deep", "huge.missing", "filler.m0", "filler.m7",
	};
	static const unsigned int want[][4] = {
		{ 1, 0, 4, 0 }, { 1, 4 * 29999, 4, 0 }, { 1, 4 * 15000 + 8, 8, 0 },
		{ 1, 4 * 20000, 3 * 4, 0 }, { 1, 16 + 4 * 29999, 4, 0 }, { 1, 16 + 4 * 15000 + 8, 8, 0 },
		{ 0, 0, 0, 0 }, { 1, 0, 4, 0 },
		{ 0, 0, 0, 0 },	/* the first "filler" has one member: it is the root */
	};
	struct blob_builder b;
	__u32 t_int, t_long, t_int_td, t_arr, t_huge, t_anon, member_names[40], pad, filler;
	char name[32];
	long reads, bytes;

	builder_init(&b, 2 * BTF_WINDOW_SIZE + 512 * 1024, 64 * 1024);
	t_int = add_int(&b, "int", 4);
	t_long = add_int(&b, "long", 8);
	t_int_td = add_ref(&b, BTF_KIND_TYPEDEF, "int_t", t_int);
	t_arr = add_array(&b, t_int_td, t_int, 3);	/* before its user */
	for (unsigned int m = 0; m < ARRAY_LEN(member_names); m++) {
		snprintf(name, sizeof(name), "m%u", m);
		member_names[m] = add_str(&b, name);
	}
	pad = add_str(&b, "pad");
	filler = add_str(&b, "filler");
	/* Filler structs of 1 to 40 members, so records straddle window edges at all offsets. */
	for (unsigned int i = 0; b.types_len < 2 * BTF_WINDOW_SIZE; i++) {
		unsigned int vlen = 1 + i % 40;

		add_u32(&b, filler);
		add_u32(&b, (__u32)BTF_KIND_STRUCT << 24 | vlen);
		add_u32(&b, 4 * vlen);
		b.next_id++;
		for (unsigned int m = 0; m < vlen; m++)
			add_member_at(&b, member_names[m], t_int, 32 * m);
	}
	/* 30000 members (360 KB, more than a window); its anonymous member's type comes later. */
	t_huge = b.next_id;
	t_anon = t_huge + 1;
	add_struct(&b, BTF_KIND_STRUCT, "huge", 0, 30000, 4 * 30000);
	for (unsigned int m = 0; m < 30000; m++) {
		if (m == 0 || m == 29999 || m == 20000)
			add_member(&b, m == 0 ? "first" : m == 20000 ? "arr" : "needle",
				   m == 20000 ? t_arr : t_int, 32 * m);
		else
			add_member_at(&b, m == 15000 ? 0 : pad, m == 15000 ? t_anon : t_int, 32 * m);
	}
	CHECK(add_struct(&b, BTF_KIND_UNION, NULL, 0, 2, 16) == t_anon);
	add_member(&b, "other", t_long, 0);
	add_u32(&b, 0);		/* patched: "deep", in a struct after the anonymous one */
	add_u32(&b, t_long);
	add_u32(&b, 64);
	memcpy(b.types + b.types_len - 12, (__u32[]){ add_str(&b, "deep") }, 4);
	add_struct(&b, BTF_KIND_STRUCT, "later", 0, 2, 16 + 4 * 30000);
	add_member(&b, "x", t_long, 0);
	add_member(&b, "h", t_huge, 128);
	builder_finish(&b);
	CHECK(b.types_len > 3 * BTF_WINDOW_SIZE);

	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, NULL));
	if (reads >= 0) {
		/* huge.missing is not found, so all is read: header, one read for the strings, one per window of types */
		long most = 2 + (long)(b.types_len / (BTF_WINDOW_SIZE - 1024)) + 1;

		CHECK(bytes == (long)b.out_len);
		CHECK(reads <= most);
		if (bytes != (long)b.out_len || reads > most)
			fprintf(stderr, "  %ld reads of %ld bytes for a %zu-byte file, want <= %ld\n",
				reads, bytes, b.out_len, most);
	}
	builder_free(&b);
}

/* The sections may come in any order: strings before types resolve the same. */
static void test_btf_sections_swapped(void)
{
	static const char *const paths[] = { "outer.in.b", "outer.comm", "outer.m", "outer.pin", "outer.nope" };
	static const unsigned int want[][4] = {
		{ 1, 12, 4, 0 }, { 1, 24, 16, 0 }, { 1, 40, 48, 0 }, { 1, 88, 8, 0 }, { 0, 0, 0, 0 },
	};
	struct blob_builder b;
	struct btf_header *hdr;
	unsigned char *swapped;
	long reads, bytes;

	build_basic(&b);
	hdr = blob_header(&b);
	swapped = malloc(b.out_len);
	if (!swapped)
		abort();
	memcpy(swapped, b.out, sizeof(*hdr));
	memcpy(swapped + sizeof(*hdr), b.out + sizeof(*hdr) + hdr->str_off, hdr->str_len);
	memcpy(swapped + sizeof(*hdr) + hdr->str_len, b.out + sizeof(*hdr), hdr->type_len);
	((struct btf_header *)swapped)->str_off = 0;
	((struct btf_header *)swapped)->type_off = hdr->str_len;
	free(b.out);
	b.out = swapped;
	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, NULL));
	/* outer.nope is not found, so all is read: header, strings, types */
	CHECK(reads < 0 || (bytes == (long)b.out_len && reads == 3));
	builder_free(&b);
}

/* ---- stopping early ---------------------------------------------------- */

/* Filler pointer types, about bytes of them. */
static void add_filler(struct blob_builder *b, size_t bytes, __u32 target)
{
	for (size_t end = b->types_len + bytes; b->types_len < end;)
		add_ref(b, BTF_KIND_PTR, NULL, target);
}

/* Damage at the very end: a type of unknown kind, and strings not ending in a NUL. */
static void damage_end(struct blob_builder *b)
{
	add_type(b, "bad", 25, 0, 0, 0);
	builder_finish(b);
	b->out[b->out_len - 1] = 'x';
}

/* Resolve on the blob and from a file: both must fail, with want in the message. */
static int check_blob_and_file_fail(struct blob_builder *b, const char *const *paths, size_t n,
				    const char *want)
{
	struct btf_query q[16];
	char path[64];
	struct tt_err err = { "" }, errb = { "" };
	int ok = n <= ARRAY_LEN(q) && write_temp(b->out, b->out_len, path, sizeof(path)) == 0;

	if (!ok)
		return 0;
	memset(q, 0, sizeof(q));
	for (size_t i = 0; i < n; i++)
		q[i].path = paths[i];
	ok = btf_resolve(path, q, n, &err) == -1 && strstr(err.msg, want) &&
	     btf_resolve_blob(b->out, b->out_len, q, n, &errb) == -1 && strstr(errb.msg, want);
	if (!ok)
		fprintf(stderr, "  file: \"%s\", blob: \"%s\", want -1 and \"%s\"\n", err.msg, errb.msg, want);
	unlink(path);
	return ok;
}

/*
 * Two wanted structs first, then three windows of other structs, whose
 * names come after the wanted ones in the string section, then more
 * strings no type uses.
 */
static void build_wanted_first(struct blob_builder *b, int damaged)
{
	__u32 t_int, t_ptr, t_name, t_first;
	char name[32];

	builder_init(b, 4 * BTF_WINDOW_SIZE, 8 * BTF_WINDOW_SIZE);
	t_int = add_int(b, "int", 4);
	t_ptr = add_ref(b, BTF_KIND_PTR, NULL, t_int);
	t_name = add_array(b, add_int(b, "char", 1), t_int, 16);
	t_first = add_struct(b, BTF_KIND_STRUCT, "first", 0, 3, 32);
	add_member(b, "a", t_int, 0);
	add_member(b, "p", t_ptr, 64);
	add_member(b, "name", t_name, 128);
	add_struct(b, BTF_KIND_STRUCT, "second", 0, 2, 40);
	add_member(b, "x", t_int, 0);
	add_member(b, "in", t_first, 64);
	for (unsigned int i = 0; b->types_len < 3 * BTF_WINDOW_SIZE; i++) {
		snprintf(name, sizeof(name), "filler_%06u", i);
		add_struct(b, BTF_KIND_STRUCT, name, 0, 1, 4);
		add_member(b, "f", t_int, 0);
	}
	for (unsigned int i = 0; b->strs_len < 4 * BTF_WINDOW_SIZE; i++) {
		snprintf(name, sizeof(name), "unused_%06u", i);
		add_str(b, name);
	}
	if (damaged)
		damage_end(b);
	else
		builder_finish(b);
}

/*
 * Once every query is answered, reading stops: the rest of the file is
 * not read (so its damage goes unreported). A member missing from a root
 * struct already seen is an early answer too; a root struct never met
 * makes the whole file be read: damage fails the call, and with none the
 * found queries get the same answers.
 */
static void test_btf_early_stop(void)
{
	static const char *const paths[] = { "second.in.name", "first.p", "second.x", "first.a",
					     "first.missing" };
	static const char *const rootless[] = { "second.in.name", "first.p", "second.x", "first.a",
						"nosuch.x" };
	static const unsigned int want[][4] = {
		{ 1, 24, 16, 0 }, { 1, 8, 8, 0 }, { 1, 0, 4, 0 }, { 1, 0, 4, 0 }, { 0, 0, 0, 0 },
	};
	struct btf_query none = { .path = "", .found = 1 };
	struct btf_read_stats st;
	struct blob_builder b;
	char path[64];
	struct tt_err err = { "" };
	long reads, bytes;

	build_wanted_first(&b, 1);
	CHECK(b.types_len > 3 * BTF_WINDOW_SIZE && b.strs_len > 4 * BTF_WINDOW_SIZE);
	memset(&st, 0, sizeof(st));
	CHECK(check_blob_and_file(&b, paths, want, 4, &reads, &bytes, &st));
	CHECK(st.type_len == b.types_len && st.str_len == b.strs_len);
	/* One window of each section: the second type window is never needed. */
	CHECK(st.type_bytes == BTF_WINDOW_SIZE && st.str_bytes == BTF_WINDOW_SIZE);
	CHECK(reads < 0 || (reads == 3 && bytes == (long)sizeof(struct btf_header) + 2 * BTF_WINDOW_SIZE));
	if (st.type_bytes != BTF_WINDOW_SIZE || st.str_bytes != BTF_WINDOW_SIZE)
		fprintf(stderr, "  read %zu of %zu type bytes, %zu of %zu string bytes\n",
			st.type_bytes, st.type_len, st.str_bytes, st.str_len);

	/* With nothing valid to look up, only the header is read. */
	CHECK(write_temp(b.out, b.out_len, path, sizeof(path)) == 0);
	CHECK(btf_resolve_stats(path, &none, 1, &err, &st) == 0 && !none.found);
	CHECK(st.type_bytes == 0 && st.str_bytes == 0);
	CHECK(btf_resolve_stats(path, NULL, 0, &err, &st) == 0);
	unlink(path);

	/* first.missing: its root was seen without that member, so it is
	 * answered ("not found") as early as the others, and the damage
	 * further on is never read. */
	memset(&st, 0, sizeof(st));
	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, &st));
	CHECK(st.type_bytes == BTF_WINDOW_SIZE && st.str_bytes == BTF_WINDOW_SIZE);
	/* nosuch.x: a root never met: the whole file is read, and its damage found. */
	CHECK(check_blob_and_file_fail(&b, rootless, ARRAY_LEN(rootless), "has unknown kind 25"));
	builder_free(&b);

	build_wanted_first(&b, 0);
	CHECK(check_blob_and_file(&b, rootless, want, ARRAY_LEN(rootless), &reads, &bytes, &st));
	CHECK(st.type_bytes == st.type_len && st.str_bytes == st.str_len);
	CHECK(reads < 0 || bytes == (long)b.out_len);
	builder_free(&b);
}

/*
 * The wanted struct's names lie after the strings of many types that
 * come after it, never seen: the string scan passes over those strings
 * (without keeping them) and stops soon after the names it needs.
 */
static void test_btf_lazy_strings(void)
{
	static const char *const paths[] = { "holder.late_name", "holder.before" };
	static const unsigned int want[][4] = { { 1, 4, 4, 0 }, { 1, 0, 4, 0 } };
	struct btf_read_stats st;
	struct blob_builder b;
	__u32 unseen, t_int, late;
	unsigned int n_unseen = 0;
	char name[32];
	long reads, bytes;

	builder_init(&b, 6 * BTF_WINDOW_SIZE, 8 * BTF_WINDOW_SIZE);
	unseen = (__u32)b.strs_len;
	for (; b.strs_len < 2 * BTF_WINDOW_SIZE; n_unseen++) {
		snprintf(name, sizeof(name), "unseen_%06u", n_unseen);	/* 14 bytes each */
		add_str(&b, name);
	}
	t_int = add_int(&b, "int", 4);
	add_struct(&b, BTF_KIND_STRUCT, "holder", 0, 2, 8);
	add_member(&b, "before", t_int, 0);
	late = (__u32)b.strs_len;
	add_member(&b, "late_name", t_int, 32);
	add_filler(&b, 8192, t_int);
	/* The types the first strings belong to, after the stop. */
	for (unsigned int i = 0; i < n_unseen; i++) {
		add_struct_at(&b, unseen + 14 * i, 1, 4);
		add_member_at(&b, unseen + 14 * i, t_int, 0);
	}
	for (unsigned int i = 0; b.strs_len < 5 * BTF_WINDOW_SIZE; i++) {
		snprintf(name, sizeof(name), "after_%06u", i);
		add_str(&b, name);
	}
	damage_end(&b);
	CHECK(late > 2 * BTF_WINDOW_SIZE && b.types_len > 3 * BTF_WINDOW_SIZE);

	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, &st));
	/* Past late_name, by at most a window; the type section's first window only. */
	CHECK(st.str_bytes > late && st.str_bytes <= late + BTF_WINDOW_SIZE && st.str_bytes < st.str_len);
	CHECK(st.type_bytes == BTF_WINDOW_SIZE);
	if (st.str_bytes <= late || st.str_bytes > late + BTF_WINDOW_SIZE || st.type_bytes != BTF_WINDOW_SIZE)
		fprintf(stderr, "  read %zu of %zu type bytes, %zu of %zu string bytes (late_name at %u)\n",
			st.type_bytes, st.type_len, st.str_bytes, st.str_len, late);
	builder_free(&b);
}

/*
 * holder's anonymous members lead forward (through a typedef, over a
 * window of filler each time) to a union holding x, and back to a struct
 * holding x and y. The id walk from holder meets the forward one first,
 * so x is found there: answering before that union is seen must wait,
 * not take the earlier struct's x. With dangling, a last anonymous
 * member names an id past the last type: y (found behind it, in the
 * struct) can only be told at the end.
 */
static void build_forward(struct blob_builder *b, int dangling, int damaged)
{
	const unsigned int n_filler = BTF_WINDOW_SIZE / 8;	/* 1.5 windows of 12-byte types */
	__u32 t_int, t_long, t_back, t_holder, t_typedef, t_union, dangling_at = 0;

	builder_init(b, 8 * BTF_WINDOW_SIZE, 4096);
	t_int = add_int(b, "int", 4);
	t_long = add_int(b, "long", 8);
	t_back = add_struct(b, BTF_KIND_STRUCT, NULL, 0, 2, 16);
	add_member(b, "x", t_int, 0);
	add_member(b, "y", t_long, 64);
	t_holder = add_struct(b, BTF_KIND_STRUCT, "holder", 0, dangling ? 4 : 3, 64);
	t_typedef = t_holder + 1 + n_filler;
	t_union = t_typedef + 1 + n_filler;
	add_member(b, "a", t_int, 0);
	add_member(b, NULL, t_typedef, 64);
	add_member(b, NULL, t_back, 256);
	if (dangling) {
		dangling_at = (__u32)b->types_len + 4;
		add_member(b, NULL, 0, 384);	/* patched below */
	}
	for (unsigned int i = 0; i < n_filler; i++)
		add_ref(b, BTF_KIND_PTR, NULL, t_int);
	CHECK(add_ref(b, BTF_KIND_TYPEDEF, NULL, t_union) == t_typedef);
	for (unsigned int i = 0; i < n_filler; i++)
		add_ref(b, BTF_KIND_PTR, NULL, t_long);
	CHECK(add_struct(b, BTF_KIND_UNION, NULL, 0, 1, 8) == t_union);
	add_member(b, "x", t_long, 0);
	add_filler(b, 3 * BTF_WINDOW_SIZE, t_int);
	if (dangling) {
		__u32 id = b->next_id + 1;	/* past the bad type damage_end may add */

		memcpy(b->types + dangling_at, &id, 4);
		/* Still an id the section could hold, so only the end tells it is not there. */
		CHECK(id <= b->types_len / sizeof(struct btf_type));
	}
	if (damaged)	/* the strings are few: all are read, so only the types are damaged */
		add_type(b, "bad", 25, 0, 0, 0);
	builder_finish(b);
}

static void test_btf_forward_anonymous(void)
{
	static const char *const paths[] = { "holder.x", "holder.y", "holder.a" };
	static const unsigned int want[][4] = { { 1, 8, 8, 0 }, { 1, 40, 8, 0 }, { 1, 0, 4, 0 } };
	struct btf_read_stats st;
	struct blob_builder b;
	long reads, bytes;

	build_forward(&b, 0, 1);
	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, &st));
	/* Past the union, but not to the damage three windows on. */
	CHECK(st.type_bytes > 3 * BTF_WINDOW_SIZE && st.type_bytes < st.type_len - BTF_WINDOW_SIZE);
	if (st.type_bytes >= st.type_len - BTF_WINDOW_SIZE)
		fprintf(stderr, "  read %zu of %zu type bytes\n", st.type_bytes, st.type_len);
	builder_free(&b);

	/* x still resolves early; y cannot, so all is read and the damage found. */
	build_forward(&b, 1, 1);
	CHECK(check_blob_and_file(&b, paths, want, 1, &reads, &bytes, &st));
	CHECK(st.type_bytes < st.type_len);
	CHECK(check_blob_and_file_fail(&b, paths, ARRAY_LEN(paths), "has unknown kind 25"));
	builder_free(&b);

	/* Undamaged, the end drops the dangling id and finds y behind it. */
	build_forward(&b, 1, 0);
	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, &st));
	CHECK(st.type_bytes == st.type_len && st.str_bytes == st.str_len);
	builder_free(&b);
}

/*
 * A member named by the tail of a string keeps its name only if no whole
 * string takes the tail's slot later in the section, so only the end can
 * tell: here the four slots of "sk" fill with tails, the first member
 * uses the first, and a whole "sk" at the very end takes its place.
 */
static void test_btf_tail_waits_for_end(void)
{
	static const char *const paths[] = { "tails.sk" };
	static const unsigned int want[][4] = { { 1, 8, 8, 0 } };
	struct btf_read_stats st;
	struct blob_builder b;
	__u32 task, mask, t_int, t_long;
	long reads, bytes;

	builder_init(&b, 64 * 1024, 4 * BTF_WINDOW_SIZE);
	task = add_str(&b, "task");
	mask = add_str(&b, "mask");
	add_str(&b, "disk");
	add_str(&b, "desk");
	t_int = add_int(&b, "int", 4);
	t_long = add_int(&b, "long", 8);
	add_struct(&b, BTF_KIND_STRUCT, "tails", 0, 2, 16);
	add_member_at(&b, task + 2, t_int, 0);
	add_member_at(&b, mask + 2, t_long, 64);
	add_filler(&b, 16384, t_int);
	for (unsigned int i = 0; b.strs_len < 2 * BTF_WINDOW_SIZE; i++)
		add_str(&b, "padding_string");
	add_str(&b, "sk");
	builder_finish(&b);

	CHECK(check_blob_and_file(&b, paths, want, ARRAY_LEN(paths), &reads, &bytes, &st));
	CHECK(st.type_bytes == st.type_len && st.str_bytes == st.str_len);
	builder_free(&b);
}

/* ---- the running kernel ------------------------------------------------ */

struct kernel_member {
	const char *path;
	unsigned int size;	/* 0: any */
};

static const struct kernel_member kernel_members[] = {
	{ "task_struct.tgid", 4 },
	{ "task_struct.comm", 16 },
	{ "task_struct.real_parent", 8 },
	{ "task_struct.nsproxy", 8 },
	{ "task_struct.files", 8 },
	{ "nsproxy.mnt_ns", 8 },
	{ "nsproxy.net_ns", 8 },
	{ "mnt_namespace.ns.inum", 4 },
	{ "net.ns.inum", 4 },
	{ "files_struct.fdt", 8 },
	{ "fdtable.fd", 8 },
	{ "file.private_data", 8 },
	{ "socket.sk", 8 },
	{ "sock.__sk_common.skc_net.net", 8 },
	{ "sock.sk_protocol", 0 },
	{ "sock_flags.SOCK_DONE", 4 },
};

static long elapsed_us(const struct timespec *from, const struct timespec *to)
{
	return (to->tv_sec - from->tv_sec) * 1000000L + (to->tv_nsec - from->tv_nsec) / 1000;
}

static long max_rss_kib(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}

static void fill_kernel_queries(struct btf_query *q)
{
	memset(q, 0, ARRAY_LEN(kernel_members) * sizeof(*q));
	for (size_t i = 0; i < ARRAY_LEN(kernel_members); i++)
		q[i].path = kernel_members[i].path;
}

static void test_btf_vmlinux(void)
{
	struct btf_query q[ARRAY_LEN(kernel_members)];
	struct btf_read_stats rs = { 0 };
	struct timespec start, end;
	struct stat st;
	struct tt_err err = { "" };
	long rss_before, rss_after, us, reads, bytes;
	int ret;

	fill_kernel_queries(q);
	rss_before = max_rss_kib();
	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = resolve_file_counted(BTF_VMLINUX_PATH, q, ARRAY_LEN(q), &err, &reads, &bytes, &rs);
	clock_gettime(CLOCK_MONOTONIC, &end);
	rss_after = max_rss_kib();
	us = elapsed_us(&start, &end);

	CHECK(ret == 0);
	if (ret != 0)
		fprintf(stderr, "  %s\n", err.msg);
	for (size_t i = 0; i < ARRAY_LEN(q); i++) {
		int ok = q[i].found && !q[i].bitfield &&
			 (!kernel_members[i].size || q[i].size == kernel_members[i].size);

		if (!ok)
			fprintf(stderr, "  %s: found=%d offset=%u size=%u bitfield=%d\n", q[i].path,
				q[i].found, q[i].offset, q[i].size, q[i].bitfield);
		CHECK(ok);
	}
	printf("INFO: test_btf_vmlinux: %zu queries in %ld.%03ld ms, ru_maxrss %ld -> %ld KiB, "
	       "%ld reads of %ld bytes; read %zu of %zu type bytes, %zu of %zu string bytes\n",
	       ARRAY_LEN(q), us / 1000, us % 1000, rss_before, rss_after, reads, bytes,
	       rs.type_bytes, rs.type_len, rs.str_bytes, rs.str_len);
	/* The structs wanted, and their names, come early (dedup order): the rest is not read. */
	CHECK(rs.type_bytes < rs.type_len && rs.str_bytes < rs.str_len);
	/* About 250 KB of tables natively; ASan and UBSan more than double that. */
	CHECK(rss_after - rss_before < 768);
	CHECK(us < 200 * 1000);
	/* One pass: no byte twice, and sysfs gives at least 4 KiB per read. */
	if (reads >= 0 && stat(BTF_VMLINUX_PATH, &st) == 0) {
		CHECK(bytes <= st.st_size);
		CHECK(reads <= st.st_size / 4096 + 8);
	}
}

/* The streaming file reader and the in-memory reader agree on real data. */
static void test_btf_vmlinux_blob_matches_file(void)
{
	struct btf_query from_file[ARRAY_LEN(kernel_members)];
	struct btf_query from_blob[ARRAY_LEN(kernel_members)];
	size_t cap = 16 << 20, len = 0, n;
	unsigned char *data = malloc(cap);
	FILE *f = fopen(BTF_VMLINUX_PATH, "rb");
	struct tt_err err = { "" };

	CHECK(data && f);
	if (!data || !f)
		goto out;
	while (len < cap && (n = fread(data + len, 1, cap - len, f)) > 0)
		len += n;
	fill_kernel_queries(from_file);
	fill_kernel_queries(from_blob);
	CHECK(btf_resolve(BTF_VMLINUX_PATH, from_file, ARRAY_LEN(from_file), &err) == 0);
	CHECK(btf_resolve_blob(data, len, from_blob, ARRAY_LEN(from_blob), &err) == 0);
	for (size_t i = 0; i < ARRAY_LEN(from_file); i++)
		CHECK(memcmp(&from_file[i], &from_blob[i], sizeof(from_file[i])) == 0);
out:
	if (f)
		fclose(f);
	free(data);
}

/* ---- entry ------------------------------------------------------------- */

/* test_btf [--btf FILE] --query PATH...: print what each PATH resolves to. */
static int run_queries(int argc, char **argv)
{
	const char *file = BTF_VMLINUX_PATH;
	struct btf_query *q;
	struct tt_err err;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "--btf") == 0) {
		file = argv[2];
		first = 3;
	}
	if (first >= argc || strcmp(argv[first], "--query") != 0) {
		fprintf(stderr, "usage: %s [--btf FILE] --query PATH...\n", argv[0]);
		return 2;
	}
	first++;
	q = calloc((size_t)(argc - first) + 1, sizeof(*q));
	if (!q)
		return 1;
	for (int i = first; i < argc; i++)
		q[i - first].path = argv[i];
	if (btf_resolve(file, q, (size_t)(argc - first), &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(q);
		return 1;
	}
	for (int i = 0; i < argc - first; i++) {
		if (q[i].found)
			printf("%s %u %u %d\n", q[i].path, q[i].offset, q[i].size, q[i].bitfield);
		else
			printf("%s not-found\n", q[i].path);
	}
	free(q);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return run_queries(argc, argv);

	/* First, so its ru_maxrss reading is not masked by the other tests. */
	if (access(BTF_VMLINUX_PATH, R_OK) == 0)
		RUN(test_btf_vmlinux);
	else
		printf("SKIP: test_btf_vmlinux: no %s\n", BTF_VMLINUX_PATH);
	RUN(test_btf_nested_path);
	RUN(test_btf_pointer_member);
	RUN(test_btf_array_size);
	RUN(test_btf_missing_member);
	RUN(test_btf_function_and_type_ids);
	RUN(test_btf_enum_values);
	RUN(test_btf_anonymous_union);
	RUN(test_btf_typedef_member);
	RUN(test_btf_forward_and_backward_refs);
	RUN(test_btf_bitfield);
	RUN(test_btf_name_found_twice);
	RUN(test_btf_shared_string_tail);
	RUN(test_btf_cycles_terminate);
	RUN(test_btf_many_queries);
	RUN(test_btf_malformed_header);
	RUN(test_btf_malformed_sections);
	RUN(test_btf_malformed_types);
	RUN(test_btf_truncation_and_fuzz);
	RUN(test_btf_file_missing);
	RUN(test_btf_file_streaming);
	RUN(test_btf_file_large_types);
	RUN(test_btf_sections_swapped);
	RUN(test_btf_early_stop);
	RUN(test_btf_lazy_strings);
	RUN(test_btf_forward_anonymous);
	RUN(test_btf_tail_waits_for_end);
	if (access(BTF_VMLINUX_PATH, R_OK) == 0)
		RUN(test_btf_vmlinux_blob_matches_file);
	else
		printf("SKIP: test_btf_vmlinux_blob_matches_file: no %s\n", BTF_VMLINUX_PATH);
	UNIT_EXIT();
}
