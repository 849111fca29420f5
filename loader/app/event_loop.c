// SPDX-License-Identifier: GPL-2.0-only
/* The event loop (see event_loop.h). */
#include "app/event_loop.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "filter/match.h"
#include "kernel/inject.h"

static long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void handle_record(struct record_sink *sink, const struct tt_event *e)
{
	const struct container_entry *container;

	if (e->type == TT_RECORD_CGROUP_MKDIR) {
		containers_cgroup_created(sink->containers, e->cgroup_id);
		return;
	}
	container = containers_of_event(sink->containers, e);
	if (!container->shown)
		return;
	if (filter_user_rules(sink->filter)) {
		struct field_event fe = {
			e, container->info, sink->writer->realtime_offset_ns,
			sink->writer->node,
		};

		if (!filter_match(sink->filter, &fe)) {
			sink->filtered++;
			return;
		}
	}
	event_writer_add(sink->writer, e, container->info);
}

/* Everything batched so far, in time order, then written out. */
static void finish_batch(struct record_sink *sink)
{
	event_batch_sort(sink->batch);
	for (size_t i = 0; i < sink->batch->count; i++)
		handle_record(sink, sink->batch->order[i]);
	event_batch_clear(sink->batch);
	event_writer_flush(sink->writer);
}

static void queue_record(void *arg, const void *data, uint32_t size)
{
	struct record_sink *sink = arg;

	if (size < sizeof(struct tt_event))
		return;
	if (event_batch_add(sink->batch, data, size) == 0)
		return;
	finish_batch(sink);	/* full: this batch ends here */
	event_batch_add(sink->batch, data, size);
}

/*
 * How long the reader sleeps between drains. Idle, it waits for the
 * kernel's wake-up or POLL_IDLE_MS. Once a drain found events, it comes
 * back after POLL_BUSY_MS by itself, before the ring reaches its wake-up
 * mark (a quarter of the ring: 128 KiB by default, some 500 000 events a
 * second at this interval): a wake-up is an IPI on the traced task's CPU
 * (irq_work), which in a VM costs it tens of microseconds, while the
 * reader's own timer costs the traced tasks nothing. A drain that filled
 * a whole batch is behind a burst: the next comes at once, until one
 * finds less.
 */
#define POLL_IDLE_MS 50
#define POLL_BUSY_MS 2

/* How long the next wait may be: the poll interval, cut at the deadline
 * (0: none). -1 once the deadline has passed. */
static int next_wait_ms(int drained, long long deadline)
{
	int wait_ms = drained >= EVENT_BATCH_MAX ? 0
		      : drained > 0 ? POLL_BUSY_MS : POLL_IDLE_MS;
	long long left;

	if (!deadline)
		return wait_ms;
	left = deadline - monotonic_ns();
	if (left <= 0)
		return -1;
	if (left / 1000000 < wait_ms)
		wait_ms = (int)(left / 1000000) + 1;
	return wait_ms;
}

/* The injected fault (kernel/inject.h): a system call the sandbox
 * refuses. Without the sandbox it succeeds and the loop runs on. */
static int forbidden_call(struct tt_err *err)
{
	int fd;

	if (!fault_injected("forbidden-call"))
		return 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		return close(fd);
	return tt_fail(err, "socket(2) in the event loop (TRACE_TCP_INJECT="
		       "forbidden-call) failed: %s", strerror(errno));
}

int event_loop_run(struct session *s, struct record_sink *sink,
		   double timeout_seconds, volatile sig_atomic_t *stop,
		   struct tt_err *err)
{
	long long deadline = timeout_seconds > 0
		? monotonic_ns() + (long long)(timeout_seconds * 1e9)
		: 0;
	int drained = 0;

	if (forbidden_call(err)) {
		session_detach(s);
		return -1;
	}
	while (!*stop && !sink->writer->failed) {
		int wait_ms = next_wait_ms(drained, deadline);

		if (wait_ms < 0)
			break;
		drained = event_reader_poll(&s->reader, wait_ms, queue_record,
					    sink);
		if (drained < 0 && errno != EINTR)
			break;
		finish_batch(sink);
	}
	/* Detach first, then drain: every record the programs made is then
	 * printed (or counted), none is made after the last read. */
	session_detach(s);
	event_reader_drain(&s->reader, queue_record, sink);
	finish_batch(sink);
	return 0;
}
