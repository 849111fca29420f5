// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the JSON scanner on a document, then every look-up the
 * runtime state readers make: keys, array elements, nested paths,
 * string decoding into buffers too small and large enough, and a walk
 * of every array and object at the top (an object's members: each key
 * must be a string, found again by its decoded name unless that reads
 * as an index).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "containers/json_scan.h"

#define PATH(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)

/* Decode into a buffer too small, and into one of the value's own
 * length, which json_scan.h says always holds it: both buffers must
 * give the same answer, or the small one none. */
static void decode(const struct json_val *v)
{
	size_t len = (size_t)(v->end - v->p);
	char small[8], *exact = malloc(len ? len : 1), *big = malloc(len + 2);

	json_string(v, small, sizeof(small));
	if (exact && big && (json_string(v, exact, len) !=
			     json_string(v, big, len + 2) ||
			     strcmp(exact, big)))
		__builtin_trap();
	free(exact);
	free(big);
}

static void walk_array(const struct json_val *arr)
{
	struct json_val elem, id;
	size_t pos = 0;

	while (json_array_next(arr, &pos, &elem) == 1) {
		decode(&elem);
		if (json_find(&elem, PATH("id"), &id) == 1)
			decode(&id);
	}
}

static void walk_object(const struct json_val *obj)
{
	struct json_val key, value, again;
	size_t pos = 0;
	char name[64];

	while (json_object_next(obj, &pos, &key, &value) == 1) {
		if (key.type != JSON_STRING)
			__builtin_trap();
		decode(&key);
		decode(&value);
		/* a path element "[..." is an array index, not a key */
		if (json_string(&key, name, sizeof(name)) == 0 &&
		    name[0] != '[' && json_find(obj, PATH(name), &again) != 1)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *doc = (const char *)data;
	struct json_val root, v;
	char out[64];

	if (json_parse(doc, size, &root))
		return 0;
	decode(&root);
	walk_array(&root);
	walk_object(&root);
	if (json_find(&root, PATH("names", "[0]"), &v) == 1)
		decode(&v);
	if (json_find(&root, PATH("a", "[1]", "b", "[2]"), &v) == 1)
		walk_array(&v);
	json_find(&root, PATH("[x]"), &v);
	json_find(&root, PATH("[99999999999999999999]"), &v);
	json_find_string(&root, PATH("Config", "Labels",
				     "io.kubernetes.pod.name"),
			 out, sizeof(out));
	json_find_string(&root, PATH("annotations", "io.container.manager"),
			 out, sizeof(out));
	json_get_string(doc, size, PATH("ID"), out, sizeof(out));
	return 0;
}
