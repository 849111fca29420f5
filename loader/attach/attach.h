/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attachment: connecting a loaded program to a kernel hook.
 *   attach_tracepoint.c  perf_event_open(PERF_TYPE_TRACEPOINT) + SET_BPF
 *   attach_kprobe.c      kprobe_events in tracefs, then the same
 * Closing the returned perf fd detaches the program.
 */
#ifndef ATTACH_H
#define ATTACH_H

#include <stddef.h>

#include "common/err.h"
#include "kernel/tracefs.h"

/* Attach prog_fd to the tracefs event with this id; the perf fd or -1. */
int attach_perf_event(int event_id, int prog_fd, struct tt_err *err);

/* Attach to events/<event> ("sock/inet_sock_set_state"). */
int attach_tracepoint(const struct tracefs *t, const char *event, int prog_fd,
		      struct tt_err *err);

/* Our kprobe events are named trace_tcp_<pid>/<function>, so that a later
 * run can tell a dead run's probes from a live run's (or another tool's). */
#define KPROBE_GROUP_PREFIX "trace_tcp_"

/* "trace_tcp_<pid>/<function>": the tracefs event this process's kprobe
 * on function has (under events/). */
void kprobe_event_name(const char *function, char *name, size_t size);
/* Create the kprobe event for function in our group; its event id (to
 * pass to attach_perf_event), or -1 with err. */
int kprobe_create(const struct tracefs *t, const char *function,
		  struct tt_err *err);
/* Remove the kprobe event this process created for function (after the
 * perf fd attached to it was closed). */
int kprobe_remove(const struct tracefs *t, const char *function);
/* Remove kprobe events left by trace_tcp runs that no longer exist.
 * Returns how many were removed. */
int kprobe_remove_stale(const struct tracefs *t);

#endif
