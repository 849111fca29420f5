/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event reader: where the programs' records arrive, woken through one
 * epoll. Either the BPF ring buffer (5.8+; ringbuf.c), or, on older
 * kernels, one perf ring per online CPU (perf_ring.c) behind each of the
 * programs' BPF_MAP_TYPE_PERF_EVENT_ARRAY maps.
 */
#ifndef TT_READ_READER_H
#define TT_READ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "kernel/cpus.h"
#include "read/perf_ring.h"
#include "read/ringbuf.h"

#define EVENT_READER_MAX_RINGS (2 * MAX_CPUS)	/* events and notices */

struct event_reader {
	int epoll_fd;
	unsigned int nrings;
	struct perf_ring rings[EVENT_READER_MAX_RINGS];
	size_t page_size;
	uint64_t lost;		/* samples the kernel dropped (ring full) */
	struct ringbuf ring;	/* map_fd -1 when not used */
};

/* A reader with nothing open, safe to close. */
void event_reader_clear(struct event_reader *r);
/* An empty reader, ready for rings. 0 ok, -1 with err. */
int event_reader_open(struct event_reader *r, struct tt_err *err);
/* Open a ring of pages_per_cpu pages (a power of two) on each online CPU
 * and plug it into the perf event array map_fd; see perf_ring_open for
 * wakeup_events. 0 ok, -1 with err. */
int event_reader_add_perf_map(struct event_reader *r, int map_fd,
			      unsigned int pages_per_cpu,
			      unsigned int wakeup_events, struct tt_err *err);
/* Read the BPF ring buffer behind map_fd (data_size bytes). 0 ok, -1
 * with err. */
int event_reader_add_ringbuf(struct event_reader *r, int map_fd,
			     size_t data_size, struct tt_err *err);
/* Wait up to timeout_ms for data, then drain every ring. Returns the
 * number of records delivered, or -1 with errno (EINTR on a signal). */
int event_reader_poll(struct event_reader *r, int timeout_ms,
		      ringbuf_record_fn fn, void *arg);
/* Drain without waiting. */
int event_reader_drain(struct event_reader *r, ringbuf_record_fn fn,
		       void *arg);
/* Records the kernel dropped from the perf rings (full) so far. */
uint64_t event_reader_lost(const struct event_reader *r);
void event_reader_close(struct event_reader *r);

#endif
