// SPDX-License-Identifier: GPL-2.0-only
/* Fault injection for the test suite (see inject.h). */
#include "kernel/inject.h"

#include <stdlib.h>
#include <string.h>

int refusal_injected(const char *feature)
{
	const char *list = getenv("TRACE_TCP_REFUSE");
	size_t len = strlen(feature);

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t item = comma ? (size_t)(comma - list) : strlen(list);

		if (item == len && !strncmp(list, feature, len))
			return 1;
		list = comma ? comma + 1 : NULL;
	}
	return 0;
}
