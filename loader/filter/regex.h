/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace_tcp's own POSIX extended regular expressions, for the filter's
 * ~ and !~: match or no match, somewhere in a text of bytes, in time
 * linear in the text whatever the pattern (the pattern becomes a small
 * program run as a set of states, one step per byte: no backtracking).
 *
 * Syntax, byte by byte (no locale; the classes are ASCII's):
 *   c          a byte that is not special: itself
 *   \c         a punctuation mark c (ASCII) as itself: \. \* \\ \-;
 *              \ before any other byte, or GNU's \< \> \` \', is an
 *              error (no back-references \1, no \d, no \w)
 *   .          any byte
 *   [...]      one byte of a set: bytes, ranges a-z (by byte value),
 *              classes [:alpha:] [:digit:] [:alnum:] [:upper:]
 *              [:lower:] [:space:] [:punct:] [:xdigit:] [:print:]
 *              [:graph:] [:cntrl:] [:blank:]; [^...] any byte not in
 *              it. ] first and - first or last are themselves; \ is
 *              itself. Collating elements [. .] and equivalence
 *              classes [= =] are rejected.
 *   ^ $        the start, the end of the text (anywhere: (^a|b$))
 *   (e)        grouping; () and empty alternatives match the empty text
 *   e|f        either
 *   e* e+ e?   0 or more, 1 or more, 0 or 1
 *   e{m} e{m,} e{m,n}  m times, m or more, m to n (at most
 *              TT_REGEX_REPEAT_MAX); after ^, $, (, | or at the start a
 *              repetition has nothing to repeat: an error
 * An unmatched ) is itself, as POSIX says.
 */
#ifndef TT_FILTER_REGEX_H
#define TT_FILTER_REGEX_H

#include <stddef.h>

#include "common/err.h"

#define TT_REGEX_PATTERN_MAX 512	/* bytes of a pattern */
#define TT_REGEX_REPEAT_MAX 255		/* m and n of {m,n} */
#define TT_REGEX_PROGRAM_MAX 2048	/* instructions, repetitions copied */

struct tt_regex_inst;

/* All zero is no program. */
struct tt_regex {
	struct tt_regex_inst *program;	/* then the byte sets */
	const unsigned char (*sets)[32];	/* a bit per byte */
	unsigned int length;		/* instructions */
};

/* Compile pattern into re. 0, or -1 with err saying what is wrong
 * (re is then empty). */
int tt_regex_compile(struct tt_regex *re, const char *pattern,
		     struct tt_err *err);

/* Does re match somewhere in the len bytes of text? 1 or 0. No
 * allocation. */
int tt_regex_search(const struct tt_regex *re, const char *text,
		    size_t len);

/* Free what tt_regex_compile allocated; re is then empty. */
void tt_regex_free(struct tt_regex *re);

#endif
