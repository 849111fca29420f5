/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * connect: one event per attempt, from the connecting task.
 *
 * CLOSE->SYN_SENT runs inside connect(2) in the caller's context: that is
 * where the task is captured (pending map, keyed by struct sock *). The
 * outcome arrives later, often in softirq context on a bystander's CPU:
 *   SYN_SENT->ESTABLISHED  success;
 *   SYN_SENT->CLOSE        failure, whose errno comes from
 *                          sock:inet_sk_error_report (which has no skaddr,
 *                          only the tuple, and which fires just before or
 *                          just after the CLOSE depending on the kernel
 *                          and the path), or from connect(2)'s own return,
 *                          or ECONNABORTED when the owner closed it.
 *                          Before inet_sk_error_report (5.14), see
 *                          connect_closed_unreported().
 * Failures before any SYN (no route...) never reach SYN_SENT: they are
 * seen at sys_exit_connect.
 */
#ifndef TT_CONNECT_H
#define TT_CONNECT_H

#include "close.h"
#include "sockets.h"
#include "emit.h"
#include "task.h"
#include "tp_record.h"

/* ECONNREFUSED, EINPROGRESS...: numbered per CPU (MIPS has its own). */
#include <asm/errno.h>
#define ERESTARTSYS 512		/* and the other kernel-internal 51x codes */

/* An error report is paired with a CLOSE only this soon after it. */
#define EARLY_ERROR_TTL_NS (1000ULL * 1000 * 1000)

/* The current thread's connect() in flight, or 0. */
static __always_inline struct connect_call *current_connect_call(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call *cc = bpf_map_lookup_elem(&connect_calls, &tid);

	return cc && cc->in_flight ? cc : 0;
}

static __always_inline void connect_started(__u64 sk)
{
	struct pending_connect *p = scratch_space();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	/* The thread's entry even when no connect() is in flight (TCP Fast
	 * Open's sendmsg connects too): a test of in_flight here would be
	 * two paths to verify through the rest. */
	struct connect_call *cc = bpf_map_lookup_elem(&connect_calls, &tid);
	long err;

	if (!p)
		return;
	/* The event zeroed; the tuple is set with awaiting_error. */
	__builtin_memset(&p->event, 0, sizeof(p->event));
	p->awaiting_error = 0;
	p->reset_seen = 0;
	fill_task(&p->event);
	fill_netns(&p->event, sk);
	p->event.type = TT_EVENT_CONNECT;
	p->event.fd = -1;
	p->event.accept_fd = -1;
	if (KCONST(tt_k_regs_args)) {
		struct connect_call fresh = { .sk = sk, .syn_sent = 1 };
		struct syscall_regs r;

		/* Inside connect(2) (not sendmsg's Fast Open): its fd, and
		 * the SYN noted for its sys_exit_connect. */
		current_syscall(&r);
		if (r.nr == __NR_connect) {
			p->event.fd = (__s32)r.arg0;
			SET_THREAD_ENTRY(connect_calls, tid, cc, &fresh);
		}
	} else if (cc) {
		__s32 live = -(__s32)cc->in_flight;	/* all ones in flight */

		p->event.fd = (cc->fd & live) | ~live;	/* its fd, or -1 */
		/* Harmless on an idle entry: the next call overwrites it. */
		cc->syn_sent = 1;
		cc->sk = sk;
	}
	/* A new connect in this thread: an old close marker is stale. Only
	 * markers without a socket (no fd table walk) could match it. */
	if (!KCONST(tt_k_has_fdwalk))
		bpf_map_delete_elem(&close_calls, &tid);
	err = bpf_map_update_elem(&pending, &sk, p, BPF_ANY);
	if (err)
		count_untracked(err);	/* no connect event */
}

/* A connect's outcome is known: its event, ready to emit; once emitted,
 * the pending entry holding it goes (finish_connect). The handlers of
 * inet_sock_set_state and sys_exit_connect return it instead, and their
 * program emits and deletes from one place: a second inlined emit would
 * make its code, and its load time, larger. */
