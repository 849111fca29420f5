// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tcp's kernel side: every program of both backends, one per hook,
 * each handing its record to a handler in the header of its event kind.
 * Each takes its ELF section, which names the hook, from the table both
 * sides share (include/tt_programs.h); the loader loads and attaches the
 * subset the running kernel supports (loader/plan/plan.c).
 */
#include "bpf_api.h"
#include "tt_programs.h"
#include "state_change.h"
#include "connect.h"
#include "accept.h"
#include "close.h"
#include "cgroup.h"

/* Every TCP state change: connects, accepted children, listeners and
 * closes, for both backends (state_change.h). */
SEC(TT_SECTION(inet_sock_set_state))
int tt_inet_sock_set_state(void *ctx)
{
	state_changed(ctx);
	return 0;
}

/* connect (connect.h) */
SEC(TT_SECTION(sys_enter_connect))
int tt_sys_enter_connect(void *ctx)
{
	if (this_syscall(ctx, __NR_connect))
		connect_entered(ctx);
	return 0;
}

SEC(TT_SECTION(sys_exit_connect))
int tt_sys_exit_connect(void *ctx)
{
	if (this_syscall_exit(ctx, __NR_connect))
		connect_exited(ctx);
	return 0;
}

/* kprobe backend: tcp_v{4,6}_connect() tells a TCP connect(2) from any
 * other, so that failures before the SYN can be reported. */
SEC(TT_SECTION(tcp_v4_connect))
int tt_kprobe_tcp_v4_connect(struct pt_regs *regs)
{
	mark_tcp_connect(regs);
	return 0;
}

SEC(TT_SECTION(tcp_v6_connect))
int tt_kprobe_tcp_v6_connect(struct pt_regs *regs)
{
	mark_tcp_connect(regs);
	return 0;
}

/* Before inet_sk_error_report, without BTF: an RST refusing a connect. */
SEC(TT_SECTION(tcp_receive_reset))
int tt_tcp_receive_reset(void *ctx)
{
	reset_received(ctx);
	return 0;
}

SEC(TT_SECTION(inet_sk_error_report))
int tt_inet_sk_error_report(void *ctx)
{
	sock_error_reported(ctx);
	return 0;
}

/* accept (accept.h) */
SEC(TT_SECTION(sys_enter_accept))
int tt_sys_enter_accept(void *ctx)
{
	if (this_syscall(ctx, __NR_accept))
		accept_entered(ctx);
	return 0;
}

SEC(TT_SECTION(sys_enter_accept4))
int tt_sys_enter_accept4(void *ctx)
{
	if (this_syscall(ctx, __NR_accept4))
		accept_entered(ctx);
	return 0;
}

SEC(TT_SECTION(sys_exit_accept))
int tt_sys_exit_accept(void *ctx)
{
	if (this_syscall_exit(ctx, __NR_accept))
		accept_exited(ctx);
	return 0;
}

SEC(TT_SECTION(sys_exit_accept4))
int tt_sys_exit_accept4(void *ctx)
{
	if (this_syscall_exit(ctx, __NR_accept4))
		accept_exited(ctx);
	return 0;
}

SEC(TT_SECTION(security_sock_graft))
int tt_kprobe_security_sock_graft(struct pt_regs *regs)
{
	child_grafted(regs);
	return 0;
}

SEC(TT_SECTION(sys_enter_listen))
int tt_sys_enter_listen(void *ctx)
{
	if (this_syscall(ctx, __NR_listen))
		listen_entered(ctx);
	return 0;
}

/* close (close.h) */
SEC(TT_SECTION(tcp_close))
int tt_kprobe_tcp_close(struct pt_regs *regs)
{
	tcp_close_called(regs);
	return 0;
}

SEC(TT_SECTION(sys_enter_close))
int tt_sys_enter_close(void *ctx)
{
	if (this_syscall(ctx, __NR_close))
		close_entered(ctx);
	return 0;
}

SEC(TT_SECTION(sched_process_exit))
int tt_sched_process_exit(void *ctx)
{
	task_exited(ctx);
	return 0;
}

SEC(TT_SECTION(tcp_destroy_sock))
int tt_tcp_destroy_sock(void *ctx)
{
	sock_destroyed(ctx);
	return 0;
}

/* containers (cgroup.h) */
SEC(TT_SECTION(cgroup_mkdir))
int tt_cgroup_mkdir(void *ctx)
{
	cgroup_created(ctx);
	return 0;
}

char _license[] SEC("license") = "GPL";
