// SPDX-License-Identifier: GPL-2.0-only
/*
 * The queries: their paths, split into wanted names, and the answers,
 * found from what the type pass kept.
 *
 * Answers are tried with an id limit: needing a type beyond those seen
 * means "not yet", never "not found", so an early answer is exactly the
 * one the whole pass would give, and btf.c may stop reading once
 * try_answers() says every query is answered.
 *
 * Candidates are taken in the order a walk over ascending type ids
 * (wrapping around, at most MAX_PASSES times) would meet them, so even
 * odd input resolves exactly as a multi-pass reader of the whole file
 * would.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/btf/reader.h"

#define MAX_CANDIDATES 32	/* places still to search for one component */
#define MAX_STEPS_PER_QUERY 4096	/* bounds work on cyclic input */
#define MAX_PASSES 64		/* wrap-arounds of the id walk of a query */
#define POINTER_SIZE 8		/* BTF does not record it; the kernel: 64-bit */

struct query_state {
	unsigned int name_index[MAX_COMPONENTS];	/* into r->names */
	unsigned int nr_components;
	int is_func;	/* "name()": a function's id */
	int settled;	/* the caller's btf_query holds the final answer */
	/* A new try is pointless before this many types are seen, or before
	 * the root name has this many kept roots. */
	__u32 retry_seen;
	size_t retry_roots;
};

enum walk_stage {
	/* candidates lead to structs that may hold the next component */
	STAGE_FIND_MEMBER,
	/* the one candidate leads to the final member's sized type */
	STAGE_FIND_SIZE,
	STAGE_SETTLED,		/* answer holds the final result */
	STAGE_WAIT,		/* the types seen so far cannot tell yet */
};

/* A type id still to be looked at, and the bit offset it sits at. */
struct candidate {
	__u32 type_id;
	__u64 bit_offset;
};

/* One query being answered from what is kept; started afresh each try. */
struct walk {
	const struct query_state *qs;
	unsigned int next_component;	/* being looked up */
	enum walk_stage stage;
	__u32 root_id;
	struct candidate candidates[MAX_CANDIDATES];
	unsigned int nr_candidates;
	__u64 size_multiplier;	/* product of array lengths met while sizing */
	int bitfield;
	unsigned int steps;
	/* STAGE_WAIT: the unseen type needed next, or (need_root) a root of
	 * the first component's name, or neither: the end of the file */
	__u32 need_id;
	int need_root;
	/* STAGE_SETTLED: found, bitfield, offset, size */
	struct btf_query answer;
};

/* A type as the resolution steps see it. */
struct type_node {
	__u32 id;
	/* BTF_KIND_UNKN: a type that cannot sit on a member's chain */
	unsigned int kind;
	__u32 key;
	__u32 word;
};

/* ---- the queries ---------------------------------------------------- */

/* Split a path into interned components; 0 if it is not a usable path. */
static int parse_path(struct btf_reader *r, const char *path,
		      struct query_state *qs)
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

		len = dot ? (size_t)(dot - start) : strlen(start);
		if (len == 0 || len > MAX_NAME_LEN ||
		    qs->nr_components == MAX_COMPONENTS)
			return 0;
		qs->name_index[qs->nr_components++] =
			(unsigned int)intern_name(r, start, len);
		if (!dot)
			break;
		start = dot + 1;
	}
	return qs->nr_components >= 2;
}

/* Clear the answers and split the paths into the wanted names. */
int prepare_queries(struct btf_reader *r)
{
	struct query_set *qset = &r->qset;
	size_t count = qset->count;

	qset->states = calloc(count ? count : 1, sizeof(*qset->states));
	r->names = calloc(count ? count * MAX_COMPONENTS : 1,
			  sizeof(*r->names));
	if (!qset->states || !r->names)
		return tt_fail(r->err, "out of memory");
	for (size_t qi = 0; qi < count; qi++) {
		struct btf_query *q = &qset->queries[qi];
		struct query_state *qs = &qset->states[qi];

		q->found = q->bitfield = 0;
		q->offset = q->size = q->type_id = 0;
		if (!parse_path(r, q->path, qs))
			qs->settled = 1;	/* no path: nothing to find */
		else
			r->names[qs->name_index[0]].is_root = 1;
	}
	return 0;
}

void free_queries(struct btf_reader *r)
{
	free(r->qset.states);
	free(r->names);
}

/* ---- the kept types ------------------------------------------------- */

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

/* What is known of type id (1 <= id <= seen). */
static struct type_node lookup_type(const struct type_pass *pass, __u32 id)
{
	struct type_node node = { .id = id, .kind = BTF_KIND_UNKN };
	const struct kept_type *kept = pass->types;
	size_t lo = 0, hi = pass->nr_types;

