// SPDX-License-Identifier: GPL-2.0-only
/* The perf buffer reader (see perf_reader.h). */
#include "read/reader.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
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

static int open_ring(struct perf_ring *ring, int cpu, unsigned int pages,
		     unsigned int wakeup_events, size_t page_size, int map_fd)
{
	struct perf_event_attr attr;
	size_t len = (pages + 1) * page_size;
	uint32_t key = (uint32_t)cpu;

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

int perf_reader_init(struct perf_reader *r, struct tt_err *err)
{
	memset(r, 0, sizeof(*r));
	r->ring.map_fd = -1;
	r->page_size = (size_t)sysconf(_SC_PAGESIZE);
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0) {
		return tt_fail(err, "cannot set up the event reader: %s",
			       strerror(errno));
	}
	return 0;
}

int perf_reader_add_map(struct perf_reader *r, int map_fd,
			unsigned int pages_per_cpu, unsigned int wakeup_events,
			struct tt_err *err)
{
	unsigned char online[MAX_CPUS];

	if (cpus_read("online", online) < 0) {
		return tt_fail(err, "cannot read the online CPUs: %s",
			       strerror(errno));
	}
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct perf_ring *ring = &r->rings[r->nrings];
		struct epoll_event ev = { .events = EPOLLIN };

		if (!online[cpu])
			continue;
		if (r->nrings == PERF_READER_MAX_RINGS) {
			return tt_fail(err, "too many perf rings");
		}
		ring->fd = -1;
		r->nrings++;
		ev.data.u32 = r->nrings - 1;
		if (open_ring(ring, cpu, pages_per_cpu, wakeup_events,
			      r->page_size, map_fd) ||
		    epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, ring->fd, &ev)) {
			return tt_fail(err, "cannot open the perf buffer on "
				       "CPU %d: %s", cpu, strerror(errno));
		}
	}
	return 0;
}

int perf_reader_add_ringbuf(struct perf_reader *r, int map_fd,
			    size_t data_size, struct tt_err *err)
{
	/* data.u32 past the perf rings: no drain_ring for it */
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = PERF_READER_MAX_RINGS };

	if (ringbuf_open(&r->ring, map_fd, data_size) ||
	    epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev)) {
		tt_fail(err, "cannot map the BPF ring buffer: %s",
			strerror(errno));
		ringbuf_close(&r->ring);
		return -1;
	}
	return 0;
}

static int drain_ring(struct perf_reader *r, struct perf_ring *ring,
		      perf_sample_fn fn, void *arg)
{
	struct perf_event_mmap_page *ctl = ring->base;
	const uint8_t *data = (const uint8_t *)ring->base + r->page_size;
	uint64_t head = __atomic_load_n(&ctl->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = ctl->data_tail;
	uint8_t record[MAX_RECORD] __attribute__((aligned(8)));
	int samples = 0;

	while (tail < head) {
		struct perf_event_header hdr;

		memcpy(&hdr, ring_bytes(data, ring->data_size, tail, sizeof(hdr),
					record), sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > head - tail)
			break;	/* cannot happen with a sane kernel */
		if (hdr.size <= sizeof(record)) {
			/* Copied out only when it wraps around the ring's end. */
			const uint8_t *rec = ring_bytes(data, ring->data_size,
							tail, hdr.size, record);

			if (hdr.type == PERF_RECORD_SAMPLE &&
			    hdr.size >= sizeof(hdr) + sizeof(uint32_t)) {
				uint32_t size;

				memcpy(&size, rec + sizeof(hdr), sizeof(size));
				if (size <= hdr.size - sizeof(hdr) - sizeof(size)) {
					fn(arg, rec + sizeof(hdr) + sizeof(size),
					   size);
					samples++;
				}
			} else if (hdr.type == PERF_RECORD_LOST &&
				   hdr.size >= sizeof(struct lost_record)) {
				struct lost_record lost;

				memcpy(&lost, rec, sizeof(lost));
				r->lost += lost.lost;
			}
		}
		tail += hdr.size;
	}
	__atomic_store_n(&ctl->data_tail, tail, __ATOMIC_RELEASE);
	return samples;
}

int perf_reader_drain(struct perf_reader *r, perf_sample_fn fn, void *arg)
{
	int samples = ringbuf_drain(&r->ring, fn, arg);

	for (unsigned int i = 0; i < r->nrings; i++)
		if (r->rings[i].base)
			samples += drain_ring(r, &r->rings[i], fn, arg);
	return samples;
}

int perf_reader_poll(struct perf_reader *r, int timeout_ms,
		     perf_sample_fn fn, void *arg)
{
	struct epoll_event events[64];
	int n = epoll_wait(r->epoll_fd, events, 64, timeout_ms);

	if (n < 0)
		return -1;
	return perf_reader_drain(r, fn, arg);
}

void perf_reader_close(struct perf_reader *r)
{
	ringbuf_close(&r->ring);
	for (unsigned int i = 0; i < r->nrings; i++) {
		struct perf_ring *ring = &r->rings[i];

		if (ring->base)
			munmap(ring->base, ring->data_size + r->page_size);
		if (ring->fd >= 0)
			close(ring->fd);
	}
	if (r->epoll_fd >= 0)
		close(r->epoll_fd);
	r->nrings = 0;
}
