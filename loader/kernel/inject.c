// SPDX-License-Identifier: GPL-2.0-only
/* Fault injection for the test suite (see inject.h). */
#include "kernel/inject.h"

#include <stdlib.h>
#include <string.h>

/* 1 if the comma-separated list names feature. */
static int listed(const char *list, const char *feature)
{
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

int refusal_injected(const char *feature)
{
	return listed(getenv("TRACE_TCP_REFUSE"), feature);
}

int hiding_injected(const char *feature)
{
	return listed(getenv("TRACE_TCP_HIDE"), feature);
}

int fault_injected(const char *fault)
{
	return listed(getenv("TRACE_TCP_INJECT"), fault);
}
