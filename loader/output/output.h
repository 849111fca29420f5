/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turning a struct tt_event into text: one JSON object per line with
 * Inspektor Gadget's trace_tcp key names (json.c), or aligned columns
 * (columns.c).
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>

#include "containers/runtime_state.h"
#include "trace_tcp.h"

enum output_mode { OUTPUT_COLUMNS, OUTPUT_JSON };

/*
 * Format one event into buf, NUL-terminated, without a trailing newline.
 * container is the event's container, NULL for the host.
 * realtime_offset_ns is added to the event's CLOCK_MONOTONIC timestamp to
 * get wall-clock nanoseconds since the epoch. Returns the length written
 * (excluding the NUL), or -1 if buf is too small.
 */
int output_format_json(const struct tt_event *e,
		       const struct container_info *container,
		       long long realtime_offset_ns, char *buf, size_t buflen);
int output_format_columns(const struct tt_event *e,
			  const struct container_info *container, char *buf,
			  size_t buflen);

/* The column titles, aligned like output_format_columns() lines. */
const char *output_columns_header(void);

#endif
