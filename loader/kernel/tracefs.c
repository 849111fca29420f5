// SPDX-License-Identifier: GPL-2.0-only
/* tracefs (see tracefs.h). */
#include "kernel/tracefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",	/* kernels before 4.1 mount it here */
};

static int has_events(const char *root)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/events", root);
	return access(path, R_OK) == 0;
}

static int use_root(struct tracefs *t, const char *root)
{
	snprintf(t->root, sizeof(t->root), "%s", root);
	return 0;
}

int tracefs_open(struct tracefs *t, struct tt_err *err)
{
	size_t nroots = sizeof(tracefs_roots) / sizeof(*tracefs_roots);

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < nroots; i++)
		if (has_events(tracefs_roots[i]))
			return use_root(t, tracefs_roots[i]);
	if (mount("nodev", tracefs_roots[0], "tracefs", 0, NULL) == 0 &&
	    has_events(tracefs_roots[0])) {
		t->mounted_by_us = 1;
		return use_root(t, tracefs_roots[0]);
	}
	tt_fail(err, "tracefs is not available: not mounted at %s and "
		"mounting it failed (%s); is CONFIG_TRACING enabled?",
		tracefs_roots[0], strerror(errno));
	return -1;
}

void tracefs_close(struct tracefs *t)
{
	if (t->mounted_by_us)
		umount2(t->root, MNT_DETACH);
	t->mounted_by_us = 0;
}

static void path_of(const struct tracefs *t, const char *rel, char *path,
		    size_t size)
{
	snprintf(path, size, "%s/%s", t->root, rel);
}

long tracefs_read(const struct tracefs *t, const char *rel, char *buf,
		  size_t size)
{
	char path[256];
	size_t total = 0;
	int fd;

	if (!size)
		return -1;
	path_of(t, rel, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (total < size - 1) {
		ssize_t n = read(fd, buf + total, size - 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	close(fd);
	buf[total] = '\0';
	return (long)total;
}

int tracefs_write(const struct tracefs *t, const char *rel, const char *text)
{
	char path[256];
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	path_of(t, rel, path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	if (n < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return (size_t)n == len ? 0 : -1;
}

int tracefs_exists(const struct tracefs *t, const char *rel)
{
	char path[256];

	path_of(t, rel, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int tracefs_event_id(const struct tracefs *t, const char *event)
{
	char rel[160], buf[32], *end;
	long id;

	snprintf(rel, sizeof(rel), "events/%s/id", tracefs_hook_event(event));
	if (tracefs_read(t, rel, buf, sizeof(buf)) <= 0)
		return -1;
	id = strtol(buf, &end, 10);
	if (end == buf || id < 0 || id > 0x7fffffff)
		return -1;
	return (int)id;
}

#if defined(TT_RAW_SYSCALLS) || defined(TT_RAW_SYSCALL_EXITS)
const char *tracefs_hook_event(const char *event)
{
#ifdef TT_RAW_SYSCALLS
	if (!strncmp(event, "syscalls/sys_enter_", 19))
		return "raw_syscalls/sys_enter";
#endif
	if (!strncmp(event, "syscalls/sys_exit_", 18))
		return "raw_syscalls/sys_exit";
	return event;
}
#endif
