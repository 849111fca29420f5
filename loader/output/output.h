/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turning an event into text: aligned columns (columns.c) or a document
 * with Inspektor Gadget's trace_tcp keys, as JSON on one line, indented
 * JSON or YAML (document.c). Both take their fields from the field table
 * (field_table.c), chosen by --fields (select.c).
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "output/field_table.h"

enum output_mode {
	OUTPUT_COLUMNS,
	OUTPUT_JSON,		/* one object per line */
	OUTPUT_JSONPRETTY,	/* indented, one object per event */
	OUTPUT_YAML,		/* one document per event, "---" first */
};

struct field_selection;

/*
 * Format one event into buf, NUL-terminated, without a trailing newline:
 * the keys in the mask (1 << enum field_id) that the event has. Returns
 * the length written (excluding the NUL), or -1 if buf is too small.
 */
int output_format_document(enum output_mode style,
			   const struct field_event *fe, uint64_t keys,
			   char *buf, size_t buflen);

/* The selected columns of one event, likewise. */
int output_format_columns(const struct field_event *fe,
			  const struct field_selection *s, char *buf,
			  size_t buflen);

/* Their titles, aligned like the lines. */
int output_columns_header(const struct field_selection *s, char *buf,
			  size_t buflen);

#endif
