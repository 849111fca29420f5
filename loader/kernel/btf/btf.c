// SPDX-License-Identifier: GPL-2.0-only
/*
 * Single-pass BTF member-offset resolver (see btf.h); the public side.
 *
 * Plan: read the header, then stream the type section from its start
 * (types.c), scanning the string section beside it only as far as the
 * names met need (strings.c). Each section streams through its own
 * window (source.c), every byte is read at most once and every record is
 * validated as it goes by.
 *
 * The pass goes a stretch of CHECK_STEP bytes of types at a time; after
 * each, resolve() asks answers.c whether the types seen so far answer
 * every query. Once they do, the pass stops: BTF dedup puts the structs
 * the tracer needs, and their names, in the first fifth of each section
 * of vmlinux. A query whose root struct is not met (or only decidable at
 * the end) makes the pass go to the end of the file. What lies past the
 * stop is not parsed (nor read, but for the rest of a window), so damage
 * there goes unreported.
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/btf/reader.h"

#define BYTE_SWAPPED_MAGIC 0x9FeB
/*
 * Type bytes between tries to answer early (a sysfs read). Not tied to
 * window refills, so a file stops where the same blob does (and fails on
 * the same damage), whatever each read returns.
 */
#define CHECK_STEP 4096

/* ---- header --------------------------------------------------------- */

/* Check that [off, off+len) past the header lies inside the data. */
static int section_in_bounds(struct btf_reader *r, const char *what,
			     __u32 hdr_len, __u32 off, __u32 len,
			     size_t *start)
{
	__u64 begin = (__u64)hdr_len + off;
	size_t size = r->pass.src.size;

	if (begin > size || len > size - begin)
		return tt_fail(r->err, "%s section (offset %u, length %u) "
			       "runs past the end of the data (%zu bytes)",
			       what, off, len, size);
	*start = (size_t)begin;
	return 0;
}

/* Check the header; note where the type and string sections lie. */
static int parse_header(struct btf_reader *r)
{
	struct btf_header hdr;
	size_t size = r->pass.src.size;

	if (size < sizeof(hdr))
		return tt_fail(r->err, "too short for a BTF header: %zu "
			       "bytes, need %zu", size, sizeof(hdr));
	source_seek(&r->pass.src, 0, sizeof(hdr));
	if (source_read(r, &r->pass.src, 0, &hdr, sizeof(hdr)) < 0)
		return -1;
	if (hdr.magic == BYTE_SWAPPED_MAGIC)
		return tt_fail(r->err, "byte-swapped BTF (magic 0x%04x): only "
			       "BTF in this CPU's byte order is supported",
			       hdr.magic);
	if (hdr.magic != BTF_MAGIC)
		return tt_fail(r->err, "bad BTF magic 0x%04x (want 0x%04x)",
			       hdr.magic, BTF_MAGIC);
	if (hdr.version != BTF_VERSION)
		return tt_fail(r->err, "unsupported BTF version %u",
			       hdr.version);
	if (hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > size)
		return tt_fail(r->err, "BTF header length %u is out of range "
			       "(data is %zu bytes)", hdr.hdr_len, size);
	if (section_in_bounds(r, "type", hdr.hdr_len, hdr.type_off,
			      hdr.type_len, &r->pass.start) < 0 ||
	    section_in_bounds(r, "string", hdr.hdr_len, hdr.str_off,
			      hdr.str_len, &r->strs.start) < 0)
		return -1;
	r->pass.len = hdr.type_len;
	r->strs.len = hdr.str_len;
	return 0;
}

/* ---- the pass ------------------------------------------------------- */

/*
 * The whole read. The pass feeds the types in stretches; between them,
 * try_answers() is the one place that answers early and may end the
 * read. Without an early end, the string section is read to its end too
 * and the queries still open are answered from everything.
 */
static int resolve(struct btf_reader *r)
{
	int more;

	if (parse_header(r) < 0 || prepare_queries(r) < 0 ||
	    prepare_strings(r) < 0 || start_types(r) < 0)
		return -1;
	more = r->pass.len > 0;	/* types are left to read */
	while (more > 0) {
		size_t until = SIZE_MAX;

		if (!r->qset.full_walk) {
			if (try_answers(r))
				return 0;	/* the rest is not read */
			until = r->pass.next_off + CHECK_STEP;
		}
		more = read_types(r, until);
	}
	if (more < 0 || finish_strings(r) < 0)
		return -1;
	r->pass.final = 1;
	answer_the_rest(r);
	return 0;
}

static void reader_init(struct btf_reader *r, struct btf_query *queries,
			size_t count, struct tt_err *err)
{
	memset(r, 0, sizeof(*r));
	r->pass.src.fd = r->strs.src.fd = -1;
	r->qset.queries = queries;
	r->qset.count = count;
	r->err = err;
	if (err)
		err->msg[0] = '\0';
}

static int reader_finish(struct btf_reader *r, int ret,
			 struct btf_read_stats *stats)
{
	if (stats) {
		stats->type_bytes = r->pass.src.bytes_read;
		stats->type_len = r->pass.len;
		stats->str_bytes = r->strs.src.bytes_read;
		stats->str_len = r->strs.len;
	}
	free_queries(r);
	free(r->strs.refs);
	free_types(&r->pass);
	if (ret < 0)
		for (size_t qi = 0; qi < r->qset.count; qi++)
			r->qset.queries[qi].found = 0;
	return ret;
}

/* ---- the public functions ------------------------------------------- */

int btf_resolve_blob(const void *data, size_t len, struct btf_query *queries,
		     size_t count, struct tt_err *err)
{
	struct btf_reader r;

	reader_init(&r, queries, count, err);
	if (!data)
		return reader_finish(&r, tt_fail(err, "no BTF data"), NULL);
	sources_on_blob(&r, data, len);
	return reader_finish(&r, resolve(&r), NULL);
}

int btf_resolve_stats(const char *btf_path, struct btf_query *queries,
		      size_t count, struct tt_err *err,
		      struct btf_read_stats *stats)
{
	struct btf_reader r;
	struct tt_err why;
	int ret;

	if (err)
		err->msg[0] = '\0';
	reader_init(&r, queries, count, &why);
	ret = sources_open(&r, btf_path);
	if (ret == 0)
		ret = resolve(&r);
	sources_close(&r);
	if (ret < 0)	/* the file's name, for every message */
		tt_fail(err, "%s: %s", btf_path, why.msg);
	return reader_finish(&r, ret, stats);
}

int btf_resolve(const char *btf_path, struct btf_query *queries,
		size_t count, struct tt_err *err)
{
	return btf_resolve_stats(btf_path, queries, count, err, NULL);
}
