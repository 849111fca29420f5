// SPDX-License-Identifier: GPL-2.0-only
/* The running kernel's version (see version.h). */
#include "kernel/version.h"

#include <sys/utsname.h>

/* The leading "major.minor[.patch]" of a release string into v; returns
 * how many of the three were there (as sscanf "%u.%u.%u" would: scanf
 * costs the static binary 4 KB of code). */
static int parse_release(const char *s, unsigned int v[3])
{
	int n = 0;

	while (n < 3 && *s >= '0' && *s <= '9') {
		v[n] = 0;
		while (*s >= '0' && *s <= '9') {
			if (v[n] < 1000000)
				v[n] = v[n] * 10 + (unsigned int)(*s - '0');
			s++;
		}
		n++;
		if (*s != '.')
			break;
		s++;
	}
	return n;
}

unsigned int kernel_version(void)
{
	struct utsname u;
	unsigned int v[3] = { 0, 0, 0 };

	if (uname(&u) || parse_release(u.release, v) < 2)
		return 0;
	return KERNEL_VERSION(v[0], v[1], v[2] > 255 ? 255 : v[2]);
}
