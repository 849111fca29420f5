/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8+): one ring for all
 * CPUs, read through two mappings of the map fd. The consumer page (ours
 * to write: how far we have read), then, read-only, the producer page
 * and the data pages. The kernel offers the data twice in a row, so that
 * a record wrapping around the end reads in one piece; we map it once
 * (each mapping of a page counts in our resident memory) and copy the
 * rare record that wraps.
 */
#ifndef RINGBUF_H
#define RINGBUF_H

#include <stddef.h>
#include <stdint.h>

struct ringbuf {
	int map_fd;			/* -1: not open */
	size_t data_size;		/* a power of two */
	size_t page_size;
	void *consumer;			/* one page, read-write */
	const void *producer;		/* one page, then the data */
};

/* Longer records cannot be trace_tcp's: they are skipped. */
#define RINGBUF_MAX_RECORD 1024

typedef void (*ringbuf_record_fn)(void *arg, const void *data, uint32_t size);

/* len bytes at position pos (taken modulo data_size) of a ring's data:
 * in place, or, when they run past the end into the start, copied into
 * copy (len bytes of room). For the perf rings too. */
const uint8_t *ring_bytes(const uint8_t *data, size_t data_size, uint64_t pos,
			  size_t len, uint8_t *copy);

/* Map the ring behind map_fd, whose max_entries was data_size bytes.
 * 0 ok, -1 with errno. */
int ringbuf_open(struct ringbuf *rb, int map_fd, size_t data_size);
/* Hand every committed record to fn, in ring order, and give the space
 * back to the kernel as it goes. Stops at a record still being written.
 * Returns the number of records delivered. */
int ringbuf_drain(struct ringbuf *rb, ringbuf_record_fn fn, void *arg);
void ringbuf_close(struct ringbuf *rb);

#endif