static __always_inline struct tt_event *connect_outcome(struct pending_connect *p,
							__s32 error)
{
	p->event.error = error;
	return &p->event;
}

static __always_inline void finish_connect(void *ctx, __u64 sk,
					   struct pending_connect *p,
					   __s32 error)
{
	emit(ctx, connect_outcome(p, error));
	bpf_map_delete_elem(&pending, &sk);
}

/* SYN_SENT->ESTABLISHED: the event to emit, or 0. */
static __always_inline struct tt_event *connect_established(__u64 sk,
							    const struct tt_tuple *t)
{
	struct pending_connect *p;

	if (KCONST(tt_k_inject_unseen_outcome))
		return 0;
	p = bpf_map_lookup_elem(&pending, &sk);
	if (!p)
		return 0;	/* started before we attached */
	if (KCONST(tt_k_track_sockets))
		follow_socket(sk, t, p->event.pid, p->event.fd, 0,
			     p->event.netns_id);
	set_addresses(&p->event, t);
	return connect_outcome(p, 0);
}

/* Is the connect(2) that sent sk's SYN still inside the kernel? Then it
 * returns the failure's errno itself (a blocking connect). */
static __always_inline int connect_call_pending(struct pending_connect *p,
						__u64 sk)
{
	__u32 tid = p->event.tid;
	struct connect_call *cc = bpf_map_lookup_elem(&connect_calls, &tid);

	return cc && cc->syn_sent && cc->sk == sk;
}

/*
 * SYN_SENT->CLOSE on a kernel without inet_sk_error_report (before 5.14).
 * Every path that fails a connect sets sk_err before this transition
 * (tcp_reset: ECONNREFUSED; tcp_write_err: ETIMEDOUT or the ICMP error
 * noted earlier; tcp_v4_err/tcp_v6_err: the ICMP error), so where BTF
 * locates sock.sk_err the event is exact here. Without it: a reset seen
 * by tcp_receive_reset is ECONNREFUSED; a connect(2) still blocked
 * returns the errno; anything else is reported as TT_ERROR_UNKNOWN,
 * never dropped and never a success.
 */
static __always_inline struct tt_event *
connect_closed_unreported(__u64 sk, struct pending_connect *p)
{
	__s32 error = 0;

	if (KCONST(tt_k_has_sock_err))
		error = (__s32)read_u32(sk, KCONST(tt_k_sock_err));
	if (error > 0)
		return connect_outcome(p, error);
	if (p->reset_seen)
		return connect_outcome(p, ECONNREFUSED);
	if (connect_call_pending(p, sk)) {
		p->awaiting_error = 1;	/* sys_exit_connect will tell */
		return 0;
	}
	return connect_outcome(p, TT_ERROR_UNKNOWN);
}

/*
 * SYN_SENT->CLOSE: the event to emit if the error is known, or 0.
 * Where BTF locates sock.sk_err, it holds the errno here already (see
 * connect_closed_unreported) and is taken at once: the error report that
 * follows the CLOSE reads sk_err only after the owner was woken, and an
 * owner reading SO_ERROR in that window takes it (sock_error clears it),
 * so that the report carries 0.
 */
static __always_inline struct tt_event *connect_closed(__u64 sk,
						       const struct tt_tuple *t)
{
	struct pending_connect *p = bpf_map_lookup_elem(&pending, &sk);
	struct early_error *early;
	__s32 error = 0;

	if (!p)
		return 0;
	set_addresses(&p->event, t);
	if (closing_in_owner_context(sk, p->event.pid, p->event.fd))
		return connect_outcome(p, ECONNABORTED);
	if (!KCONST(tt_k_has_error_report)) {
		p->tuple = *t;
		return connect_closed_unreported(sk, p);
	}
	if (KCONST(tt_k_has_sock_err))
		error = (__s32)read_u32(sk, KCONST(tt_k_sock_err));
	early = bpf_map_lookup_elem(&early_errors, t);
	if (early && bpf_ktime_get_ns() - early->when_ns < EARLY_ERROR_TTL_NS) {
		if (error <= 0)
			error = early->error;	/* before its entry goes */
		bpf_map_delete_elem(&early_errors, t);
		return connect_outcome(p, error);
	}
	if (error > 0)
		return connect_outcome(p, error);
	/* The error report comes next (or connect(2) returns the error). */
	p->tuple = *t;
	p->awaiting_error = 1;
	bpf_map_update_elem(&closing, t, &sk, BPF_ANY);
	return 0;
}

