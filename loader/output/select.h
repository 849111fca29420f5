/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --fields: which fields are printed, as Inspektor Gadget spells it. A
 * plain list replaces the default columns (--fields=comm,pid,src); a list
 * whose first name starts with '+' or '-' edits them (--fields=-error,+uid).
 * A name is a field's path or alias, or an object (proc, runtime, k8s...)
 * for all of its fields. Columns come in the order given. JSON and YAML
 * keep their own order and print the keys chosen: a plain list's, or
 * all keys (their default) edited by the +/- names.
 */
#ifndef TT_OUTPUT_SELECT_H
#define TT_OUTPUT_SELECT_H

#include <stdint.h>

#include "common/err.h"
#include "output/field_table.h"

_Static_assert(FIELD_COUNT <= 64, "a field set is a 64-bit mask");

struct field_selection {
	unsigned char columns[FIELD_COUNT];	/* enum field_id, in order */
	unsigned int ncolumns;
	uint64_t keys;		/* JSON and YAML keys: 1 << enum field_id */
	int given;		/* --fields was used */
};

enum fields_default {
	FIELDS_LOCAL,		/* ig's columns: the container's name first */
	FIELDS_KUBERNETES,	/* kubectl gadget's: node, namespace, pod,
				 * container first */
};

/* The default: Inspektor Gadget's columns, every key. */
void field_selection_default(struct field_selection *s,
			     enum fields_default which);

/* Apply one --fields value. 0, or -1 with err (an unknown name: the line
 * lists the valid ones). */
int field_selection_parse(struct field_selection *s, const char *spec,
			  struct tt_err *err);

/* Does the output show field: a column, or (documents) a key? */
int field_selection_shows(const struct field_selection *s, int columns,
			  enum field_id field);

/* Every field's name, ", "-separated, into buf (for messages and --help);
 * truncated to fit. */
void field_names(char *buf, size_t buflen);

#endif
