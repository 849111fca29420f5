// SPDX-License-Identifier: GPL-2.0-only
/* filter/regex: a table of patterns and texts, every error, the caps,
 * texts that would make a backtracking matcher take forever, and the
 * verdicts of many random patterns on random texts against the host C
 * library's regcomp/regexec (the unit tests run on glibc). */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "filter/regex.h"
#include "unit.h"

/* 1 or 0, or -1 if the pattern does not compile. */
static int search(const char *pattern, const char *text)
{
	struct tt_regex re;
	struct tt_err err;
	int verdict;

	if (tt_regex_compile(&re, pattern, &err)) {
		fprintf(stderr, "  %s\n", err.msg);
		return -1;
	}
	verdict = tt_regex_search(&re, text, strlen(text));
	tt_regex_free(&re);
	return verdict;
}

/* The error of a pattern that must not compile. */
static const char *compile_error(const char *pattern)
{
	static struct tt_err err;
	struct tt_regex re;

	if (!tt_regex_compile(&re, pattern, &err)) {
		tt_regex_free(&re);
		return "(compiled)";
	}
	CHECK(!re.program);
	return err.msg;
}

static const struct {
	const char *pattern, *text;
	int match;
} table[] = {
	{ "", "", 1 }, { "", "abc", 1 }, { "a", "", 0 },
	{ "b", "abc", 1 }, { "d", "abc", 0 }, { "bc", "abc", 1 },
	{ "ac", "abc", 0 }, { ".", "", 0 }, { ".", "x", 1 },
	{ "a.c", "abc", 1 }, { "a.c", "ac", 0 }, { ".", "\n", 1 },
	{ "\xe9", "caf\xe9", 1 }, { "[\xe0-\xef]", "caf\xe9", 1 },
	/* anchors */
	{ "^a", "ab", 1 }, { "^b", "ab", 0 }, { "b$", "ab", 1 },
	{ "a$", "ab", 0 }, { "^$", "", 1 }, { "^$", "a", 0 },
	{ "^ab$", "ab", 1 }, { "^ab$", "abb", 0 }, { "(^a|b$)", "cb", 1 },
	{ "(^a|b$)", "ca", 0 }, { "(^a|b$)", "ac", 1 }, { "a^b", "a^b", 0 },
	{ "a$b", "a$b", 0 }, { "x|^$", "", 1 }, { "(^)*a", "ba", 1 },
	{ "^*", "", -1 }, { "^^a", "a", 1 }, { "a$$", "a", 1 },
	{ "(a|^)b", "b", 1 }, { "(a|^)b", "cb", 0 }, { "(a|^)b", "cab", 1 },
	{ "b(c|$)", "ab", 1 }, { "b(c|$)", "abd", 0 },
	/* alternation and grouping */
	{ "a|b", "b", 1 }, { "a|b", "c", 0 }, { "ab|cd", "xcd", 1 },
	{ "ab|cd", "ac", 0 }, { "(a|b)c", "bc", 1 }, { "(a|b)c", "ab", 0 },
	{ "()", "", 1 }, { "a||b", "c", 1 }, { "(|a)b", "b", 1 },
	{ "a|", "x", 1 }, { "((a))", "a", 1 }, { "(a)(b)", "ab", 1 },
	{ "a)", "a)", 1 }, { "a)", "a", 0 }, { ")", ")", 1 },
	/* repetition */
	{ "ab*c", "ac", 1 }, { "ab*c", "abbbc", 1 }, { "ab+c", "ac", 0 },
	{ "ab+c", "abbc", 1 }, { "ab?c", "abc", 1 }, { "ab?c", "abbc", 0 },
	{ "^a{2}$", "aa", 1 }, { "^a{2}$", "a", 0 }, { "^a{2}$", "aaa", 0 },
	{ "^a{2,}$", "a", 0 }, { "^a{2,}$", "aaaaa", 1 },
	{ "^a{1,3}$", "", 0 }, { "^a{1,3}$", "aaa", 1 },
	{ "^a{1,3}$", "aaaa", 0 }, { "^a{0}$", "", 1 }, { "^a{0}$", "a", 0 },
	{ "^a{0,1}$", "", 1 }, { "^(ab){2}$", "abab", 1 },
	{ "^(ab){2}$", "ab", 0 }, { "^(a|bc){2,3}$", "bcabc", 1 },
	{ "^(a|bc){2,3}$", "bcabca", 0 }, { "a**", "b", 1 },
	{ "^a+*$", "aaa", 1 }, { "^a{2}{3}$", "aaaaaa", 1 },
	{ "^a{2}{3}$", "aaaaa", 0 }, { "^(a*)*$", "aaa", 1 },
	{ "^(a*)+b$", "aab", 1 }, { "^(a?){3}a{3}$", "aaa", 1 },
	{ "^()*$", "", 1 }, { "^(){3}a$", "a", 1 }, { "^(|a)+$", "aa", 1 },
	{ "^a{255}$", "a", 0 }, { "a}", "a}", 1 }, { "]", "]", 1 },
	/* where glibc says 1: the anchor must hold at each copy */
	{ "(.$){3}", "abc", 0 }, { "(^b){2}", "bb", 0 },
	{ "(^b){2}", "b", 0 }, { "(.$){1}", "abc", 1 },
	/* bracket expressions */
	{ "[abc]", "xbx", 1 }, { "[abc]", "xyz", 0 }, { "[^abc]", "abc", 0 },
	{ "[^abc]", "abd", 1 }, { "^[a-c]+$", "cab", 1 },
	{ "^[a-c]+$", "cad", 0 }, { "[]a]", "]", 1 }, { "[]a]", "b", 0 },
	{ "[^]a]", "]", 0 }, { "[^]a]", "b", 1 }, { "[a-]", "-", 1 },
	{ "[-a]", "-", 1 }, { "[^-a]", "-", 0 }, { "[!--]", ",", 1 },
	{ "[--/]", ".", 1 }, { "[\\]", "\\", 1 }, { "[\\n]", "n", 1 },
	{ "[.]", "a", 0 }, { "[*+?{|()$^]", "|", 1 }, { "[a^]", "^", 1 },
	{ "[[]", "[", 1 }, { "[a[]", "[", 1 }, { "[[:alpha:]]", "1_", 0 },
	{ "[[:alpha:]]", "1x", 1 }, { "^[[:digit:]]+$", "0129", 1 },
	{ "^[[:digit:]]+$", "01a", 0 }, { "[[:alnum:]]", "-_", 0 },
	{ "[[:upper:]]", "abC", 1 }, { "[[:upper:]]", "abc", 0 },
	{ "[[:lower:]]", "ABC", 0 }, { "[[:space:]]", "a\tb", 1 },
	{ "[[:space:]]", "ab", 0 }, { "[[:punct:]]", "a.b", 1 },
	{ "[[:punct:]]", "a b", 0 }, { "^[[:xdigit:]]+$", "09afAF", 1 },
	{ "[[:xdigit:]]", "g", 0 }, { "[[:print:]]", " ", 1 },
	{ "[[:print:]]", "\t", 0 }, { "[[:graph:]]", " ", 0 },
	{ "[[:cntrl:]]", "\x7f", 1 }, { "[[:cntrl:]]", "a", 0 },
	{ "[[:blank:]]", "\t", 1 }, { "[[:blank:]]", "\n", 0 },
	{ "[^[:digit:]]", "123", 0 }, { "[^[:digit:]x]", "12x", 0 },
	{ "[[:digit:]a-c]", "b", 1 }, { "[[:alpha:]]", "\xe9", 0 },
	/* escapes */
	{ "\\.", "a", 0 }, { "\\.", ".", 1 }, { "a\\*", "a*", 1 },
	{ "a\\*", "aa", 0 }, { "\\\\", "\\", 1 }, { "\\(\\)", "()", 1 },
	{ "\\[a]", "[a]", 1 }, { "\\{1}", "{1}", 1 }, { "\\^a", "^a", 1 },
	{ "a\\$", "a$", 1 }, { "\\|", "|", 1 }, { "\\+\\?", "+?", 1 },
	{ "^fe80\\:\\:", "fe80::1", 1 }, { "a\\-b", "a-b", 1 },
	{ "\\/\\,\\}\\]", "/,}]", 1 }, { "\\~", "a", 0 },
	/* the texts trace_tcp gives it */
	{ "^1\\.2\\.", "1.2.3.4", 1 }, { "^10\\.", "110.0.0.1", 0 },
	{ "^2001:db8::1$", "2001:db8::1", 1 }, { "^c.*l$", "curl", 1 },
	{ "^(nginx|envoy)-[0-9a-f]{8}$", "envoy-0123abcd", 1 },
	{ "^(nginx|envoy)-[0-9a-f]{8}$", "envoy-0123abc", 0 },
	{ "^ECONN(REFUSED|RESET)$", "ECONNRESET", 1 },
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		int got = search(table[i].pattern, table[i].text);

		if (got != table[i].match) {
			fprintf(stderr, "  /%s/ on \"%s\": %d, not %d\n",
				table[i].pattern, table[i].text, got,
				table[i].match);
			unit_failed_checks++;
		}
	}
}

