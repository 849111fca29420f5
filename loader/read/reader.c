// SPDX-License-Identifier: GPL-2.0-only
/* The event reader (see reader.h). */
#include "read/reader.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

void event_reader_clear(struct event_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->epoll_fd = -1;
	r->ring.map_fd = -1;
}

int event_reader_open(struct event_reader *r, struct tt_err *err)
{
	event_reader_clear(r);
	r->page_size = (size_t)sysconf(_SC_PAGESIZE);
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0)
		return tt_fail(err, "cannot set up the event reader: %s",
			       strerror(errno));
	return 0;
}

int event_reader_add_perf_map(struct event_reader *r, int map_fd,
			      unsigned int pages_per_cpu,
			      unsigned int wakeup_events, struct tt_err *err)
{
	unsigned char online[MAX_CPUS];

	if (cpus_read("online", online) < 0)
		return tt_fail(err, "cannot read the online CPUs: %s",
			       strerror(errno));
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct perf_ring *ring = &r->rings[r->nrings];
		struct epoll_event ev = { .events = EPOLLIN };

		if (!online[cpu])
			continue;
		if (r->nrings == EVENT_READER_MAX_RINGS)
			return tt_fail(err, "too many perf rings");
		r->nrings++;
		ev.data.u32 = r->nrings - 1;
		if (perf_ring_open(ring, map_fd, cpu, pages_per_cpu,
				   wakeup_events, r->page_size) ||
		    epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, ring->fd, &ev))
			return tt_fail(err, "cannot open the perf buffer on "
				       "CPU %d: %s", cpu, strerror(errno));
	}
	return 0;
}

int event_reader_add_ringbuf(struct event_reader *r, int map_fd,
			     size_t data_size, struct tt_err *err)
{
	/* data.u32 past the perf rings: no perf ring to drain for it */
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = EVENT_READER_MAX_RINGS };

	if (ringbuf_open(&r->ring, map_fd, data_size) ||
	    epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev)) {
		tt_fail(err, "cannot map the BPF ring buffer: %s",
			strerror(errno));
		ringbuf_close(&r->ring);
		return -1;
	}
	return 0;
}

int event_reader_drain(struct event_reader *r, ringbuf_record_fn fn,
		       void *arg)
{
	int records = ringbuf_drain(&r->ring, fn, arg);

	for (unsigned int i = 0; i < r->nrings; i++)
		if (r->rings[i].base)
			records += perf_ring_drain(&r->rings[i], r->page_size,
						   fn, arg, &r->lost);
	return records;
}

int event_reader_poll(struct event_reader *r, int timeout_ms,
		      ringbuf_record_fn fn, void *arg)
{
	struct epoll_event events[64];
	int n = epoll_wait(r->epoll_fd, events, 64, timeout_ms);

	if (n < 0)
		return -1;
	return event_reader_drain(r, fn, arg);
}

uint64_t event_reader_lost(const struct event_reader *r)
{
	return r->lost;
}

void event_reader_close(struct event_reader *r)
{
	ringbuf_close(&r->ring);
	for (unsigned int i = 0; i < r->nrings; i++)
		perf_ring_close(&r->rings[i], r->page_size);
	if (r->epoll_fd >= 0)
		close(r->epoll_fd);
	r->epoll_fd = -1;
	r->nrings = 0;
}
