/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What trace_tcp tells on stderr about a run: with -v, how it started;
 * at the end, how many events were printed and every one lost, by cause.
 */
#ifndef TT_APP_REPORT_H
#define TT_APP_REPORT_H

#include "app/session.h"
#include "output/writer.h"

/* -v: stale kprobes removed, start-up time per phase, how kernel structs
 * are read, the in-kernel filter's size, what is attached. */
void report_start(const struct session *s);

/* The totals line, and a line for each cause of loss; with verbose,
 * each program's statistics, the sockets table's books and the events
 * the in-kernel filters kept from the ring first; with
 * container_filter, the events hidden in the kernel. Call after
 * the programs are detached and before session_stop. */
void report_end(const struct session *s, const struct event_writer *w,
		int verbose, int container_filter);

#endif