/* A report's errno; 0 when the owner took sk_err before the report read
 * it (see connect_closed): a failure all the same, its errno unknown. */
static __always_inline void connect_error_reported(void *ctx,
						   const struct tt_tuple *t,
						   __s32 error)
{
	__u64 *skp = bpf_map_lookup_elem(&closing, t);
	struct pending_connect *p;
	struct early_error early = {
		.error = error > 0 ? error : TT_ERROR_UNKNOWN,
	};
	__u64 sk;

	if (!skp) {
		early.when_ns = bpf_ktime_get_ns();
		bpf_map_update_elem(&early_errors, t, &early, BPF_ANY);
		return;
	}
	sk = *skp;
	bpf_map_delete_elem(&closing, t);
	p = bpf_map_lookup_elem(&pending, &sk);
	if (p && p->awaiting_error)
		finish_connect(ctx, sk, p, early.error);
}

/* The destination the caller passed to connect(2): UAPI sockaddr layout. */
static __always_inline int read_user_sockaddr(__u64 uaddr, struct tt_event *e)
{
	__u16 family = 0, port_be = 0;

	if (bpf_probe_read_user(&family, 2, (const void *)uaddr) ||
	    bpf_probe_read_user(&port_be, 2, (const void *)(uaddr + 2)))
		return -1;
	e->dport = tt_ntohs(port_be);
	if (family == AF_INET) {
		e->family = 4;
		return bpf_probe_read_user(e->daddr, 4, (const void *)(uaddr + 4));
	}
	if (family == AF_INET6) {
		e->family = 6;
		return bpf_probe_read_user(e->daddr, 16, (const void *)(uaddr + 8));
	}
	return -1;
}

/*
 * connect(2) failed after SYN_SENT and its event is not out yet: take its
 * return value. Its CLOSE came without an error report (kernels without
 * inet_sk_error_report, or port exhaustion inside tcp_v4_connect), or was
 * never seen: the kernel skips a tracepoint's or kprobe's program in a
 * softirq that interrupted another BPF program on that CPU (the TCP timer
 * giving up on the SYN, say), uncounted before 6.7. connect(2) returns a
 * failure only once its socket is closed, so an entry still pending then
 * is this failure's (without addresses if its CLOSE went unseen).
 */
static __always_inline struct tt_event *connect_failed_in_syscall(__u64 sk,
								  __s32 error)
{
	struct pending_connect *p = bpf_map_lookup_elem(&pending, &sk);

	if (!p)
		return 0;
	if (p->awaiting_error)
		bpf_map_delete_elem(&closing, &p->tuple);
	return connect_outcome(p, error);
}

static __always_inline int connect_call_is_tcp(struct connect_call *cc)
{
	if (KCONST(tt_k_presyn_mode) == TT_PRESYN_KPROBE)
		return cc->is_tcp;
	if (KCONST(tt_k_presyn_mode) == TT_PRESYN_FDWALK) {
		cc->sk = fd_to_sock(cc->fd);
		return cc->sk && sock_is_tcp(cc->sk);
	}
	return 0;
}

static __always_inline struct tt_event *connect_failed_before_syn(struct connect_call *cc,
								  __s32 error)
{
	struct tt_event *e;

	if (error == EALREADY || error == EISCONN || !connect_call_is_tcp(cc))
		return 0;
	e = scratch_event();	/* its addresses: see connect_exited */
	if (!e)
		return 0;
	fill_task(e);
	fill_netns(e, cc->sk);
	e->type = TT_EVENT_CONNECT;
	e->fd = cc->fd;
	e->accept_fd = -1;
	e->error = error;
	return e;
}