/* The text is len bytes, not a string: a NUL is a byte like others. */
static void test_length(void)
{
	struct tt_regex re;
	struct tt_err err;

	CHECK(!tt_regex_compile(&re, "^a.b$", &err));
	CHECK(tt_regex_search(&re, "a\0b", 3));
	CHECK(!tt_regex_search(&re, "a\0bc", 4));
	CHECK(tt_regex_search(&re, "axbc", 3));
	tt_regex_free(&re);
	CHECK(!re.program);
	tt_regex_free(&re);	/* twice is harmless */
	re.program = NULL;
	CHECK(!tt_regex_search(&re, "a", 1));	/* no program: no match */
}

#define ERROR(pattern, why)                                               \
	CHECK_STR(compile_error(pattern),                                 \
		  why " in regular expression \"" pattern "\"")

static void test_errors(void)
{
	char long_pattern[TT_REGEX_PATTERN_MAX + 1];

	ERROR("(ab", "unbalanced (");
	ERROR("a(b|(c)", "unbalanced (");
	ERROR("[ab", "unbalanced [");
	ERROR("[]", "unbalanced [");
	ERROR("[^]", "unbalanced [");
	ERROR("[[:alpha:]", "unbalanced [");
	ERROR("*a", "* with nothing to repeat");
	ERROR("+", "+ with nothing to repeat");
	ERROR("a|?", "? with nothing to repeat");
	ERROR("(*a)", "* with nothing to repeat");
	ERROR("{1}", "{ with nothing to repeat");
	ERROR("^*", "* after an anchor (^ or $)");
	ERROR("a$+", "+ after an anchor (^ or $)");
	ERROR("a{", "bad repetition: {m}, {m,} or {m,n} (\\{ is a brace)");
	ERROR("a{x}", "bad repetition: {m}, {m,} or {m,n} (\\{ is a brace)");
	ERROR("a{,2}", "bad repetition: {m}, {m,} or {m,n} (\\{ is a brace)");
	ERROR("a{1,2", "bad repetition: {m}, {m,} or {m,n} (\\{ is a brace)");
	ERROR("a{1a}", "bad repetition: {m}, {m,} or {m,n} (\\{ is a brace)");
	ERROR("a{256}", "repetition count over 255");
	ERROR("a{1,256}", "repetition count over 255");
	ERROR("a{99999999999}", "repetition count over 255");
	ERROR("a{3,2}", "repetition {3,2} counting down");
	ERROR("a\\", "trailing \\");
	ERROR("(a)\\1", "back-reference \\1 (not supported)");
	ERROR("\\d", "unknown escape \\d (a \\ makes any punctuation "
	      "but <>`' itself)");
	ERROR("a\\w", "unknown escape \\w (a \\ makes any punctuation "
	      "but <>`' itself)");
	ERROR("\\<a", "unknown escape \\< (a \\ makes any punctuation "
	      "but <>`' itself)");
	ERROR("\\'", "unknown escape \\' (a \\ makes any punctuation "
	      "but <>`' itself)");
	ERROR("\\\t", "unknown escape \\\t (a \\ makes any punctuation "
	      "but <>`' itself)");
	ERROR("[[:foo:]]", "unknown class [:foo:]");
	ERROR("[[:alpha]", "unterminated [: (a class is [:alpha:])");
	ERROR("[[.a.]]", "collating element or equivalence class [. "
	      "(not supported)");
	ERROR("[[=a=]]", "collating element or equivalence class [= "
	      "(not supported)");
	ERROR("[z-a]", "backward range z-a");
	ERROR("[a-[:digit:]]", "range ending in a class");
	ERROR("[a-c-e]", "- inside a bracket expression (put it first or "
	      "last)");
	ERROR("[[:digit:]-z]", "- inside a bracket expression (put it "
	      "first or last)");
	ERROR("a{255}{255}", "program over 2048 instructions (repetitions "
	      "written out)");
	ERROR("(((a|b){10}){10}){10}", "program over 2048 instructions "
	      "(repetitions written out)");

	memset(long_pattern, 'a', TT_REGEX_PATTERN_MAX);
	long_pattern[TT_REGEX_PATTERN_MAX] = '\0';
	CHECK_STR(compile_error(long_pattern),
		  "regular expression of more than 511 bytes");
	long_pattern[TT_REGEX_PATTERN_MAX - 1] = '\0';
	CHECK(search(long_pattern, "a") == 0);
}

