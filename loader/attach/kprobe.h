/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kprobes through tracefs: an event written to kprobe_events, attached
 * like a tracepoint (perf_event.h), removed on every exit path.
 */
#ifndef TT_ATTACH_KPROBE_H
#define TT_ATTACH_KPROBE_H

#include <stddef.h>

#include "common/err.h"
#include "kernel/tracefs.h"

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
