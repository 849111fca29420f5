/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One perf ring: the buffer of a PERF_COUNT_SW_BPF_OUTPUT event on one
 * CPU, plugged into a BPF_MAP_TYPE_PERF_EVENT_ARRAY slot, where
 * bpf_perf_event_output() writes on kernels without the BPF ring buffer.
 */
#ifndef TT_READ_PERF_RING_H
#define TT_READ_PERF_RING_H

#include <stddef.h>
#include <stdint.h>

#include "read/ringbuf.h"

struct perf_ring {
	int fd;			/* -1: not open */
	void *base;		/* control page, then data pages */
	size_t data_size;
};

/* Open a ring of pages (a power of two) on cpu and put it in slot cpu of
 * the perf event array map_fd. The reader is woken once wakeup_events
 * records wait, or with wakeup_events 0 once a quarter of the ring is
 * full. page_size: the system's, given by the caller (every ring has it;
 * not kept per ring). 0 ok, -1 with errno (the ring is then left for
 * perf_ring_close). */
int perf_ring_open(struct perf_ring *ring, int map_fd, int cpu,
		   unsigned int pages, unsigned int wakeup_events,
		   size_t page_size);
/* Hand every sample to fn, add the kernel's count of dropped samples to
 * *lost, and give the space back. Returns the number of samples. */
int perf_ring_drain(struct perf_ring *ring, size_t page_size,
		    ringbuf_record_fn fn, void *arg, uint64_t *lost);
void perf_ring_close(struct perf_ring *ring, size_t page_size);

#endif