/* sys_enter_connect: the call in flight, for its sys_exit_connect. */
static __always_inline void connect_entered(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call *entry = bpf_map_lookup_elem(&connect_calls, &tid);
	struct connect_call cc = { .in_flight = 1 };

	cc.fd = (__s32)TP_LOAD_LONG(ctx, sys_arg0);
	cc.uservaddr = TP_LOAD_LONG(ctx, sys_arg1);
	SET_THREAD_ENTRY(connect_calls, tid, entry, &cc);
}

/* The connect(2) returning now, into *call; 0 if unknown. From the
 * registers (tt_k_regs_args): its fd and address, plus what its SYN_SENT
 * noted in the thread's entry; else the entry sys_enter_connect made. */
static __always_inline int returning_connect(struct connect_call *entry,
					     struct connect_call *call)
{
	struct syscall_regs r;

	if (!KCONST(tt_k_regs_args)) {
		if (!entry || !entry->in_flight)
			return 0;
		*call = *entry;
		return 1;
	}
	current_syscall(&r);
	call->fd = (__s32)r.arg0;
	call->uservaddr = r.arg1;
	if (entry) {
		call->syn_sent = entry->syn_sent;
		call->sk = entry->sk;
	}
	return 1;
}

/* sys_exit_connect: a failure connect(2) itself returns. */
static __always_inline void connect_exited(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call *entry = bpf_map_lookup_elem(&connect_calls, &tid);
	struct connect_call call = {};
	struct tt_event *e;
	__s64 ret;

	if (!returning_connect(entry, &call))
		return;
	if (entry) {	/* this call is over */
		entry->in_flight = 0;
		entry->syn_sent = 0;
	}
	ret = TP_LOAD_SLONG(ctx, sys_ret);
	if (ret >= 0 || ret == -EINPROGRESS || ret == -EINTR ||
	    ret <= -ERESTARTSYS)
		return;
	e = call.syn_sent ? connect_failed_in_syscall(call.sk, (__s32)-ret)
			  : connect_failed_before_syn(&call, (__s32)-ret);
	/* Without addresses (failed before the SYN, or its CLOSE unseen):
	 * the destination the caller gave. One read, one emit: less code
	 * to load. */
	if (!e || (!e->family && read_user_sockaddr(call.uservaddr, e)))
		return;
	emit(ctx, e);
	if (call.syn_sent)	/* the event was the pending entry's */
		bpf_map_delete_elem(&pending, &call.sk);
}

/* kprobe backend: tcp_v{4,6}_connect() tells a TCP connect(2) from any
 * other, so that failures before the SYN can be reported. */
static __always_inline void mark_tcp_connect(struct pt_regs *regs)
{
	struct connect_call *cc = current_connect_call();

	if (cc) {
		cc->is_tcp = 1;
		cc->sk = PT_ARG1(regs);
	}
}

/* tcp:tcp_receive_reset (before inet_sk_error_report, without BTF): an
 * RST for a connect in SYN_SENT refuses it; its CLOSE follows. */
static __always_inline void reset_received(void *ctx)
{
	__u64 sk = TP_LOAD_PTR(ctx, trr_skaddr);
	struct pending_connect *p = bpf_map_lookup_elem(&pending, &sk);

	if (p)
		p->reset_seen = 1;
}

/* sock:inet_sk_error_report: a connect's errno, maybe before its CLOSE. */
static __always_inline void sock_error_reported(void *ctx)
{
	struct tt_tuple tuple;

	if (!TP_IS_TCP(ctx, ser))
		return;
	TP_READ_TUPLE(ctx, &tuple, ser);
	connect_error_reported(ctx, &tuple,
			       (__s32)TP_LOAD(u32, ctx, ser_error, 0));
}

#endif
