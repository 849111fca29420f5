// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/read/event_batch.c: per-CPU runs merged in time
 * order. */
#include <string.h>

#include "read/event_batch.h"
#include "unit.h"

static struct event_batch batch;

static void add(unsigned long long ts, unsigned int tag)
{
	struct tt_event e;

	memset(&e, 0, sizeof(e));
	e.timestamp_ns = ts;
	e.pid = tag;
	CHECK(event_batch_add(&batch, &e, sizeof(e)) == 0);
}

static void test_two_cpus(void)
{
	/* CPU 0's ring read first, then CPU 1's. */
	add(10, 1); add(30, 3); add(50, 5);
	add(20, 2); add(40, 4); add(60, 6);
	event_batch_sort(&batch);
	CHECK(batch.count == 6);
	for (unsigned int i = 0; i < batch.count; i++)
		CHECK(batch.order[i]->pid == i + 1);
	event_batch_clear(&batch);
	CHECK(batch.count == 0);
}

static void test_stable_and_full(void)
{
	struct tt_event e;

	add(5, 1); add(5, 2); add(1, 0); add(5, 3);
	event_batch_sort(&batch);
	for (unsigned int i = 0; i < 4; i++)
		CHECK(batch.order[i]->pid == i);
	event_batch_clear(&batch);

	memset(&e, 0, sizeof(e));
	for (unsigned int i = 0; i < EVENT_BATCH_MAX; i++) {
		/* reversed: worst case */
		e.timestamp_ns = EVENT_BATCH_MAX - i;
		e.pid = i;
		CHECK(event_batch_add(&batch, &e, sizeof(e)) == 0);
	}
	CHECK(event_batch_add(&batch, &e, sizeof(e)) == -1);
	event_batch_sort(&batch);
	for (unsigned int i = 1; i < batch.count; i++)
		CHECK(batch.order[i - 1]->timestamp_ns <=
		      batch.order[i]->timestamp_ns);
	event_batch_clear(&batch);

	/* A short record is zero-filled, a long one cut to the event. */
	CHECK(event_batch_add(&batch, "abc", 3) == 0);
	CHECK(batch.events[0].timestamp_ns ==
	      (unsigned long long)('a' | 'b' << 8 | 'c' << 16));
	event_batch_clear(&batch);
}

int main(void)
{
	RUN(test_two_cpus);
	RUN(test_stable_and_full);
	UNIT_EXIT();
}