/* Patterns near and at the caps that compile, and repetitions of the
 * empty text that write nothing out however deep. */
static void test_caps(void)
{
	char text[300];

	memset(text, 'a', 255);
	text[255] = '\0';
	CHECK(search("^a{255}$", text) == 1);
	CHECK(search("^a{254}$", text) == 0);
	CHECK(search("^a{1,255}$", text) == 1);
	CHECK(search("^(a{255}){1,6}$", text) == 1);
	CHECK(search("^(){255}{255}{255}{255}a", "a") == 1);
	CHECK(search("^(a{0}){255}{255}{255}$", "") == 1);
	CHECK(search("^(a{0,0}b{0}){255}{255}{255}x", "x") == 1);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Patterns that take a backtracking matcher exponential time, on
 * 10,000 bytes: they must take about as long as any other. */
static void test_pathological(void)
{
	static const struct {
		const char *pattern;
		int match;
	} slow[] = {
		{ "(a*)*b", 0 }, { "(a|aa)*c", 0 }, { "(a+)+$", 1 },
		{ "^(a|a?)+b", 0 }, { "(a*)*(a*)*(a*)*x", 0 },
		{ "^((a|aa|aaa){1,10}){1,10}b", 0 },
		{ "(.*a){20}", 1 }, { "(.*){10}b", 0 },
	};
	static char text[10001];
	struct timespec start;

	memset(text, 'a', sizeof(text) - 1);
	for (size_t i = 0; i < sizeof(slow) / sizeof(*slow); i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		CHECK(search(slow[i].pattern, text) == slow[i].match);
		if (seconds_since(&start) > 2) {
			fprintf(stderr, "  /%s/ took %.1f s\n",
				slow[i].pattern, seconds_since(&start));
			unit_failed_checks++;
		}
	}
}

/* A fixed sequence of pseudo-random numbers (xorshift). */
static uint32_t seed = 2463534242u;

static unsigned int pick(unsigned int n)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed % n;
}

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len + strlen(s) < size)
		strcpy(buf + len, s);
}

