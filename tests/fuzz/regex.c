// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: a regular expression and a text (the input split at its
 * first NUL: the pattern before, the text after), compiled and searched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t pattern_len = nul ? (size_t)(nul - data) : size;
	char *pattern = malloc(pattern_len + 1);
	struct tt_regex re;
	struct tt_err err;

	if (!pattern)
		return 0;
	memcpy(pattern, data, pattern_len);
	pattern[pattern_len] = '\0';
	if (tt_regex_compile(&re, pattern, &err) == 0) {
		const char *text = nul ? (const char *)nul + 1 : "";
		size_t text_len = nul ? size - pattern_len - 1 : 0;

		tt_regex_search(&re, text, text_len);
		tt_regex_free(&re);
	}
	free(pattern);
	return 0;
}
