/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event reader: where the programs' records arrive, woken through one
 * epoll. Either the BPF ring buffer (5.8+; ringbuf.c), or, on older
 * kernels, one perf ring per online CPU behind each of the programs'
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY maps.
 */
#ifndef PERF_READER_H
#define PERF_READER_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "kernel/cpus.h"
#include "read/ringbuf.h"

struct perf_ring {
	int fd;
	void *base;		/* control page, then data pages */
	size_t data_size;
};

#define PERF_READER_MAX_RINGS (2 * MAX_CPUS)	/* events and notices */

struct perf_reader {
	int epoll_fd;
	unsigned int nrings;
	struct perf_ring rings[PERF_READER_MAX_RINGS];
	size_t page_size;
	uint64_t lost;		/* samples the kernel dropped (ring full) */
	struct ringbuf ring;	/* map_fd -1 when not used */
};

typedef void (*perf_sample_fn)(void *arg, const void *data, uint32_t size);

/* An empty reader. 0 ok, -1 with err. */
int perf_reader_init(struct perf_reader *r, struct tt_err *err);
/* Open a ring of pages_per_cpu pages (a power of two) on each online CPU
 * and plug it into the map; poll wakes once wakeup_events records are
 * waiting in a ring, or with wakeup_events 0 once a quarter of a ring is
 * full (or at its timeout). 0 ok, -1 with err. */
int perf_reader_add_map(struct perf_reader *r, int map_fd,
			unsigned int pages_per_cpu, unsigned int wakeup_events,
			struct tt_err *err);
/* Read the BPF ring buffer behind map_fd (data_size bytes). 0 ok, -1
 * with err. */
int perf_reader_add_ringbuf(struct perf_reader *r, int map_fd,
			    size_t data_size, struct tt_err *err);
/* Wait up to timeout_ms for data, then drain every ring. Returns the
 * number of samples delivered, or -1 with errno (EINTR on a signal). */
int perf_reader_poll(struct perf_reader *r, int timeout_ms,
		     perf_sample_fn fn, void *arg);
/* Drain without waiting. */
int perf_reader_drain(struct perf_reader *r, perf_sample_fn fn, void *arg);
void perf_reader_close(struct perf_reader *r);

#endif
