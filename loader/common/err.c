// SPDX-License-Identifier: GPL-2.0-only
/* The error convention (see err.h). */
#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>

int tt_fail(struct tt_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
