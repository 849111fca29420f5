/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal, strict JSON reader over a document in memory (RFC 8259: one
 * value, UTF-8, no comments, no trailing commas). It builds nothing: a
 * value is a byte range of the document, found again on each lookup.
 * Nesting deeper than JSON_MAX_DEPTH is rejected. Nothing past the given
 * length is ever read; the document need not be NUL-terminated.
 *
 * Return values follow common/err.h: -1 for input that cannot be used,
 * 0 or more on success, and lookups answer 1 (found) or 0 (absent). The
 * documents are other programs' files, skipped when unusable and never
 * reported to a user: there is no struct tt_err here.
 */
#ifndef JSON_SCAN_H
#define JSON_SCAN_H

#include <stddef.h>

#define JSON_MAX_DEPTH 64

enum json_type {
	JSON_NONE, JSON_OBJECT, JSON_ARRAY, JSON_STRING,
	JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL,
};

struct json_val {
	const char *p;		/* first byte of the value */
	const char *end;	/* one past its last byte */
	enum json_type type;
};

/* Validate the whole document and return its top-level value in root:
 * 0, or -1 if it is malformed. */
int json_parse(const char *doc, size_t len, struct json_val *root);

/*
 * Walk path from v: each element is an object key (compared after
 * unescaping), or "[N]" for the N-th element of an array.
 * Only for values obtained from json_parse (or from this function).
 * 1 and *out set; 0 if there is no value at that path (a key or index
 * missing, or a step into a value of another type); -1 if a path
 * element is malformed ("[x]", "[1", "[]", an index too large).
 */
int json_find(const struct json_val *v, const char *const *path,
	      size_t depth, struct json_val *out);

/*
 * Decode a string value into out (NUL-terminated, UTF-8): 0, or -1 with
 * out "" if v is not a string, does not fit in outlen (never truncated),
 * or holds U+0000 (it cannot be a C string). To tell these apart, look
 * at v->type first; and the decoded text is never longer than the JSON
 * text, so v->end - v->p bytes always hold it.
 */
int json_string(const struct json_val *v, char *out, size_t outlen);

/* json_find then json_string, the two steps above in one call: 1 found
 * and decoded, 0 absent, -1 as either step fails (out is "" unless 1). */
int json_find_string(const struct json_val *v, const char *const *path,
		     size_t depth, char *out, size_t outlen);

/* json_parse then json_find_string; -1 also for a malformed document. */
int json_get_string(const char *doc, size_t len, const char *const *path,
		    size_t depth, char *out, size_t outlen);

/*
 * Iterate an array: start with *pos = 0; each call puts the next element
 * in elem and returns 1, then 0 at the end, or -1 if arr is not an array.
 */
int json_array_next(const struct json_val *arr, size_t *pos,
		    struct json_val *elem);

/* Iterate an object likewise: its next member's key (a string value)
 * and value. */
int json_object_next(const struct json_val *obj, size_t *pos,
		     struct json_val *key, struct json_val *value);

#endif
