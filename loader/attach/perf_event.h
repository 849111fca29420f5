/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attaching a loaded program to a tracefs event (a tracepoint, or a
 * kprobe event made by kprobe.c): perf_event_open(PERF_TYPE_TRACEPOINT)
 * on the event's id, then PERF_EVENT_IOC_SET_BPF. Closing the returned
 * perf fd detaches the program.
 */
#ifndef TT_ATTACH_PERF_EVENT_H
#define TT_ATTACH_PERF_EVENT_H

#include "common/err.h"
#include "kernel/tracefs.h"

/* Attach prog_fd to the tracefs event with this id; the perf fd or -1. */
int attach_perf_event(int event_id, int prog_fd, struct tt_err *err);

/* Attach to events/<event> ("sock/inet_sock_set_state"). */
int attach_tracepoint(const struct tracefs *t, const char *event, int prog_fd,
		      struct tt_err *err);

#endif
