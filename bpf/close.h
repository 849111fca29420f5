/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * close: a socket that reached ESTABLISHED, closed by its owner.
 *
 * tcp_close() runs in the task that drops the file's last reference, by
 * close(2), exit, dup2 or close_range alike. It is seen as:
 *   TT_CLOSE_KPROBE      kprobe tcp_close;
 *   TT_CLOSE_RELEASE     (BTF) the state change tcp_close makes, known by
 *                        the socket's file having no reference left while
 *                        a task holds the socket; for a socket reset
 *                        before, which tcp_close destroys without a state
 *                        change, tcp_destroy_sock while a task holds it;
 *   TT_CLOSE_TRANSITION  (no BTF) the first state change (or
 *                        tcp_destroy_sock) of a tracked socket inside the
 *                        owner's close(2) or exit, matched by pid and fd.
 */
#ifndef TT_CLOSE_H
#define TT_CLOSE_H

#include "emit.h"
#include "sockets.h"
#include "task.h"
#include "tp_record.h"

/* A close marker older than this belongs to an earlier close. */
#define CLOSE_MARK_TTL_NS (5ULL * 1000 * 1000 * 1000)

/* TT_CLOSE_RELEASE: is the current task releasing this socket's file? */
static __always_inline int released_by_current(__u64 sk)
{
	return sock_owned_by_task(sk) && file_being_released(sk);
}

/* Is the current thread closing this socket (releasing it; or, with a
 * close marker, its owner in close(2) or tcp_close; or exiting)? */
static __always_inline int closing_in_owner_context(__u64 sk, __u32 owner_pid,
						    __s32 owner_fd)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, pid = pid_tgid >> 32;
	struct close_call *cc;

	if (KCONST(tt_k_close_mode) == TT_CLOSE_RELEASE)
		return released_by_current(sk);
	cc = bpf_map_lookup_elem(&close_calls, &tid);
	if (cc && bpf_ktime_get_ns() - cc->when_ns < CLOSE_MARK_TTL_NS) {
		if (cc->sk)
			return cc->sk == sk;
		/* Without BTF: the owner closing the socket's fd, or any of
		 * its fds when that is unknown (accept fallback). */
		return pid == owner_pid && (owner_fd < 0 || cc->fd == owner_fd);
	}
	if (KCONST(tt_k_close_mode) == TT_CLOSE_KPROBE || !current_exiting())
		return 0;
	return pid == owner_pid;	/* the owner's exit */
}

/* x - minus, or 0 if that is below 0 (x, minus < 2^63), without a
 * branch. */
static __always_inline __u64 less_or_zero(__u64 x, __u64 minus)
{
	return (x - minus) & (BELOW(x, minus) - 1);
}

/* Has the peer's FIN been taken in order (and counted in bytes_received)?
 * SOCK_DONE in sk_flags: only tcp_fin sets it. */
static __always_inline __u8 peer_fin_taken(__u64 sk)
{
	__u8 flags = 0;

	bpf_probe_read_kernel(&flags, sizeof(flags),
			      (const void *)(sk + KCONST(tt_k_sock_done_byte)));
	return (flags >> KCONST(tt_k_sock_done_shift)) & 1;
}

/* Is our FIN acknowledged (and counted in bytes_acked)? */
static __always_inline __u8 our_fin_acked(__u64 sk, __u8 state,
					  __u8 peer_fin)
{
	if (state == TCP_FIN_WAIT2)
		return 1;
	if (state != TCP_CLOSE || !peer_fin)
		return 0;
	return read_u32(sk, KCONST(tt_k_tcp_snd_una)) ==
	       read_u32(sk, KCONST(tt_k_tcp_write_seq));
}

