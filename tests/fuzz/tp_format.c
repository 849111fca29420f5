// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: a tracefs event's format file, then a look-up of every
 * field it gave and of one it cannot have. */
#include <stdint.h>

#include "kernel/tp_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_format fmt;
	struct tt_err err;

	if (tp_format_parse((const char *)data, size, &fmt, &err))
		return 0;
	for (unsigned int i = 0; i < fmt.nfields; i++)
		if (tp_format_field(&fmt, fmt.fields[i].name) != &fmt.fields[i])
			__builtin_trap();	/* a name given twice */
	tp_format_field(&fmt, "no such field, longer than any field name");
	return 0;
}
