// SPDX-License-Identifier: GPL-2.0-only
/* CPU list parsing (see cpus.h). */
#include "kernel/cpus.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *parse_number(const char *p, int *value)
{
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v >= MAX_CPUS)
			return NULL;
	}
	*value = (int)v;
	return p;
}

int cpus_parse(const char *text, unsigned char *mask)
{
	const char *p = text;
	int count = 0;

	memset(mask, 0, MAX_CPUS);
	while (*p && *p != '\n') {
		int first, last;

		p = parse_number(p, &first);
		if (!p)
			return -1;
		last = first;
		if (*p == '-' && !(p = parse_number(p + 1, &last)))
			return -1;
		if (last < first)
			return -1;
		for (int cpu = first; cpu <= last; cpu++)
			if (!mask[cpu]) {
				mask[cpu] = 1;
				count++;
			}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -1;
	}
	return count > 0 ? count : -1;
}

int cpus_read(const char *which, unsigned char *mask)
{
	char path[64], text[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", which);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return cpus_parse(text, mask);
}

int cpus_span(const unsigned char *mask)
{
	for (int cpu = MAX_CPUS - 1; cpu >= 0; cpu--)
		if (mask[cpu])
			return cpu + 1;
	return 0;
}