static void random_bracket(char *buf, size_t size)
{
	static const char *items[] = {
		"a", "b", "c", "-", "]", "^", "[", ".", "*", "a-c", "b-b",
		"[:alpha:]", "[:digit:]", "[:upper:]", "[:punct:]",
		"[:space:]", "[:alnum:]", "[:xdigit:]", "[:lower:]",
		"[:print:]", "[:graph:]", "[:cntrl:]", "[:blank:]", "!--",
		"]-a", "c-a", "[.a.]",
	};
	unsigned int n = 1 + pick(3);

	append(buf, size, pick(3) ? "[" : "[^");
	while (n--)
		append(buf, size, items[pick(sizeof(items) / sizeof(*items))]);
	append(buf, size, "]");
}

static void random_repetition(char *buf, size_t size)
{
	static const char *ops[] = {
		"*", "+", "?", "{0}", "{1}", "{2}", "{0,}", "{1,}", "{0,1}",
		"{1,2}", "{2,3}", "{0,2}", "{3}", "{2,1}", "{,2}", "{",
	};

	append(buf, size, ops[pick(sizeof(ops) / sizeof(*ops))]);
}

/* A pattern from the grammar, mostly valid, depth levels of groups. */
static void random_pattern(char *buf, size_t size, int depth)
{
	unsigned int pieces = pick(4);

	for (unsigned int i = 0; i < pieces; i++) {
		switch (pick(depth > 0 ? 12 : 10)) {
		case 0:
		case 1:
		case 2:
			append(buf, size, pick(2) ? "a" : "b");
			break;
		case 3:
			append(buf, size, pick(4) ? "." : "c");
			break;
		case 4:
			random_bracket(buf, size);
			break;
		case 5:
			append(buf, size, pick(2) ? "^" : "$");
			break;
		case 6:
			append(buf, size, "|");
			break;
		case 7:
			random_repetition(buf, size);
			break;
		case 8:
			append(buf, size, pick(3) ? "\\." : "\\*");
			break;
		case 9:
			append(buf, size, pick(2) ? ")" : "-");
			break;
		default:
			append(buf, size, "(");
			random_pattern(buf, size, depth - 1);
			append(buf, size, pick(8) ? ")" : "");
			break;
		}
		if (!pick(3))
			random_repetition(buf, size);
	}
}

