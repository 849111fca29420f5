/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One drained batch of records, put back in time order. Each CPU's perf
 * ring is in order, but the rings are read one after the other, so a
 * connection's close on CPU 0 would otherwise print before its connect
 * on CPU 1. Sorting a batch (what arrived within one poll, at most 50 ms)
 * by the programs' timestamps fixes that for all but batch boundaries.
 */
#ifndef EVENT_BATCH_H
#define EVENT_BATCH_H

#include <stddef.h>

#include "trace_tcp.h"

#define EVENT_BATCH_MAX 1024

struct event_batch {
	size_t count;
	struct tt_event events[EVENT_BATCH_MAX];
	const struct tt_event *order[EVENT_BATCH_MAX];	/* after sorting */
};

/* Empty, with every page of it touched: the peak RSS of a run is then
 * reached at start, not with the first burst that fills the batch. */
void event_batch_touch(struct event_batch *b);
/* Copy one record in; 0, or -1 when the batch is full. */
int event_batch_add(struct event_batch *b, const void *data, size_t size);
/* Sort by timestamp (stable: records with equal ones keep their order)
 * into b->order[0..count). */
void event_batch_sort(struct event_batch *b);
void event_batch_clear(struct event_batch *b);

#endif
