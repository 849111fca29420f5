/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parser for a tracefs event description,
 * /sys/kernel/tracing/events/<sys>/<event>/format: the event id and the
 * offset/size of every field of the raw record.
 */
#ifndef TP_FORMAT_H
#define TP_FORMAT_H

#include <stddef.h>

#include "common/err.h"

#define TP_FIELD_NAME_MAX 32	/* including the terminating NUL */
#define TP_MAX_FIELDS 32

struct tp_field {
	char name[TP_FIELD_NAME_MAX];
	unsigned int offset, size;
	int is_signed;
};

struct tp_format {
	unsigned int id;
	unsigned int nfields;
	struct tp_field fields[TP_MAX_FIELDS];	/* common_* fields included */
};

/*
 * Parse the text of a format file (need not be NUL-terminated; nothing
 * past len is read). Returns 0 on success, -1 on malformed input with a
 * one-line reason in err (which may be NULL).
 */
int tp_format_parse(const char *text, size_t len, struct tp_format *out,
		    struct tt_err *err);

/* The field called name, or NULL if the event has none. */
const struct tp_field *tp_format_field(const struct tp_format *fmt,
				       const char *name);

#endif