	if (pass->pointers[id / 8] >> (id % 8) & 1) {
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
	if (lo < pass->nr_types && (kept[lo].key & KEY_ID_MASK) == id) {
		node.key = kept[lo].key;
		node.kind = node.key >> KEY_KIND_SHIFT & KEY_KIND_MASK;
		node.word = kept[lo].word;
	}
	return node;
}

/* The first kept member of the struct/union owner_id, or nr_members. */
static size_t first_member(const struct type_pass *pass, __u32 owner_id)
{
	const struct kept_member *m = pass->members;
	size_t lo = 0, hi = pass->nr_members;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m[mid].owner_id < owner_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- one walk ------------------------------------------------------- */

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

/* The types seen cannot tell: wait for type need_id, a root, or the end. */
static void wait_for(struct walk *w, __u32 need_id, int need_root)
{
	w->stage = STAGE_WAIT;
	w->need_id = need_id;
	w->need_root = need_root;
}

static void add_candidate(struct walk *w, __u32 type_id, __u64 bit_offset)
{
	w->candidates[w->nr_candidates].type_id = type_id;
	w->candidates[w->nr_candidates].bit_offset = bit_offset;
	w->nr_candidates++;
}

static void remove_candidate(struct walk *w, unsigned int ci)
{
	w->candidates[ci] = w->candidates[--w->nr_candidates];
}

static void found_member(struct walk *w, __u32 type_id, __u64 bit_offset,
			 unsigned int bitfield_size)
{
	w->nr_candidates = 0;
	add_candidate(w, type_id, bit_offset);
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

/* The candidate (removed) is this struct/union: look for the component. */
static void search_members(const struct btf_reader *r, struct walk *w,
			   const struct type_node *node,
			   struct candidate where)
{
	unsigned int wanted = w->qs->name_index[w->next_component];
	const struct type_pass *pass = &r->pass;
	const struct kept_member *m = pass->members;
	size_t i = first_member(pass, node->id);

	for (; i < pass->nr_members && m[i].owner_id == node->id; i++) {
		__u32 bit_off = m[i].offset;
		unsigned int bitfield_size = 0;
		int is = name_is(r, wanted, m[i].name_off);

		if (node->key & KEY_KIND_FLAG) {
			bit_off = BTF_MEMBER_BIT_OFFSET(m[i].offset);
			bitfield_size = BTF_MEMBER_BITFIELD_SIZE(m[i].offset);
		}
		if (is < 0) {
			wait_for(w, 0, 0);
			return;
		}
		if (is) {
			found_member(w, m[i].type, where.bit_offset + bit_off,
				     bitfield_size);
			return;
		}
		/* Anonymous members are searched too (non-structs dropped) */
		if (m[i].name_off == 0 && w->nr_candidates < MAX_CANDIDATES)
			add_candidate(w, m[i].type, where.bit_offset + bit_off);
	}
}

/* The candidate (removed) is this enum: the component names a value,
 * answered as the offset (not negative, below 2^32), the enum's size as
 * the size. */
static void search_enumerators(const struct btf_reader *r, struct walk *w,
			       const struct type_node *node)
{
	unsigned int wanted = w->qs->name_index[w->next_component];
	const struct type_pass *pass = &r->pass;
	const struct kept_member *m = pass->members;
	size_t i = first_member(pass, node->id);

	if (w->next_component + 1 != w->qs->nr_components)
		return;	/* a value has no members */
	for (; i < pass->nr_members && m[i].owner_id == node->id; i++) {
		int is = name_is(r, wanted, m[i].name_off);

		if (is < 0) {
			wait_for(w, 0, 0);
			return;
		}
		if (is) {
			/* type holds the value's high half */
			settle(w, m[i].type == 0, (__u64)m[i].offset * 8,
			       node->word);
			return;
		}
	}
}

/* The candidate is the final member's type, or an array element of it. */
static void size_candidate(const struct btf_reader *r, struct walk *w,
			   unsigned int ci, const struct type_node *node)
{
	struct candidate *c = &w->candidates[ci];
	const struct kept_array *array;

	switch (node->kind) {
	case BTF_KIND_PTR:
		settle(w, 1, c->bit_offset, POINTER_SIZE * w->size_multiplier);
		return;
	case BTF_KIND_ARRAY:
		array = &r->pass.arrays[node->word];
		/* both factors < 2^32 */
		w->size_multiplier *= array->nelems;
		if (w->size_multiplier > UINT_MAX) {
			settle(w, 0, 0, 0);
			return;
		}
		c->type_id = array->elem_type;
		return;
	case BTF_KIND_INT:
		if (node->key & KEY_NARROW_INT)
			w->bitfield = 1;
		settle(w, 1, c->bit_offset,
		       (__u64)node->word * w->size_multiplier);
		return;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		settle(w, 1, c->bit_offset,
		       (__u64)node->word * w->size_multiplier);
		return;
	default:	/* FWD, FUNC, FUNC_PROTO, ...: no size a member has */
		settle(w, 0, 0, 0);
		return;
	}
}

/* Move one candidate sitting on this type a step further. */
static void advance_candidate(const struct btf_reader *r, struct walk *w,
			      unsigned int ci, const struct type_node *node)
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
	/* a pointer or scalar cannot hold the next component */
	if (is_struct_or_union(node->kind))
		search_members(r, w, node, where);
	else if (node->kind == BTF_KIND_ENUM || node->kind == BTF_KIND_ENUM64)
		search_enumerators(r, w, node);
}

/*
 * The candidate the id walk would meet next from id cursor on (ids up to
 * bound exist), or -1.
 */
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

/* Is this kept root the query's? 1, 0, or -1 while that may change. */
static int root_is(const struct btf_reader *r, const struct kept_root *root,
		   const struct query_state *qs)
{
	if (root->name_index != qs->name_index[0] ||
	    root->is_func != (__u32)qs->is_func)
		return 0;
	return name_is(r, root->name_index, root->name_off);
}

/*
 * Start at the query's root: the first struct/union with members and
 * that name (or the first function of that name).
 */
static void start_walk(const struct btf_reader *r,
		       const struct query_state *qs, struct walk *w)
{
	memset(w, 0, sizeof(*w));
	w->qs = qs;
	for (size_t i = 0; i < r->pass.nr_roots; i++) {
		const struct kept_root *root = &r->pass.roots[i];
		int is = root_is(r, root, qs);

		if (is < 0) {
			wait_for(w, 0, 0);
			return;
		}
		if (!is)
			continue;
		w->root_id = root->id;
		if (qs->is_func) {
			settle(w, 1, 0, 0);
			return;
		}
		w->stage = STAGE_FIND_MEMBER;
		w->next_component = 1;
		add_candidate(w, root->id, 0);
		return;
	}
	if (r->pass.final)
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
	const struct type_pass *pass = &r->pass;
	__u32 bound = pass->final ? pass->seen : pass->max_types;
	__u32 cursor = w->root_id;	/* the walk that found the root goes
					 * on from there */
	unsigned int wraps = 0;

	while (w->stage == STAGE_FIND_MEMBER || w->stage == STAGE_FIND_SIZE) {
		int ci = next_candidate(w, cursor, bound);
		struct type_node node;

		if (ci < 0) {
			drop_dangling(w, bound);
			if (w->nr_candidates == 0 || ++wraps == MAX_PASSES)
				settle(w, 0, 0, 0);
			cursor = 1;
			continue;
		}
		cursor = w->candidates[ci].type_id;
		if (cursor > pass->seen) {
			wait_for(w, cursor, 0);
			return;
		}
		node = lookup_type(pass, cursor);
		advance_candidate(r, w, (unsigned int)ci, &node);
	}
}

/* ---- the answers ---------------------------------------------------- */

/* Copy a settled walk's answer to the caller's query. */
static void give_answer(struct btf_query *q, const struct walk *w)
{
	q->found = w->answer.found;
	q->bitfield = w->answer.bitfield;
	q->offset = w->answer.offset;
	q->size = w->answer.size;
	q->type_id = w->answer.found ? w->root_id : 0;
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
	struct query_state *qs = &r->qset.states[qi];
	struct walk w;

	start_walk(r, qs, &w);
	run_walk(r, &w);
	if (w.stage == STAGE_SETTLED) {
		give_answer(&r->qset.queries[qi], &w);
		qs->settled = 1;
	} else if (w.need_id) {
		qs->retry_seen = w.need_id;
	} else if (w.need_root) {
		qs->retry_roots = r->names[qs->name_index[0]].nr_roots + 1;
	} else {
		/* a name only the end of the string section can tell */
		r->qset.full_walk = 1;
	}
}

/*
 * Between two stretches of the pass: answer what the types seen so far
 * tell. 1 when every query is answered (the rest of the file need not be
 * read); 0 else, and with qset.full_walk set once an answer needs the
 * end of the file (then trying again before it is pointless).
 */
int try_answers(struct btf_reader *r)
{
	struct query_set *qset = &r->qset;
	int all = 1;

	for (size_t qi = 0; qi < qset->count && !qset->full_walk; qi++) {
		struct query_state *qs = &qset->states[qi];

		/* Only retry once what the last try waited for has come. */
		if (!qs->settled && r->pass.seen >= qs->retry_seen &&
		    r->names[qs->name_index[0]].nr_roots >= qs->retry_roots)
			answer_query(r, qi);
		all = all && qs->settled;
	}
	return all && !qset->full_walk;
}

/* After the whole file was read: answer every query still open. */
void answer_the_rest(struct btf_reader *r)
{
	for (size_t qi = 0; qi < r->qset.count; qi++)
		if (!r->qset.states[qi].settled)
			answer_query(r, qi);
}
