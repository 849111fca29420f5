// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/containers/json_scan.c: strict grammar, escapes
 * and UTF-8, depth limit, truncation at every byte, path lookup and
 * array iteration, Podman's real containers.json, and random corruption
 * (under ASan).
 */
#include <stdlib.h>
#include <string.h>

#include "containers/json_scan.h"
#include "unit.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

#define PATH(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)

/* The text in a heap block of exactly its length (ASan sees overreads). */
static char *exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	memcpy(p, s, len);
	return p;
}

static int parse(const char *s)
{
	struct json_val v;
	char *p = exact(s, strlen(s));
	int rc = json_parse(p, strlen(s), &v);

	free(p);
	return rc;
}

static int get(const char *doc, const char *const *path, size_t depth,
	       char *out, size_t outlen)
{
	char *p = exact(doc, strlen(doc));
	int rc = json_get_string(p, strlen(doc), path, depth, out, outlen);

	free(p);
	return rc;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_grammar(void)
{
	static const char *good[] = {
		"{}", "[]", " \t\r\n{ } ", "0", "-0", "12", "-3.25e+10", "1E5",
		"0.5", "true", "false", "null", "\"\"",
		"[1,[2,[3]],{\"a\":{}}]",
		"{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}",
	};
	static const char *bad[] = {
		"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}",
		"{a:1}", "{'a':1}", "[1 2]", "01", "1.", ".5", "-", "1e", "1e+",
		"+1", "NaN", "tru", "truex", "nul", "[1]]", "{} {}", "[1]x",
		"\"abc", "\"a\\\"", "[\"\\x\"]", "\"\\u12\"", "\"\\u12G4\"",
		"\"tab\there\"", "\"nl\nhere\"", "/* c */{}", "\xef\xbb\xbf{}",
		"{\"a\":1 \"b\":2}", "[,1]", "[1,,2]",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (parse(good[i]) != 0) {
			fprintf(stderr, "  rejected good: %s\n", good[i]);
			unit_failed_checks++;
		}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i]) != -1) {
			fprintf(stderr, "  accepted bad: %s\n", bad[i]);
			unit_failed_checks++;
		}
	/* Nothing past len is looked at: "[1]" followed by garbage. */
	{
		struct json_val v;

		CHECK(json_parse("[1]garbage", 3, &v) == 0 &&
		      v.type == JSON_ARRAY);
		CHECK(json_parse("{\"a\":1}", 6, &v) == -1);
	}
}

