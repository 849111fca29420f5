// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: a sysfs CPU list ("0-3,5,7-8"), the input cut at its
 * first NUL; the count it answers must be the CPUs it marked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char mask[MAX_CPUS];
	char *text = malloc(size + 1);
	int count, marked = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	count = cpus_parse(text, mask);
	for (int i = 0; i < MAX_CPUS; i++)
		marked += mask[i];
	if (count > 0 && (count != marked || cpus_span(mask) > MAX_CPUS))
		__builtin_trap();
	free(text);
	return 0;
}
