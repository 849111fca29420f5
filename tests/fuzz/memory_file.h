/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For targets whose parser reads a file by its path: the input as a
 * memory file (memfd), named by its /proc/self/fd path.
 */
#ifndef TT_FUZZ_MEMORY_FILE_H
#define TT_FUZZ_MEMORY_FILE_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* A new memory file: its fd, its path in path[len]; exits on failure. */
static inline int memory_file_open(const char *name, char *path, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd < 0) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* Make the file's content data[size]. */
static inline void memory_file_set(int fd, const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
}

#endif
