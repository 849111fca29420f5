// SPDX-License-Identifier: GPL-2.0-only
/* kprobes through tracefs kprobe_events (see kprobe.h). */
#include "attach/kprobe.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"

#define KPROBE_LIST_MAX (256 * 1024)

static void group_name(char *group, size_t size, long pid)
{
	snprintf(group, size, KPROBE_GROUP_PREFIX "%ld", pid);
}

void kprobe_event_name(const char *function, char *name, size_t size)
{
	char group[32];

	group_name(group, sizeof(group), (long)getpid());
	snprintf(name, size, "%s/%s", group, function);
}

int kprobe_create(const struct tracefs *t, const char *function,
		  struct tt_err *err)
{
	char group[32], line[160], event[160];
	int id;

	group_name(group, sizeof(group), (long)getpid());
	snprintf(line, sizeof(line), "p:%s/%s %s", group, function, function);
	if (tracefs_write(t, TRACEFS_KPROBE_EVENTS, line)) {
		return tt_fail(err, "cannot add a kprobe on %s: %s", function,
			       errno == ENOENT || errno == EINVAL
			       ? "no such probe-able kernel function"
			       : strerror(errno));
	}
	kprobe_event_name(function, event, sizeof(event));
	id = tracefs_event_id(t, event);
	if (id < 0) {
		tt_fail(err, "kprobe on %s has no event id", function);
		kprobe_remove(t, function);
	}
	return id;
}

int kprobe_remove(const struct tracefs *t, const char *function)
{
	char group[32], line[160];

	group_name(group, sizeof(group), (long)getpid());
	snprintf(line, sizeof(line), "-:%s/%s", group, function);
	return tracefs_write(t, TRACEFS_KPROBE_EVENTS, line);
}

/* From a kprobe_events line "p:GROUP/EVENT ...", the pid in our group
 * name, or -1 when the line is not one of ours. */
static long owner_pid(const char *line, char *event, size_t size)
{
	const char *group, *slash, *space;
	size_t prefix = strlen(KPROBE_GROUP_PREFIX);
	char *end;
	long pid;

	group = strchr(line, ':');
	if (!group || strncmp(group + 1, KPROBE_GROUP_PREFIX, prefix))
		return -1;
	group++;
	pid = strtol(group + prefix, &end, 10);
	slash = end;
	if (end == group + prefix || *slash != '/' || pid <= 0)
		return -1;
	space = strchr(slash, ' ');
	if (!space || (size_t)(space - group) >= size)
		return -1;
	memcpy(event, group, (size_t)(space - group));
	event[space - group] = '\0';
	return pid;
}

static int process_exists(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int kprobe_remove_stale(const struct tracefs *t)
{
	char *list = malloc(KPROBE_LIST_MAX), *line, *next;
	char event[160], cmd[168];
	int removed = 0;

	if (!list)
		return 0;
	if (tracefs_read(t, TRACEFS_KPROBE_EVENTS, list, KPROBE_LIST_MAX) < 0) {
		free(list);
		return 0;
	}
	for (line = list; line && *line; line = next) {
		long pid;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		pid = owner_pid(line, event, sizeof(event));
		if (pid < 0 || pid == (long)getpid() || process_exists(pid))
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s", event);
		if (tracefs_write(t, TRACEFS_KPROBE_EVENTS, cmd) == 0)
			removed++;
	}
	free(list);
	return removed;
}