/* Up to 8 bytes of the syntax's, mostly not a pattern at all. */
static void random_bytes(char *buf)
{
	static const char bytes[] = "ab.*+?|()[]^${}\\-:,<12";
	unsigned int len = 1 + pick(8);

	for (unsigned int i = 0; i < len; i++)
		buf[i] = bytes[pick(sizeof(bytes) - 1)];
	buf[len] = '\0';
}

/* glibc's regcomp takes minutes on some patterns with several counted
 * repetitions nested, ((|^)+\.{0,2}){3}{2,3}: at most two of them. */
static void random_pattern_for_libc(char *buf, size_t size)
{
	unsigned int intervals;

	do {
		buf[0] = '\0';
		if (pick(4))
			random_pattern(buf, size, 3);
		else
			random_bytes(buf);
		intervals = 0;
		for (const char *p = buf; (p = strchr(p, '{')); p++)
			intervals++;
	} while (intervals > 2);
}

static void random_text(char *buf, unsigned int max)
{
	static const char bytes[] = "aaabbbc-.*]^1A ";
	unsigned int len = pick(max + 1);

	for (unsigned int i = 0; i < len; i++)
		buf[i] = bytes[pick(sizeof(bytes) - 1)];
	buf[len] = '\0';
}

/* The end of the bracket expression at p, a valid one. */
static const char *bracket_end(const char *p)
{
	p += 1 + (p[1] == '^');
	p += *p == ']';
	while (*p != ']')
		p = p[0] == '[' && p[1] == ':' ? strstr(p, ":]") + 2 : p + 1;
	return p + 1;
}

/* Append to out the atom out + at (len bytes), m times, then (atom)?
 * n - m times or, for no n, (atom)*, all in a group. -1 if too long. */
static int write_repeat(char *out, size_t size, size_t at, int m, int n)
{
	char atom[1024];

	if (strlen(out + at) >= sizeof(atom))
		return -1;
	strcpy(atom, out + at);
	out[at] = '\0';
	append(out, size, "(");
	for (int i = 0; i < m; i++)
		append(out, size, atom);
	for (int i = m; i < (n < 0 ? m + 1 : n); i++) {
		append(out, size, "(");
		append(out, size, atom);
		append(out, size, n < 0 ? ")*" : ")?");
	}
	append(out, size, ")");
	return strlen(out) + 1 >= size ? -1 : 0;
}

/* Pattern, one that compiles, with every {m}, {m,}, {m,n} written out,
 * into out; -1 if it does not fit. glibc gets some counted repetitions
 * wrong, (.$){3} matching "abc", but not their written-out forms. */
