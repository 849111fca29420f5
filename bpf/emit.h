/* SPDX-License-Identifier: GPL-2.0-only */
/* Sending an event to user space, after the in-kernel filters. */
#ifndef TT_EMIT_H
#define TT_EMIT_H

#include "filter.h"
#include "kconst.h"
#include "maps.h"

#include <asm/errno.h>	/* ENOMEM */

/* --connect-only, --accept-only, --failure-only, decided here so that a
 * suppressed event costs no perf buffer traffic. */
static __always_inline int wanted(__u8 type, __s32 error)
{
	__u64 only = KCONST(tt_k_filter);

	/* No flag: decided at load, without reading the event (a test
	 * of its fields would be two paths through the rest to verify). */
	if (!only)
		return 1;
	if ((only & TT_ONLY_CONNECT) && type != TT_EVENT_CONNECT)
		return 0;
	if ((only & TT_ONLY_ACCEPT) && type != TT_EVENT_ACCEPT)
		return 0;
	if ((only & TT_ONLY_FAILURE) && error == 0)
		return 0;
	return 1;
}

/* -c/--containername, --containers-only: a cgroup user space has
 * already judged is filtered here; an unjudged one goes up to be judged. */
static __always_inline int cgroup_hidden(const struct tt_event *e)
{
	__u8 *verdict;

	if (!KCONST(tt_k_cgroup_filter) || !(e->known & TT_KNOWN_CGROUP))
		return 0;
	verdict = bpf_map_lookup_elem(&cgroup_verdicts, &e->cgroup_id);
	return verdict && *verdict == TT_CGROUP_HIDE;
}

/* 1 if a < b, else 0, without a branch (a, b < 2^63). */
#define BELOW(a, b) (((a) - (b)) >> 63)

/* One address of a tuple into an event: an IPv4 one (v4-mapped in the
 * tuple, its first 12 bytes 0:0:ffff) into the first 4 bytes, the rest
 * 0; keep is all ones for IPv6, 0 for IPv4. No branch. */
static __always_inline void set_address(__u8 *dst, const __u8 *src, __u32 keep)
{
	const __u32 *s = (const __u32 *)src;
	__u32 *d = (__u32 *)dst;

	d[0] = s[0] | (s[3] & ~keep);	/* s[0] is 0 when v4-mapped */
	d[1] = s[1] & keep;
	d[2] = s[2] & keep;
	d[3] = s[3] & keep;
}

static __always_inline void set_addresses(struct tt_event *e,
					  const struct tt_tuple *t)
{
	__u64 v4 = BELOW((__u64)(t->family ^ AF_INET), 1);
	__u32 keep;

	/* Hide that v4 is 0 or 1, or clang makes a branch of the family
	 * below (two paths to verify through the rest). */
	asm volatile("" : "+r"(v4));
	keep = (__u32)(v4 - 1);

	set_address(e->saddr, t->saddr, keep);
	set_address(e->daddr, t->daddr, keep);
	e->sport = t->sport;
	e->dport = t->dport;
	e->family = (__u8)(6 - 2 * v4);
}

/* The counters the report reads (TT_COUNT_*, include/trace_tcp.h). */
static __always_inline void count_by(__u32 which, __u64 n)
{
	__u64 *counter = bpf_map_lookup_elem(&counters, &which);

	if (counter)
		*counter += n;	/* per CPU, and BPF never nests on a CPU */
}

static __always_inline void count(__u32 which)
{
	count_by(which, 1);
}

/* A table insertion that failed with err: why the connection it was for
 * is not followed. */
static __always_inline void count_untracked(long err)
{
	count(err == -ENOMEM ? TT_COUNT_NO_ENTRY : TT_COUNT_UNTRACKED);
}

/* A ring buffer record: its 8-byte header, then the event. */
#define RING_RECORD_SIZE ((BPF_RINGBUF_HDR_SZ + sizeof(struct tt_event) + 7) & ~7)

/*
 * Wake the reader when this record takes the ring past the wake-up mark
 * (a quarter of the ring): one wake-up per batch, not per record. Should
 * two writers cross the mark at once and neither see it, every record
 * past twice the mark wakes it. Below the mark, the reader's own poll
 * timeout drains the ring, so output stays live. Computed without
 * branches: each would be one more path to verify through the output.
 */
static __always_inline __u64 ring_wakeup(void)
{
	__u64 mark = KCONST(tt_k_ring_wakeup);
	__u64 waiting = bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA);
	__u64 crosses = BELOW(waiting, mark) &
			(1 ^ BELOW(waiting + RING_RECORD_SIZE, mark));
	__u64 far_past = 1 ^ BELOW(waiting, 2 * mark);

	/* BPF_RB_NO_WAKEUP is 1, BPF_RB_FORCE_WAKEUP 2 */
	return BPF_RB_NO_WAKEUP + (crosses | far_past);
}

/* Hand a record to user space: 0, or nonzero if there was no room. */
static __always_inline long output(void *ctx, void *perf_map,
				   struct tt_event *e, __u64 wakeup)
{
	if (KCONST(tt_k_ringbuf))
		return bpf_ringbuf_output(&ring, e, sizeof(*e), wakeup);
	return bpf_perf_event_output(ctx, perf_map, BPF_F_CURRENT_CPU, e,
				     sizeof(*e));
}

static __always_inline void emit(void *ctx, struct tt_event *e)
{
	if (!wanted(e->type, e->error) || !kernel_filter_passes(e)) {
		count(TT_COUNT_FILTERED);
		return;
	}
	if (cgroup_hidden(e)) {
		count(TT_COUNT_HIDDEN);
		return;
	}
	e->timestamp_ns = bpf_ktime_get_ns();
	if (output(ctx, &events, e,
		   KCONST(tt_k_ringbuf) ? ring_wakeup() : 0))
		count(TT_COUNT_DROPPED);
}

/* The per-CPU scratch space, as it was left: an event is too big for a
 * comfortable stack. */
static __always_inline struct pending_connect *scratch_space(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* A zeroed event in the scratch space (only the event: less code). */
static __always_inline struct tt_event *scratch_event(void)
{
	struct pending_connect *p = scratch_space();

	if (!p)
		return 0;
	__builtin_memset(&p->event, 0, sizeof(p->event));
	return &p->event;
}

#endif
