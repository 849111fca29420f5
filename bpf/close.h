/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * close: a socket that reached ESTABLISHED, closed by its owner.
 *
 * kprobe backend: tcp_close() runs in the closing task for the last
 * reference, from close(2) and from process exit alike: exact.
 * tracepoint backend, with BTF (TT_CLOSE_SYSCALL): close(2) of a tracked
 * socket's fd whose file holds its last reference (the close that makes
 * the kernel call tcp_close); without: the first state change (or
 * tcp_destroy_sock) of a tracked socket inside the owner's close(2).
 * Both: the first state change while the owner exits.
 */
#ifndef TT_CLOSE_H
#define TT_CLOSE_H

#include "emit.h"
#include "task.h"
#include "tp_record.h"

/* A close marker older than this belongs to an earlier close. */
#define CLOSE_MARK_TTL_NS (5ULL * 1000 * 1000 * 1000)

/* Is the current thread closing this socket (its owner, in close(2), in
 * tcp_close, or exiting)? */
static __always_inline int closing_in_owner_context(__u64 sk, __u32 owner_pid,
						    __s32 owner_fd)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, pid = pid_tgid >> 32;
	struct close_call *cc = bpf_map_lookup_elem(&close_calls, &tid);

	if (cc && bpf_ktime_get_ns() - cc->when_ns < CLOSE_MARK_TTL_NS) {
		if (cc->sk)
			return cc->sk == sk;
		/* Without BTF: the owner closing the socket's fd, or any of
		 * its fds when that is unknown (accept fallback). */
		return pid == owner_pid && (owner_fd < 0 || cc->fd == owner_fd);
	}
	if (KCONST(tt_k_close_mode) == TT_CLOSE_KPROBE || !current_exiting())
		return 0;
	/* An exiting task: the change must come from the release of its
	 * own last reference (a forked child holding the socket releases
	 * it too), not from a packet processed while it exits, such as the
	 * FIN its own exit sent to a child not yet accepted (owner 0: no
	 * file, so it would look released). Without BTF: the owner's exit. */
	if (KCONST(tt_k_has_sk_socket))
		return owner_pid && sock_being_released(sk);
	return pid == owner_pid;
}

/* The close event of a tracked socket, by the current task; 0 if there
 * is no scratch space. */
static __always_inline struct tt_event *close_event(__u64 sk,
						    const struct tracked_sock *ts)
{
	struct tt_event *e = scratch_event();

	if (!e)
		return 0;
	fill_task(e);
	fill_netns(e, sk);
	e->type = TT_EVENT_CLOSE;
	e->fd = -1;
	e->accept_fd = -1;
	set_addresses(e, &ts->tuple);
	return e;
}

static __always_inline void emit_close(void *ctx, __u64 sk,
				       const struct tracked_sock *ts)
{
	struct tt_event *e = close_event(sk, ts);

	if (e)
		emit(ctx, e);
}

/* tracepoint backend: a state change or destruction of a tracked socket:
 * its close event (the socket is no longer followed), or 0. With closes
 * taken at close(2), only an exiting task's are left here: most state
 * changes stop at that test. */
static __always_inline struct tt_event *closed_on_transition(__u64 sk)
{
	struct tracked_sock *ts;
	struct tt_event *e;

	if (KCONST(tt_k_close_mode) == TT_CLOSE_KPROBE ||
	    (KCONST(tt_k_close_mode) == TT_CLOSE_SYSCALL && !current_exiting()))
		return 0;
	ts = bpf_map_lookup_elem(&sockets, &sk);
	if (!ts || !closing_in_owner_context(sk, ts->pid, ts->fd))
		return 0;
	e = close_event(sk, ts);
	bpf_map_delete_elem(&sockets, &sk);
	return e;
}

static __always_inline void mark_closing(__u64 sk, __s32 fd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct close_call cc = {
		.sk = sk, .fd = fd, .when_ns = bpf_ktime_get_ns(),
	};

	bpf_map_update_elem(&close_calls, &tid, &cc, BPF_ANY);
}

SEC("kprobe/tcp_close")
int tt_kprobe_tcp_close(struct pt_regs *regs)
{
	__u64 sk = PT_ARG1(regs);
	struct tracked_sock *ts = bpf_map_lookup_elem(&sockets, &sk);

	if (ts) {
		emit_close(regs, sk, ts);
		bpf_map_delete_elem(&sockets, &sk);
		return 0;
	}
	/* Still connecting: the SYN_SENT->CLOSE that follows is an abort. */
	if (bpf_map_lookup_elem(&pending, &sk))
		mark_closing(sk, -1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int tt_sys_enter_close(void *ctx)
{
	__s32 fd = (__s32)TP_LOAD(u64, ctx, sys_arg0, 0);
	struct tracked_sock *ts;
	__u64 file, sk;

	if (!KCONST(tt_k_has_fdwalk)) {
		mark_closing(0, fd);	/* matched by pid and fd */
		return 0;
	}
	file = fd_to_file(fd);
	sk = file_to_sock(file);
	ts = bpf_map_lookup_elem(&sockets, &sk);
	if (ts && KCONST(tt_k_close_mode) == TT_CLOSE_SYSCALL) {
		/* Another reference (a dup, a fork) keeps it open: its
		 * last close is the one. */
		if (last_reference(file)) {
			emit_close(ctx, sk, ts);
			bpf_map_delete_elem(&sockets, &sk);
		}
		return 0;
	}
	/* Still connecting (the SYN_SENT->CLOSE that follows is an abort),
	 * or, without the reference count, the state change to come. */
	if (ts || bpf_map_lookup_elem(&pending, &sk))
		mark_closing(sk, fd);
	return 0;	/* not a socket we follow: most closes */
}

SEC("tracepoint/sched/sched_process_exit")
int tt_sched_process_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), one = 1;

	bpf_map_update_elem(&exiting, &tid, &one, BPF_ANY);
	return 0;
}

SEC("tracepoint/tcp/tcp_destroy_sock")
int tt_tcp_destroy_sock(void *ctx)
{
	__u64 sk = TP_LOAD(u64, ctx, tds_skaddr, 0);
	struct tt_event *e = closed_on_transition(sk);

	if (e)
		emit(ctx, e);
	/* Usually gone already: a lookup is cheaper than a delete. */
	if (bpf_map_lookup_elem(&sockets, &sk))
		bpf_map_delete_elem(&sockets, &sk);
	if (bpf_map_lookup_elem(&pending, &sk))
		bpf_map_delete_elem(&pending, &sk);
	return 0;
}

#endif
