// SPDX-License-Identifier: GPL-2.0-only
/* Time-ordering a drained batch (see event_batch.h). */
#include "read/event_batch.h"

#include <string.h>

int event_batch_add(struct event_batch *b, const void *data, size_t size)
{
	if (b->count == EVENT_BATCH_MAX)
		return -1;
	if (size >= sizeof(b->events[0])) {
		memcpy(&b->events[b->count], data, sizeof(b->events[0]));
	} else {
		memset(&b->events[b->count], 0, sizeof(b->events[0]));
		memcpy(&b->events[b->count], data, size);
	}
	b->order[b->count] = &b->events[b->count];
	b->count++;
	return 0;
}

/* Insertion sort of pointers: the batch is a few sorted runs (one per
 * CPU), mostly in order already, and it is stable. */
void event_batch_sort(struct event_batch *b)
{
	for (size_t i = 1; i < b->count; i++) {
		const struct tt_event *e = b->order[i];
		size_t j = i;

		while (j > 0 &&
		       b->order[j - 1]->timestamp_ns > e->timestamp_ns) {
			b->order[j] = b->order[j - 1];
			j--;
		}
		b->order[j] = e;
	}
}

void event_batch_touch(struct event_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void event_batch_clear(struct event_batch *b)
{
	b->count = 0;
}
