/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UTF-8 as RFC 3629 has it: no overlong forms, no UTF-16 surrogates,
 * nothing past U+10FFFF. Shared by the JSON reader (state files) and the
 * JSON writer (names from them, and comm bytes).
 */
#ifndef TT_COMMON_UTF8_H
#define TT_COMMON_UTF8_H

#include <stddef.h>

/* The length of the well-formed sequence at s (lead byte >= 0x80) that
 * ends before e, with its code point in *cp (cp may be NULL); 0 if the
 * bytes there are not one. */
size_t utf8_sequence(const char *s, const char *e, unsigned int *cp);

#endif
