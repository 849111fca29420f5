/* SPDX-License-Identifier: GPL-2.0-only */
/* Sending an event to user space, after the in-kernel filters. */
#ifndef TT_EMIT_H
#define TT_EMIT_H

#include "kconst.h"
#include "maps.h"

/* --connect-only, --accept-only, --failure-only, decided here so that a
 * suppressed event costs no perf buffer traffic. */
static __always_inline int wanted(__u8 type, __s32 error)
{
	__u64 filter = KCONST(tt_k_filter);

	if ((filter & TT_ONLY_CONNECT) && type != TT_EVENT_CONNECT)
		return 0;
	if ((filter & TT_ONLY_ACCEPT) && type != TT_EVENT_ACCEPT)
		return 0;
	if ((filter & TT_ONLY_FAILURE) && error == 0)
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

static __always_inline void set_addresses(struct tt_event *e,
					  const struct tt_tuple *t)
{
	__builtin_memcpy(e->saddr, t->saddr, 16);
	__builtin_memcpy(e->daddr, t->daddr, 16);
	e->sport = t->sport;
	e->dport = t->dport;
	e->family = t->family == AF_INET ? 4 : 6;
}

static __always_inline void count(__u32 which)
{
	__u64 *counter = bpf_map_lookup_elem(&counters, &which);

	if (counter)
		(*counter)++;	/* per CPU, and BPF never nests on a CPU */
}

static __always_inline void emit(void *ctx, struct tt_event *e)
{
	if (!wanted(e->type, e->error))
		return;
	if (cgroup_hidden(e)) {
		count(TT_COUNT_HIDDEN);
		return;
	}
	e->timestamp_ns = bpf_ktime_get_ns();
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e,
				  sizeof(*e)))
		count(TT_COUNT_DROPPED);
}

/* A zeroed per-CPU scratch record: the event is too big for the stack
 * next to a tracepoint record copy. */
static __always_inline struct pending_connect *scratch_record(void)
{
	__u32 zero = 0;
	struct pending_connect *p = bpf_map_lookup_elem(&scratch, &zero);

	if (p)
		__builtin_memset(p, 0, sizeof(*p));
	return p;
}

#endif
