/* SPDX-License-Identifier: GPL-2.0-only */
/* Event fields as text, the same in JSON and in columns. */
#ifndef TT_OUTPUT_FIELDS_H
#define TT_OUTPUT_FIELDS_H

#include <stddef.h>

#include "output/text.h"
#include "trace_tcp.h"

/* "connect", "accept", "close"; "unknown" for anything else. */
void put_type(struct text *t, unsigned int type);

/* The errno name, nothing for success, "unknown" for TT_ERROR_UNKNOWN,
 * or the number when it has no name. */
void put_error(struct text *t, int err);

/* The length of a comm, which need not be NUL-terminated. */
size_t comm_length(const char comm[TT_COMM_LEN]);

/* RFC 3339 UTC with nanoseconds: 2026-11-25T01:02:03.123456789Z. */
void put_timestamp(struct text *t, long long ns_since_epoch);

#endif