/*
 * The data the connection moved, from the kernel's counters of sequence
 * space (tcp_sock.bytes_acked: acknowledged by the peer; bytes_received:
 * taken in order), read where its close is seen: in tcp_close, before
 * its FIN goes, so all the peer acknowledged so far is counted (data
 * still unacknowledged is not). A SYN and a FIN count one there each;
 * taken out are:
 *   the connecting side's SYN (an accepted child's snd_una starts past
 *   its SYN-ACK, which is never counted);
 *   the peer's FIN, taken in order: SOCK_DONE, set by tcp_fin alone
 *   (not by tcp_reset, tcp_done or tcp_time_wait), so in CLOSE_WAIT,
 *   LAST_ACK, CLOSING, and in CLOSE after it, reset or not;
 *   our FIN, acknowledged: in FIN_WAIT2 (shutdown(2) before the close);
 *   in CLOSE after the peer's FIN with all we queued acknowledged
 *   (snd_una == write_seq, write_seq counting the FIN once queued):
 *   both FINs exchanged, the socket closed by tcp_time_wait or at the
 *   end of LAST_ACK while its owner still held it.
 * The state is the one the socket is in at the close (the state
 * change's tracepoint fires before the new state is stored). In CLOSE
 * a reset (or a timeout, or an abort) cannot always be told apart: our
 * FIN acknowledged, then a reset before the peer's FIN counts sent one
 * high; the peer's FIN, then a reset before we sent ours, with all our
 * data acknowledged, one low. Only close events pay these reads, the
 * sequence numbers only in CLOSE after the peer's FIN.
 */
static __always_inline void fill_bytes(struct tt_event *e, __u64 sk,
				       const struct tracked_sock *ts)
{
	__u8 state = 0, peer_fin;

	if (!KCONST(tt_k_has_tcp_bytes))
		return;
	bpf_probe_read_kernel(&state, sizeof(state),
			      (const void *)(sk + KCONST(tt_k_sock_state)));
	peer_fin = peer_fin_taken(sk);
	e->sent_bytes = less_or_zero(read_ptr(sk, KCONST(tt_k_tcp_bytes_acked)),
				     (ts->passive ^ 1) +
				     our_fin_acked(sk, state, peer_fin));
	e->received_bytes = less_or_zero(
		read_ptr(sk, KCONST(tt_k_tcp_bytes_received)), peer_fin);
	e->known |= TT_KNOWN_BYTES;
}

/*
 * The connection's life: from its ESTABLISHED, as the programs saw it
 * (follow_socket; for an accepted child, the handshake's end, not its
 * accept(2)), to its close seen here.
 */
static __always_inline void fill_lifetime(struct tt_event *e, __u64 sk,
					  const struct tracked_sock *ts)
{
	e->duration_ns = bpf_ktime_get_ns() - ts->established_ns;
	e->known |= TT_KNOWN_DURATION;
	fill_bytes(e, sk, ts);
}

/* The close event of a tracked socket sk, by the current task; 0 if
 * there is no scratch space. */
static __always_inline struct tt_event *close_event(__u64 sk,
						    const struct tracked_sock *ts)
{
	struct tt_event *e = scratch_event();

	if (!e)
		return 0;
	fill_task(e);
	set_netns(e, ts->netns_id);
	e->type = TT_EVENT_CLOSE;
	e->fd = -1;
	e->accept_fd = -1;
	set_addresses(e, &ts->tuple);
	fill_lifetime(e, sk, ts);
	return e;
}

static __always_inline void emit_close(void *ctx, __u64 sk,
				       const struct tracked_sock *ts)
{
	struct tt_event *e = close_event(sk, ts);

	if (e)
		emit(ctx, e);
}

/* Release mode: its owner closes a socket whose connect is still
 * pending, past SYN_SENT (whose own close is a connect's outcome), so the
 * kernel skipped the program at its ESTABLISHED: the connect event and
 * the close are both lost, counted here. Elsewhere only the connect is
 * counted, at tcp_destroy_sock, and the skipped run in the programs'
 * stats. */
static __always_inline void established_unseen(__u64 sk)
{
	if (bpf_map_delete_elem(&pending, &sk))
		return;		/* not ours: most sockets */
	count_by(TT_COUNT_OUTCOME_UNSEEN, 2);
}

/* A state change of a socket: the close event of a tracked one (no
 * longer followed then), or 0. In release mode, the socket is looked up
 * only once it is known to be in its release: changes made by softirq or
 * timers stop at the first test; those a task makes with the socket held
 * (backlog processing in recvmsg, or in tcp_close once the socket is
 * orphaned) at the second. */
