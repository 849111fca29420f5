// SPDX-License-Identifier: GPL-2.0-only
/* The running kernel's version (see kernel_version.h). */
#include "kernel_version.h"

#include <stdio.h>
#include <sys/utsname.h>

unsigned int kernel_version(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return KERNEL_VERSION(a, b, c > 255 ? 255 : c);
}