static void test_escapes_utf8(void)
{
	char out[64];

	CHECK(get("{\"k\":\"a\\\"b\\\\c\\/d\"}", PATH("k"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "a\"b\\c/d");
	CHECK(get("{\"k\":\"\\b\\f\\n\\r\\t\"}", PATH("k"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "\b\f\n\r\t");
	CHECK(get("{\"k\":\"\\u00e9\\u20AC\\u003c\"}", PATH("k"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "\xc3\xa9\xe2\x82\xac<");
	CHECK(get("{\"k\":\"\\ud83d\\ude00!\"}", PATH("k"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "\xf0\x9f\x98\x80!");
	CHECK(get("{\"k\":\"\\udbff\\udfff\"}", PATH("k"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "\xf4\x8f\xbf\xbf");
	/* Lone or reversed surrogates. */
	CHECK(parse("\"\\ud83d\"") == -1);
	CHECK(parse("\"\\ud83dx\"") == -1);
	CHECK(parse("\"\\ud83d\\u0041\"") == -1);
	CHECK(parse("\"\\ude00\\ud83d\"") == -1);
	CHECK(parse("\"\\ud83d\\ude0") == -1);
	/* Raw UTF-8: well-formed accepted, the rest refused. */
	CHECK(get("{\"k\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}", PATH("k"),
		  out, sizeof(out)) == 1);
	CHECK_STR(out, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	CHECK(parse("\"\xc0\x80\"") == -1);		/* overlong NUL */
	CHECK(parse("\"\xe0\x80\xaf\"") == -1);	/* overlong '/' */
	CHECK(parse("\"\xed\xa0\x80\"") == -1);	/* surrogate */
	CHECK(parse("\"\xf4\x90\x80\x80\"") == -1);	/* > U+10FFFF */
	CHECK(parse("\"\xf5\x80\x80\x80\"") == -1);
	CHECK(parse("\"\x80\"") == -1);
	CHECK(parse("\"\xc3\"") == -1);		/* cut sequence */
	CHECK(parse("\"\xe2\x82\"") == -1);
	/* Escaped keys match their decoded form. */
	CHECK(get("{\"a\\u002eb\":\"dot\"}", PATH("a.b"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "dot");
	/* U+0000 is valid JSON but not a C string. */
	CHECK(parse("\"a\\u0000b\"") == 0);
	CHECK(get("{\"k\":\"a\\u0000b\"}", PATH("k"), out, sizeof(out)) == -1);
	CHECK_STR(out, "");
}

static void test_lookup(void)
{
	const char *doc =
		"{\"Name\":\"/web\","
		"\"Config\":{\"Image\":\"nginx:1\",\"Cmd\":[\"a\",\"b\"],"
		"\"Labels\":{\"io.kubernetes.pod.name\":\"p\"},"
		"\"N\":5,\"Z\":null},"
		"\"dup\":\"first\",\"dup\":\"second\","
		"\"list\":[{\"id\":\"x\"},"
		"{\"id\":\"y\",\"deep\":[[{\"v\":\"z\"}]]}]}";
	char out[16], small[4];

	CHECK(get(doc, PATH("Name"), out, sizeof(out)) == 1);
	CHECK_STR(out, "/web");
	CHECK(get(doc, PATH("Config", "Image"), out, sizeof(out)) == 1);
	CHECK_STR(out, "nginx:1");
	CHECK(get(doc, PATH("Config", "Cmd", "[1]"), out, sizeof(out)) == 1);
	CHECK_STR(out, "b");
	CHECK(get(doc, PATH("Config", "Labels", "io.kubernetes.pod.name"),
		  out, sizeof(out)) == 1);
	CHECK_STR(out, "p");
	CHECK(get(doc, PATH("list", "[1]", "deep", "[0]", "[0]", "v"), out,
		  sizeof(out)) == 1);
	CHECK_STR(out, "z");
	CHECK(get(doc, PATH("dup"), out, sizeof(out)) == 1);
	CHECK_STR(out, "first");
	/* Errors. */
	CHECK(get(doc, PATH("Config", "Cmd", "[2]"), out, sizeof(out)) == 0);
	CHECK(get(doc, PATH("Missing"), out, sizeof(out)) == 0);
	CHECK_STR(out, "");
	CHECK(get(doc, PATH("Name", "x"), out, sizeof(out)) == 0);
	CHECK(get(doc, PATH("Config", "[0]"), out, sizeof(out)) == 0);
	CHECK(get(doc, PATH("Config", "N"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Z"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Cmd", "[x]"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Cmd", "[]"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Cmd", "[1"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Cmd", "[99999999999]"), out,
		  sizeof(out)) == -1);
	CHECK(get(doc, PATH("Config", "Image"), small, sizeof(small)) == -1);
	CHECK_STR(small, "");
	/* exactly fits */
	CHECK(get(doc, PATH("Config", "Image"), out, 8) == 1);
	CHECK(get(doc, PATH("Config", "Image"), out, 7) == -1);
	CHECK(get("{\"a\":1", PATH("a"), out, sizeof(out)) == -1);
	/* What -1 folds together stays visible: the type, and a size that
	 * always holds the decoded text. */
	{
		char *p = exact(doc, strlen(doc));
		struct json_val root, v;

		CHECK(json_parse(p, strlen(doc), &root) == 0);
		CHECK(json_find(&root, PATH("Config", "N"), &v) == 1);
		CHECK(v.type == JSON_NUMBER);
		CHECK(json_find(&root, PATH("Config", "Image"), &v) == 1);
		CHECK(json_string(&v, out, (size_t)(v.end - v.p)) == 0);
		CHECK_STR(out, "nginx:1");
		free(p);
	}
	/* The empty path is the document itself. */
	CHECK(get("\"top\"", NULL, 0, out, sizeof(out)) == 1);
	CHECK_STR(out, "top");
}

/* Lookups pass over values of every kind, with quotes, backslashes and
 * brackets inside strings, numbers ending an object, and whitespace. */
static void test_lookup_skips_values(void)
{
	const char *doc =
		"{ \"s\" : \"a\\\"]}\\\\\" , \"t\":\"\\\\\","
		"\"a\":[ 1 ,{\"k\":\"]\"},[[]],\"\\\"\",-2.5e3 ],"
		"\"n\":0,\"o\":{\"x\":{}},\"w\":false ,\"x\\u0041\":\"esc\","
		"\"v\":\"found\"\t}";
	char out[16];

	CHECK(parse(doc) == 0);
	CHECK(get(doc, PATH("v"), out, sizeof(out)) == 1);
	CHECK_STR(out, "found");
	CHECK(get(doc, PATH("s"), out, sizeof(out)) == 1);
	CHECK_STR(out, "a\"]}\\");
	CHECK(get(doc, PATH("t"), out, sizeof(out)) == 1);
	CHECK_STR(out, "\\");
	CHECK(get(doc, PATH("a", "[1]", "k"), out, sizeof(out)) == 1);
	CHECK_STR(out, "]");
	CHECK(get(doc, PATH("a", "[3]"), out, sizeof(out)) == 1);
	CHECK_STR(out, "\"");
	CHECK(get(doc, PATH("a", "[4]"), out, sizeof(out)) == -1);
	CHECK(get(doc, PATH("a", "[5]"), out, sizeof(out)) == 0);
	CHECK(get(doc, PATH("xA"), out, sizeof(out)) == 1);
	CHECK_STR(out, "esc");
	CHECK(get(doc, PATH("o", "x", "y"), out, sizeof(out)) == 0);
}

static void test_arrays(void)
{
	const char *doc = "[ {\"id\":\"a\"} , 2 ,[], \"s\" ]";
	struct json_val root, e;
	size_t pos = 0;
	int n = 0, rc;
	char out[8];

	CHECK(json_parse(doc, strlen(doc), &root) == 0);
	while ((rc = json_array_next(&root, &pos, &e)) == 1) {
		if (n == 0) {
			CHECK(e.type == JSON_OBJECT);
			CHECK(json_find_string(&e, PATH("id"), out,
					       sizeof(out)) == 1);
			CHECK_STR(out, "a");
		}
		CHECK(n != 1 || e.type == JSON_NUMBER);
		CHECK(n != 2 || e.type == JSON_ARRAY);
		CHECK(n != 3 || e.type == JSON_STRING);
		n++;
	}
	CHECK(rc == 0 && n == 4);
	CHECK(json_array_next(&root, &pos, &e) == 0);	/* stays at the end */
	CHECK(json_parse(" [ ] ", 5, &root) == 0);
	pos = 0;
	CHECK(json_array_next(&root, &pos, &e) == 0);
	CHECK(json_parse("{}", 2, &root) == 0);
	pos = 0;
	CHECK(json_array_next(&root, &pos, &e) == -1);
}

static void test_depth(void)
{
	char doc[2 * (JSON_MAX_DEPTH + 2) + 1];
	size_t d;

	for (d = JSON_MAX_DEPTH; d <= JSON_MAX_DEPTH + 1; d++) {
		memset(doc, '[', d);
		memset(doc + d, ']', d);
		doc[2 * d] = '\0';
		CHECK(parse(doc) == (d <= JSON_MAX_DEPTH ? 0 : -1));
	}
	/* Very deep input fails fast instead of recursing. */
	{
		size_t n = 1 << 20;
		char *deep = malloc(n);
		struct json_val v;

		memset(deep, '[', n);
		CHECK(json_parse(deep, n, &v) == -1);
		memset(deep, '{', n);
		CHECK(json_parse(deep, n, &v) == -1);
		free(deep);
	}
	/* Well-formed but 10,000 deep, under a key: refused as a whole. */
	{
		size_t d = 10000, n = 8 + 2 * d + 1;
		char *doc = malloc(n);
		struct json_val v;

		memcpy(doc, "{\"Deep\":", 8);
		memset(doc + 8, '[', d);
		memset(doc + 8 + d, ']', d);
		doc[n - 1] = '}';
		CHECK(json_parse(doc, n, &v) == -1);
		free(doc);
	}
}

/* Every proper prefix of a valid document is rejected (and read in bounds). */
static void test_truncation(void)
{
	const char *doc =
		"{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\ud83d\\ude00\"],"
		"\"b\":{\"c\":\"caf\xc3\xa9\"}}";
	size_t len = strlen(doc), i;
	struct json_val v;

	CHECK(parse(doc) == 0);
	for (i = 0; i < len; i++) {
		char *p = exact(doc, i);

		if (json_parse(p, i, &v) != -1) {
			fprintf(stderr, "  prefix of %zu bytes accepted\n", i);
			unit_failed_checks++;
		}
		free(p);
	}
}

static void test_podman_containers_json(void)
{
	size_t len, pos = 0;
	char *doc = read_file(FIXTURES "/runtimes/storage/overlay-containers/"
			      "containers.json", &len);
	struct json_val root, e, md, mroot;
	char id[65], name[128], meta[512], image[64];
	int n = 0;

	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK(json_parse(doc, len, &root) == 0 && root.type == JSON_ARRAY);
	while (json_array_next(&root, &pos, &e) == 1) {
		CHECK(json_find_string(&e, PATH("id"), id, sizeof(id)) == 1);
		CHECK(json_find_string(&e, PATH("names", "[0]"), name,
				       sizeof(name)) == 1);
		CHECK(json_find(&e, PATH("metadata"), &md) == 1);
		CHECK(json_string(&md, meta, sizeof(meta)) == 0);
		CHECK(json_parse(meta, strlen(meta), &mroot) == 0);
		CHECK(json_find_string(&mroot, PATH("image-name"), image,
				       sizeof(image)) == 1);
		if (n == 0) {
			CHECK_STR(id, "926d8cc2aef7b8aca593ec96ed5aa64e"
				  "56bc30daa40188f4b71f2316fde6fd21");
			CHECK_STR(name, "test-trace-tcp");
			CHECK_STR(image, "localhost/bbtest:latest");
		}
		n++;
	}
	CHECK(n == 3);
	free(doc);
}

/* Flip, drop and insert bytes at random: never a crash or an overread. */
static void test_corruption(void)
{
	static const char alphabet[] = "{}[]\",:\\u0aZ \xc3\xed\xff";
	size_t len, i;
	char *doc = read_file(FIXTURES "/runtimes/storage/overlay-containers/"
			      "containers.json", &len);
	unsigned int seed = 12345;
	char out[128];

	CHECK(doc != NULL);
	if (!doc)
		return;
	for (i = 0; i < 3000; i++) {
		char *p = exact(doc, len);
		size_t n = len, k, at;
		struct json_val root, e;

		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			if (k % 2)	/* cut */
				n = at + (seed >> 8) % (n - at) + 1;
			else
				p[at] = alphabet[(seed >> 8) %
						 (sizeof(alphabet) - 1)];
		}
		if (json_parse(p, n, &root) == 0) {
			size_t pos = 0;

			while (json_array_next(&root, &pos, &e) == 1) {
				json_find_string(&e, PATH("names", "[0]"),
						 out, sizeof(out));
				json_find_string(&e, PATH("metadata"), out,
						 sizeof(out));
			}
		}
		free(p);
	}
	free(doc);
}

int main(void)
{
	RUN(test_grammar);
	RUN(test_escapes_utf8);
	RUN(test_lookup);
	RUN(test_lookup_skips_values);
	RUN(test_arrays);
	RUN(test_depth);
	RUN(test_truncation);
	RUN(test_podman_containers_json);
	RUN(test_corruption);
	UNIT_EXIT();
}
