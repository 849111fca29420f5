// SPDX-License-Identifier: GPL-2.0-only
/* One perf ring (see perf_ring.h). */
#include "read/perf_ring.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/bpf_syscall.h"

/* Records longer than this cannot be ours; they are skipped. */
#define MAX_RECORD 1024

struct lost_record {
	struct perf_event_header header;
	uint64_t id;
	uint64_t lost;
};

int perf_ring_open(struct perf_ring *ring, int map_fd, int cpu,
		   unsigned int pages, unsigned int wakeup_events,
		   size_t page_size)
{
	struct perf_event_attr attr;
	size_t len = (pages + 1) * page_size;
	uint32_t key = (uint32_t)cpu;

	ring->base = NULL;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	if (wakeup_events) {
		attr.wakeup_events = wakeup_events;
	} else {
		/* Wake when a quarter of the ring is full: every wake-up is
		 * an IPI (irq_work) in the traced task's context, and the
		 * reader's own poll timeout keeps the output live anyway. */
		attr.watermark = 1;
		attr.wakeup_watermark = (uint32_t)(pages * page_size / 4);
	}
	ring->fd = perf_event_open(&attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (ring->fd < 0)
		return -1;
	ring->base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			  ring->fd, 0);
	if (ring->base == MAP_FAILED) {
		ring->base = NULL;
		return -1;
	}
	ring->data_size = pages * page_size;
	if (bpf_map_update(map_fd, &key, &ring->fd, BPF_ANY))
		return -1;
	return ioctl(ring->fd, PERF_EVENT_IOC_ENABLE, 0);
}

/* One whole record: a sample goes to fn (1 returned), a lost record's
 * count to *lost; anything else, or a malformed sample, is skipped. */
static int take_record(const uint8_t *rec, const struct perf_event_header *hdr,
		       ringbuf_record_fn fn, void *arg, uint64_t *lost)
{
	const size_t head_len = sizeof(*hdr) + sizeof(uint32_t);
	struct lost_record dropped;
	uint32_t size;

	if (hdr->type == PERF_RECORD_LOST && hdr->size >= sizeof(dropped)) {
		memcpy(&dropped, rec, sizeof(dropped));
		*lost += dropped.lost;
		return 0;
	}
	if (hdr->type != PERF_RECORD_SAMPLE || hdr->size < head_len)
		return 0;
	memcpy(&size, rec + sizeof(*hdr), sizeof(size));
	if (size > hdr->size - head_len)
		return 0;
	fn(arg, rec + head_len, size);
	return 1;
}

/*
 * data_head and data_tail are __u64, but the kernel counts in its
 * unsigned long and uses the tail only modulo the ring's size: a 32-bit
 * build reads and writes their low word alone, in one access (32-bit
 * MIPS has no 64-bit atomics), and positions are compared by
 * difference, as they wrap on a 32-bit kernel.
 */
static unsigned long *low_word(__u64 *field)
{
	return (unsigned long *)field +
	       (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ && sizeof(long) == 4);
}

int perf_ring_drain(struct perf_ring *ring, size_t page_size,
		    ringbuf_record_fn fn, void *arg, uint64_t *lost)
{
	struct perf_event_mmap_page *ctl = ring->base;
	const uint8_t *data = (const uint8_t *)ring->base + page_size;
	unsigned long *tail_word = low_word(&ctl->data_tail);
	unsigned long head = __atomic_load_n(low_word(&ctl->data_head),
					     __ATOMIC_ACQUIRE);
	unsigned long tail = *tail_word;
	uint8_t record[MAX_RECORD] __attribute__((aligned(8)));
	int samples = 0;

	while ((long)(head - tail) > 0) {
		struct perf_event_header hdr;
		const uint8_t *rec;

		memcpy(&hdr, ring_bytes(data, ring->data_size, tail,
					sizeof(hdr), record), sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > head - tail)
			break;	/* cannot happen with a sane kernel */
		if (hdr.size <= sizeof(record)) {
			/* Copied out only when it wraps around the end. */
			rec = ring_bytes(data, ring->data_size, tail, hdr.size,
					 record);
			samples += take_record(rec, &hdr, fn, arg, lost);
		}
		tail += hdr.size;
	}
	__atomic_store_n(tail_word, tail, __ATOMIC_RELEASE);
	return samples;
}

void perf_ring_close(struct perf_ring *ring, size_t page_size)
{
	if (ring->base)
		munmap(ring->base, ring->data_size + page_size);
	if (ring->fd >= 0)
		close(ring->fd);
	ring->base = NULL;
	ring->fd = -1;
}