static __always_inline struct tt_event *closed_on_transition(__u64 sk)
{
	struct tracked_sock *ts;
	struct tt_event *e;

	if (!KCONST(tt_k_track_sockets) ||	/* no close wanted */
	    KCONST(tt_k_close_mode) == TT_CLOSE_KPROBE ||
	    (KCONST(tt_k_close_mode) == TT_CLOSE_RELEASE &&
	     !released_by_current(sk)))
		return 0;
	ts = bpf_map_lookup_elem(&sockets, &sk);
	if (!ts) {
		if (KCONST(tt_k_close_mode) == TT_CLOSE_RELEASE)
			established_unseen(sk);
		return 0;
	}
	if (KCONST(tt_k_close_mode) == TT_CLOSE_TRANSITION &&
	    !closing_in_owner_context(sk, ts->pid, ts->fd))
		return 0;
	e = close_event(sk, ts);
	forget_socket(sk, 0);
	return e;
}

/* A tracked socket destroyed: is it its close, by the current task?
 * Release mode: destroyed while a task holds it is inside tcp_close, the
 * socket orphaned already (reset before its close). */
static __always_inline int closed_on_destroy(__u64 sk,
					     const struct tracked_sock *ts)
{
	if (KCONST(tt_k_close_mode) == TT_CLOSE_KPROBE)
		return 0;
	if (KCONST(tt_k_close_mode) == TT_CLOSE_RELEASE)
		return sock_owned_by_task(sk);
	return closing_in_owner_context(sk, ts->pid, ts->fd);
}

static __always_inline void mark_closing(__u64 sk, __s32 fd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct close_call cc = {
		.sk = sk, .fd = fd, .when_ns = bpf_ktime_get_ns(),
	};

	bpf_map_update_elem(&close_calls, &tid, &cc, BPF_ANY);
}

/* TT_CLOSE_KPROBE: tcp_close(), in the task that closes the socket. */
static __always_inline void tcp_close_called(struct pt_regs *regs)
{
	__u64 sk = PT_ARG1(regs);
	struct tracked_sock *ts = bpf_map_lookup_elem(&sockets, &sk);

	if (ts) {
		emit_close(regs, sk, ts);
		forget_socket(sk, 0);
		return;
	}
	/* Still connecting: the SYN_SENT->CLOSE that follows is an abort. */
	if (bpf_map_lookup_elem(&pending, &sk))
		mark_closing(sk, -1);
}

/* TT_CLOSE_TRANSITION: the state change to come is a close (or, still
 * connecting, an abort). */
static __always_inline void close_entered(void *ctx)
{
	__s32 fd = (__s32)TP_LOAD_LONG(ctx, sys_arg0);
	__u64 sk;

	if (!KCONST(tt_k_has_fdwalk)) {
		mark_closing(0, fd);	/* matched by pid and fd */
		return;
	}
	sk = fd_to_sock(fd);
	if (bpf_map_lookup_elem(&sockets, &sk) ||
	    bpf_map_lookup_elem(&pending, &sk))
		mark_closing(sk, fd);
	/* else not a socket we follow: most closes */
}

/* The mark current_exiting() looks for where BTF gives no task flags:
 * this thread exits, its sockets' state changes may be its closes. */
static __always_inline void task_exited(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), one = 1;

	bpf_map_update_elem(&exiting, &tid, &one, BPF_ANY);
}

/* tcp:tcp_destroy_sock: a socket reset before its close ends here. */
static __always_inline void sock_destroyed(void *ctx)
{
	__u64 sk = TP_LOAD_PTR(ctx, tds_skaddr);
	struct tracked_sock *ts = bpf_map_lookup_elem(&sockets, &sk);

	/* Usually gone already (closed, or its connect's outcome seen): a
	 * lookup is cheaper than a delete. */
	if (ts) {
		int closed = closed_on_destroy(sk, ts);

		if (closed)
			emit_close(ctx, sk, ts);
		/* A child never accepted had no close to see. */
		forget_socket(sk, !closed && ts->pid);
	}
	/* Still connecting: its state change to CLOSE, which comes first,
	 * went unseen (see connect_failed_in_syscall), or its errno never
	 * came. Its event is lost: counted, not silently. */
	if (bpf_map_lookup_elem(&pending, &sk)) {
		bpf_map_delete_elem(&pending, &sk);
		count(TT_COUNT_OUTCOME_UNSEEN);
	}
}

#endif
