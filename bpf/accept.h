/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * accept: from the accepting task, with the listening fd and the new fd.
 *
 * The child socket's tuple is known when it reaches ESTABLISHED (softirq).
 * Which task accepts it is known only in accept(2). The new fd is known at
 * sys_exit_accept*, which fires even for an accept() that blocked before
 * we attached, except on a kernel that reports a syscall's exit only if
 * its entry was traced (include/cpu_regs.h); nothing here depends on a
 * kretprobe. The child is matched to the accept by:
 *   TT_ACCEPT_GRAFT     kprobe security_sock_graft(child, newsock), called
 *                       by sock_graft() inside accept in the accepting task
 *                       (where no sys_exit will come, the event is emitted
 *                       there, its new fd unknown: -1);
 *   TT_ACCEPT_FDWALK    the new fd looked up in the task's fd table (BTF);
 *   TT_ACCEPT_LISTENER  fallback without both: the event is emitted when
 *                       the child is established, for the task that called
 *                       listen(); accept_fd stays -1.
 */
#ifndef TT_ACCEPT_H
#define TT_ACCEPT_H

#include "emit.h"
#include "task.h"
#include "tp_record.h"

static __always_inline void accept_entered(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct accept_call *entry = bpf_map_lookup_elem(&accept_calls, &tid);
	struct accept_call ac = { .in_flight = 1 };

	ac.fd = (__s32)TP_LOAD_LONG(ctx, sys_arg0);
	SET_THREAD_ENTRY(accept_calls, tid, entry, &ac);
}

/* Does this kernel report a syscall's exit only if its entry was traced
 * (include/cpu_regs.h)? A load-time fact where the CPU's kernel may. */
#ifdef TT_EXIT_NEEDS_TRACED_ENTRY
#define EXIT_NEEDS_TRACED_ENTRY KCONST(tt_k_exit_needs_traced_entry)
#else
#define EXIT_NEEDS_TRACED_ENTRY 0
#endif

/* The listening fd, from the accepting task's registers where the plan
 * reads them (tt_k_regs_args), else -1 (unknown). */
static __always_inline __s32 listen_fd_in_regs(void)
{
	struct syscall_regs r;

	if (!KCONST(tt_k_regs_args))
		return -1;
	current_syscall(&r);
	return (__s32)r.arg0;
}

static __always_inline void emit_accept(void *ctx, struct tracked_sock *ts,
					__s32 listen_fd, __s32 new_fd)
{
	struct tt_event *e = scratch_event();

	if (!e)
		return;
	fill_task(e);
	set_netns(e, ts->netns_id);
	e->type = TT_EVENT_ACCEPT;
	e->fd = listen_fd;
	e->accept_fd = new_fd;
	set_addresses(e, &ts->tuple);
	/* The acceptor owns it now: its close is the one to report. */
	ts->pid = e->pid;
	ts->fd = new_fd;
	emit(ctx, e);
}

static __always_inline void accept_exited(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct accept_call *ac = 0;
	__s64 new_fd = TP_LOAD_SLONG(ctx, sys_ret);
	struct tracked_sock *ts;
	struct syscall_regs r;
	__s32 listen_fd = -1;
	__u64 sk = 0;

	/* The listening fd: from the registers (tt_k_regs_args, which
	 * comes with the fd table walk), or from sys_enter_accept*. */
	if (KCONST(tt_k_regs_args)) {
		current_syscall(&r);
		listen_fd = (__s32)r.arg0;
	} else {
		ac = bpf_map_lookup_elem(&accept_calls, &tid);
	}
	if (ac && ac->in_flight) {
		listen_fd = ac->fd;
		sk = ac->child;
		ac->in_flight = 0;
	}
	if (new_fd < 0)
		return;
	if (KCONST(tt_k_accept_mode) == TT_ACCEPT_FDWALK)
		sk = fd_to_sock(new_fd);
	if (!sk)
		return;
	ts = bpf_map_lookup_elem(&sockets, &sk);
	if (ts && ts->passive)
		emit_accept(ctx, ts, listen_fd, (__s32)new_fd);
	else if (!ts && KCONST(tt_k_sock_protocol) && sock_is_tcp(sk))
		count(TT_COUNT_ACCEPT_UNSEEN);
}

/* sock_graft() -> security_sock_graft(sk, parent): in the accepting task,
 * after the child left the accept queue. */
static __always_inline void child_grafted(struct pt_regs *regs)
{
	__u64 sk = PT_ARG1(regs);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tracked_sock *ts = bpf_map_lookup_elem(&sockets, &sk);
	struct accept_call *ac, fresh = { .fd = -1, .in_flight = 1 };

	if (!ts && KCONST(tt_k_sock_protocol) && sock_is_tcp(sk))
		count(TT_COUNT_ACCEPT_UNSEEN);	/* as in accept_exited */
	if (!ts || !ts->passive)
		return;
	ac = bpf_map_lookup_elem(&accept_calls, &tid);
	if (ac && ac->in_flight) {
		ac->child = sk;
		return;
	}
	/* accept() entered before we attached: its sys_exit tells the new
	 * fd, unless this kernel gives it none. Then the event is emitted
	 * here, once: no entry is left for a sys_exit to emit it again. */
	if (EXIT_NEEDS_TRACED_ENTRY) {
		emit_accept(regs, ts, listen_fd_in_regs(), -1);
		return;
	}
	fresh.child = sk;
	SET_THREAD_ENTRY(accept_calls, tid, ac, &fresh);
}

/* Fallback: remember who listens on which port (in listen(2)'s context). */
static __always_inline void listen_entered(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__s32 fd = (__s32)TP_LOAD_LONG(ctx, sys_arg0);

	bpf_map_update_elem(&listen_calls, &tid, &fd, BPF_ANY);
}

static __always_inline void listener_started(const struct tt_tuple *t)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct listener_key key = { .family = t->family, .port = t->sport };
	struct tt_event *e = scratch_event();
	__s32 *fd = bpf_map_lookup_elem(&listen_calls, &tid);

	if (!e)
		return;
	fill_task(e);
	e->fd = fd ? *fd : -1;
	bpf_map_update_elem(&listeners, &key, e, BPF_ANY);
}

/* A child established on a listener we know: its accept event, or 0. */
static __always_inline struct tt_event *accepted_by_listener(__u64 sk,
							     const struct tt_tuple *t)
{
	struct listener_key key = { .family = t->family, .port = t->sport };
	struct tt_event *owner = bpf_map_lookup_elem(&listeners, &key);
	struct pending_connect *scratch;
	struct tracked_sock *ts;
	struct tt_event *e;

	if (!owner)
		return 0;
	scratch = scratch_space();
	if (!scratch)
		return 0;
	e = &scratch->event;
	__builtin_memcpy(e, owner, sizeof(*e));	/* all of it: no zeroing */
	fill_netns(e, sk);
	e->type = TT_EVENT_ACCEPT;
	e->accept_fd = -1;
	set_addresses(e, t);
	/* The listener's process will own it; its fd is unknown. */
	ts = bpf_map_lookup_elem(&sockets, &sk);
	if (ts)
		ts->pid = e->pid;
	return e;
}

#endif
