// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/read/ringbuf.c's drain, on a ring laid out in memory
 * as the kernel lays out a BPF ring buffer (consumer page, producer page,
 * data): records in order, one that wraps around the end, a discarded
 * one, one still being written, and the consumer position given back.
 */
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read/ringbuf.h"
#include "unit.h"

#define PAGE 4096
#define DATA 4096

struct fake_ring {
	uint64_t consumer[PAGE / 8];
	uint64_t producer[(PAGE + DATA) / 8];	/* page, then the data */
	struct ringbuf rb;
};

struct seen {
	int count;
	uint32_t sizes[16];
	uint8_t first[16], last[16];
};

static void record(void *arg, const void *data, uint32_t size)
{
	struct seen *s = arg;
	const uint8_t *p = data;

	if (s->count < 16) {
		s->sizes[s->count] = size;
		s->first[s->count] = p[0];
		s->last[s->count] = p[size - 1];
	}
	s->count++;
}

static struct fake_ring *ring_new(uint64_t start_pos)
{
	struct fake_ring *r = calloc(1, sizeof(*r));

	r->rb.map_fd = 0;
	r->rb.page_size = PAGE;
	r->rb.data_size = DATA;
	r->rb.consumer = r->consumer;
	r->rb.producer = r->producer;
	r->consumer[0] = start_pos;
	r->producer[0] = start_pos;
	return r;
}

static uint8_t *data_of(struct fake_ring *r)
{
	return (uint8_t *)r->producer + PAGE;
}

/* Append a record of size bytes, each byte = fill + its index; flags
 * go into the header's length word. */
static void put(struct fake_ring *r, uint32_t size, uint8_t fill,
		uint32_t flags)
{
	uint64_t pos = r->producer[0];
	uint8_t *data = data_of(r);
	uint32_t len = size | flags;

	memcpy(data + (pos & (DATA - 1)), &len, 4);
	memset(data + ((pos + 4) & (DATA - 1)), 0, 4);
	for (uint32_t i = 0; i < size; i++)
		data[(pos + BPF_RINGBUF_HDR_SZ + i) & (DATA - 1)] =
			(uint8_t)(fill + i);
	r->producer[0] = pos + ((size + BPF_RINGBUF_HDR_SZ + 7) & ~7u);
}

static void test_ringbuf_in_order(void)
{
	struct fake_ring *r = ring_new(0);
	struct seen s = { 0 };

	put(r, 128, 10, 0);
	put(r, 5, 20, 0);
	CHECK(ringbuf_drain(&r->rb, record, &s) == 2);
	CHECK(s.count == 2 && s.sizes[0] == 128 && s.sizes[1] == 5);
	CHECK(s.first[0] == 10 && s.last[0] == (uint8_t)(10 + 127));
	CHECK(s.first[1] == 20 && s.last[1] == 24);
	CHECK(r->consumer[0] == r->producer[0]);
	CHECK(ringbuf_drain(&r->rb, record, &s) == 0 && s.count == 2);
	free(r);
}

/* The consumer position the drain had given back when each record was
 * handed over. */
struct released {
	struct fake_ring *r;
	int count;
	uint64_t at[64];
};

static void note_release(void *arg, const void *data, uint32_t size)
{
	struct released *x = arg;

	if (x->count < 64)
		x->at[x->count] = x->r->consumer[0];
	x->count++;
}

static void test_ringbuf_releases_in_steps(void)
{
	struct fake_ring *r = ring_new(0);
	struct released x = { .r = r };
	uint64_t step = DATA / 8, rec = 64 + BPF_RINGBUF_HDR_SZ;
	uint64_t cons = 0, released = 0;

	for (int i = 0; i < 40; i++)
		put(r, 64, (uint8_t)i, 0);
	CHECK(ringbuf_drain(&r->rb, note_release, &x) == 40);
	/* nothing given back until an eighth of the ring was read, then
	 * each time another eighth is, and all of it at the end */
	for (int i = 0; i < 40; i++) {
		CHECK(x.at[i] == released);
		cons += rec;
		if (cons - released >= step)
			released = cons;
	}
	CHECK(x.at[1] == 0 && released > 0);
	CHECK(r->consumer[0] == r->producer[0]);
	free(r);
}

static void test_ringbuf_wraps(void)
{
	/* A record whose body starts 40 bytes before the end. */
	struct fake_ring *r = ring_new(3 * DATA - 48);
	struct seen s = { 0 };

	put(r, 128, 1, 0);
	put(r, 16, 200, 0);
	CHECK(ringbuf_drain(&r->rb, record, &s) == 2);
	CHECK(s.sizes[0] == 128 && s.first[0] == 1 && s.last[0] == 128);
	CHECK(s.sizes[1] == 16 && s.first[1] == 200 && s.last[1] == 215);
	CHECK(r->consumer[0] == r->producer[0]);
	free(r);
}

static void test_ringbuf_discard_and_busy(void)
{
	struct fake_ring *r = ring_new(64);
	struct seen s = { 0 };
	uint64_t busy_at;

	put(r, 32, 1, BPF_RINGBUF_DISCARD_BIT);
	put(r, 32, 50, 0);
	busy_at = r->producer[0];
	put(r, 32, 90, BPF_RINGBUF_BUSY_BIT);
	put(r, 32, 120, 0);
	/* The discarded one is passed over, the busy one stops the drain. */
	CHECK(ringbuf_drain(&r->rb, record, &s) == 1);
	CHECK(s.count == 1 && s.first[0] == 50);
	CHECK(r->consumer[0] == busy_at);
	/* Once committed, it and the one after are read. */
	{
		uint32_t len = 32;

		memcpy(data_of(r) + (busy_at & (DATA - 1)), &len, 4);
	}
	CHECK(ringbuf_drain(&r->rb, record, &s) == 2);
	CHECK(s.first[1] == 90 && s.first[2] == 120);
	free(r);
}

static void test_ringbuf_closed(void)
{
	struct fake_ring *r = ring_new(0);
	struct seen s = { 0 };

	put(r, 8, 1, 0);
	r->rb.map_fd = -1;
	CHECK(ringbuf_drain(&r->rb, record, &s) == 0 && s.count == 0);
	free(r);
}

int main(void)
{
	RUN(test_ringbuf_in_order);
	RUN(test_ringbuf_releases_in_steps);
	RUN(test_ringbuf_wraps);
	RUN(test_ringbuf_discard_and_busy);
	RUN(test_ringbuf_closed);
	return unit_failed_checks != 0;
}
