// SPDX-License-Identifier: GPL-2.0-only
/* Attaching to a tracefs event through perf_event_open (see perf_event.h). */
#include "attach/perf_event.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/err.h"
#include "kernel/bpf_syscall.h"

int attach_perf_event(int event_id, int prog_fd, struct tt_err *err)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = (unsigned long long)event_id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* One event on CPU 0 suffices: the program hangs off the tracepoint
	 * itself and runs wherever it fires. */
	fd = perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		return tt_fail(err, "perf_event_open: %s", strerror(errno));
	}
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		tt_fail(err, "attaching the program: %s",
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int attach_tracepoint(const struct tracefs *t, const char *event, int prog_fd,
		      struct tt_err *err)
{
	int id = tracefs_event_id(t, event);

	if (id < 0) {
		return tt_fail(err, "tracepoint %s does not exist", event);
	}
	return attach_perf_event(id, prog_fd, err);
}