static int write_out(const char *p, char *out, size_t size)
{
	size_t at = 0, group_at[TT_REGEX_PATTERN_MAX], depth = 0;
	const char *end;

	out[0] = '\0';
	while (*p) {
		char *stop;
		int m, n;

		if (*p == '{') {
			m = (int)strtol(p + 1, &stop, 10);
			n = *stop == ',' ? (stop[1] == '}' ? -1 :
				(int)strtol(stop + 1, &stop, 10)) : m;
			if (write_repeat(out, size, at, m, n))
				return -1;
			p = strchr(p, '}') + 1;
			continue;
		}
		end = p + 1;
		if (*p == '\\')
			end = p + 2;
		else if (*p == '[')
			end = bracket_end(p);
		if (*p == '(') {
			group_at[depth++] = strlen(out);
		} else if (*p == ')' && depth) {
			at = group_at[--depth];
		} else if (!strchr("*+?|", *p)) {
			at = strlen(out);
			if (*p == ')')	/* a literal one */
				append(out, size, "\\");
		}
		if (strlen(out) + (size_t)(end - p) >= size)
			return -1;
		strncat(out, p, (size_t)(end - p));
		p = end;
	}
	return 0;
}

#define RANDOM_PATTERNS 30000
#define RANDOM_TEXTS 40

/* glibc's verdict on the pattern with its repetitions written out. */
static int libc_written_out(const char *pattern, const char *text)
{
	char out[4096];
	regex_t libc;
	int verdict;

	if (write_out(pattern, out, sizeof(out)) ||
	    regcomp(&libc, out, REG_EXTENDED | REG_NOSUB))
		return -1;
	verdict = !regexec(&libc, text, 0, NULL, 0);
	regfree(&libc);
	return verdict;
}

/* Every pattern both accept must give glibc's verdict on every text,
 * or, where glibc gets a counted repetition wrong, its verdict on the
 * pattern written out. */
static void test_against_libc(void)
{
	unsigned int both = 0, libc_only = 0, ours_only = 0, disagree = 0;
	unsigned int libc_wrong = 0;
	unsigned long verdicts = 0;
	char pattern[200], text[16];

	for (int i = 0; i < RANDOM_PATTERNS; i++) {
		struct tt_regex ours;
		struct tt_err err;
		regex_t libc;
		int libc_ok, ours_ok;

		random_pattern_for_libc(pattern, sizeof(pattern));
		libc_ok = !regcomp(&libc, pattern, REG_EXTENDED | REG_NOSUB);
		ours_ok = !tt_regex_compile(&ours, pattern, &err);
		libc_only += libc_ok && !ours_ok;
		ours_only += ours_ok && !libc_ok;
		if (libc_ok && ours_ok) {
			both++;
			for (int t = 0; t < RANDOM_TEXTS; t++) {
				int want, got;

				random_text(text, t < 2 ? t : 10);
				want = !regexec(&libc, text, 0, NULL, 0);
				got = tt_regex_search(&ours, text,
						      strlen(text));
				verdicts++;
				if (want == got)
					continue;
				if (strchr(pattern, '{') && libc_written_out(
					pattern, text) == got) {
					if (libc_wrong++ < 3)
						fprintf(stderr, "  glibc wrong:"
							" /%s/ on \"%s\": %d\n",
							pattern, text, want);
					continue;
				}
				if (disagree++ < 10)
					fprintf(stderr, "  /%s/ on \"%s\": "
						"%d, glibc %d\n", pattern,
						text, got, want);
			}
		}
		if (libc_ok)
			regfree(&libc);
		if (ours_ok)
			tt_regex_free(&ours);
	}
	fprintf(stderr, "  %d random patterns: %u compiled by both (%lu "
		"verdicts), %u by glibc only, %u by ours only; %u "
		"disagreements, %u more where glibc's verdict on the "
		"pattern written out is ours\n", RANDOM_PATTERNS, both,
		verdicts, libc_only, ours_only, disagree, libc_wrong);
	CHECK(disagree == 0);
	CHECK(ours_only == 0);
	CHECK(both > RANDOM_PATTERNS / 4);
}

int main(void)
{
	RUN(test_table);
	RUN(test_length);
	RUN(test_errors);
	RUN(test_caps);
	RUN(test_pathological);
	RUN(test_against_libc);
	UNIT_EXIT();
}
