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

/* The end of a document, where a joint starts or ends (document.c). */
#define DOCUMENT_EDGE FIELD_COUNT
#define DOCUMENT_JOINT_BYTES 4096
#define DOCUMENT_MAY_BE_ABSENT (1 << 0)	/* field_always_present() not */
#define DOCUMENT_FREE_TEXT (1 << 1)	/* field_is_free_text() */
#define DOCUMENT_CONTAINER (1 << 2)	/* field_of_container() */

/*
 * A document's style and keys, and the joints between its values: the
 * bytes between two values (a closing quote, objects closed, a comma,
 * objects opened, the next key) depend only on the two fields, so each
 * pair's are made once, when first needed, and copied after that.
 */
struct document_form {
	enum output_mode style;
	unsigned int nfields;
	struct {
		unsigned char id;	/* enum field_id */
		unsigned char flags;	/* DOCUMENT_* */
	} fields[FIELD_COUNT];		/* the keys, in order */
	/* Where a joint is in bytes, plus one (0: not made yet), and its
	 * length; by the fields before and after it. */
	unsigned short joint_at[FIELD_COUNT + 1][FIELD_COUNT + 1];
	unsigned char joint_len[FIELD_COUNT + 1][FIELD_COUNT + 1];
	unsigned int used;
	char bytes[DOCUMENT_JOINT_BYTES];
};

/* A form for style, printing the keys in the mask (1 << enum field_id). */
void document_form_init(struct document_form *form, enum output_mode style,
			uint64_t keys);

/*
 * Format one event into buf, NUL-terminated, without a trailing newline:
 * the form's keys that the event has. Returns the length written
 * (excluding the NUL), or -1 if buf is too small.
 */
int output_format_document(struct document_form *form,
			   const struct field_event *fe, char *buf,
			   size_t buflen);

/* The selected columns of one event, likewise. */
int output_format_columns(const struct field_event *fe,
			  const struct field_selection *s, char *buf,
			  size_t buflen);

/* Their titles, aligned like the lines. */
int output_columns_header(const struct field_selection *s, char *buf,
			  size_t buflen);

#endif
