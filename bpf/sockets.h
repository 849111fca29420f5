/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sockets table: connections between ESTABLISHED and their close,
 * keyed by struct sock *, and its books. Every entry put in and taken out
 * is counted, and user space counts what is left at exit: an entry that
 * left by no path here (an LRU eviction, or anything the kernel did that
 * we did not expect) shows as a difference, a close that went missing,
 * instead of a silent one.
 */
#ifndef TT_SOCKETS_H
#define TT_SOCKETS_H

#include "emit.h"
#include "maps.h"

#include <asm/errno.h>	/* EEXIST */

/*
 * Follow a socket from its state change to ESTABLISHED, as the programs
 * see it: a connect's SYN_SENT->ESTABLISHED, an accepted child's
 * SYN_RECV->ESTABLISHED (in softirq, before any accept(2) takes it), on
 * both backends. That moment starts its lifetime, which its close event
 * reports (close_event in bpf/close.h).
 */
static __always_inline void follow_socket(__u64 sk, const struct tt_tuple *t,
					  __u32 owner_pid, __s32 owner_fd,
					  __u32 passive, __u32 netns_id)
{
	struct tracked_sock ts = {
		.tuple = *t, .pid = owner_pid, .fd = owner_fd, .passive = passive,
		.netns_id = netns_id, .established_ns = bpf_ktime_get_ns(),
	};
	long err = bpf_map_update_elem(&sockets, &sk, &ts, BPF_NOEXIST);

	if (err == -EEXIST) {
		/* Its address is a new socket's: the old one's close was
		 * never seen. */
		count(TT_COUNT_SOCK_OUT);
		count(TT_COUNT_CLOSE_UNSEEN);
		err = bpf_map_update_elem(&sockets, &sk, &ts, BPF_ANY);
	}
	if (err)
		count_untracked(err);
	else
		count(TT_COUNT_SOCK_IN);
}

/* Its close was reported (or filtered out), or it ended without one
 * (close_unseen). */
static __always_inline void forget_socket(__u64 sk, int close_unseen)
{
	if (bpf_map_delete_elem(&sockets, &sk))
		return;		/* taken out already, and counted there */
	count(TT_COUNT_SOCK_OUT);
	if (close_unseen)
		count(TT_COUNT_CLOSE_UNSEEN);
}

#endif
