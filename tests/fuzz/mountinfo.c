// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a mountinfo file, searched for the cgroup2 mount. The
 * bytes are a memory file read through its /proc/self/fd path; the
 * answer's buffer is 1 to 256 bytes (the first byte), so that mount
 * points that fit just and those that do not are both met.
 */
#include "memory_file.h"

#include <stdlib.h>
#include <string.h>

#include "containers/cgroup_fs.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fd = memory_file_open("mountinfo", path, sizeof(path));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t outlen;
	char *out;
	int found;

	if (size < 1)
		return 0;
	outlen = (size_t)data[0] + 1;
	memory_file_set(fd, data + 1, size - 1);
	out = malloc(outlen);
	if (!out)
		return 0;
	found = cgroup2_mount_point(path, out, outlen);
	if (found < 0 || (found == 1 && !memchr(out, '\0', outlen)))
		__builtin_trap();
	free(out);
	return 0;
}
