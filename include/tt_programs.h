/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every program of the BPF object, named once for both sides. A
 * program's ELF section names its hook: "tracepoint/<category>/<event>"
 * or "kprobe/<function>". The BPF side gives each program its section
 * by id, SEC(TT_SECTION(id)); the loader plans, loads and attaches the
 * programs by id (TT_PROG_<id>), taking their sections from here too.
 */
#ifndef TT_PROGRAMS_H
#define TT_PROGRAMS_H

#define TT_SECTION(id) TT_SECTION_##id

/* The state machine both backends share (bpf/state_change.h). */
#define TT_SECTION_inet_sock_set_state "tracepoint/sock/inet_sock_set_state"
/* connect (bpf/connect.h) */
#define TT_SECTION_sys_enter_connect "tracepoint/syscalls/sys_enter_connect"
#define TT_SECTION_sys_exit_connect "tracepoint/syscalls/sys_exit_connect"
#define TT_SECTION_tcp_v4_connect "kprobe/tcp_v4_connect"
#define TT_SECTION_tcp_v6_connect "kprobe/tcp_v6_connect"
#define TT_SECTION_inet_sk_error_report "tracepoint/sock/inet_sk_error_report"
#define TT_SECTION_tcp_receive_reset "tracepoint/tcp/tcp_receive_reset"
/* accept (bpf/accept.h) */
#define TT_SECTION_sys_enter_accept "tracepoint/syscalls/sys_enter_accept"
#define TT_SECTION_sys_enter_accept4 "tracepoint/syscalls/sys_enter_accept4"
#define TT_SECTION_sys_exit_accept "tracepoint/syscalls/sys_exit_accept"
#define TT_SECTION_sys_exit_accept4 "tracepoint/syscalls/sys_exit_accept4"
#define TT_SECTION_security_sock_graft "kprobe/security_sock_graft"
#define TT_SECTION_sys_enter_listen "tracepoint/syscalls/sys_enter_listen"
/* close (bpf/close.h) */
#define TT_SECTION_tcp_close "kprobe/tcp_close"
#define TT_SECTION_sys_enter_close "tracepoint/syscalls/sys_enter_close"
#define TT_SECTION_sched_process_exit "tracepoint/sched/sched_process_exit"
#define TT_SECTION_tcp_destroy_sock "tracepoint/tcp/tcp_destroy_sock"
/* containers (bpf/cgroup.h) */
#define TT_SECTION_cgroup_mkdir "tracepoint/cgroup/cgroup_mkdir"

/*
 * X(id, optional), one line per TT_SECTION_<id> above. optional: the
 * running kernel may lack the hook, and trace_tcp then runs without the
 * program (reporting less, as its start-up line says).
 */
#define TT_PROGRAM_LIST(X)                                             \
	X(inet_sock_set_state, 0)                                      \
	X(sys_enter_connect, 0)                                        \
	X(sys_exit_connect, 0)                                         \
	X(tcp_v4_connect, 0)                                           \
	X(tcp_v6_connect, 0)                                           \
	X(inet_sk_error_report, 1)	/* 5.14+ */                    \
	X(tcp_receive_reset, 1)		/* before it, without BTF */    \
	X(sys_enter_accept, 0)                                         \
	X(sys_enter_accept4, 0)                                        \
	X(sys_exit_accept, 0)                                          \
	X(sys_exit_accept4, 0)                                         \
	X(security_sock_graft, 1)	/* CONFIG_SECURITY */          \
	X(sys_enter_listen, 0)                                         \
	X(tcp_close, 0)                                                \
	X(sys_enter_close, 0)                                          \
	X(sched_process_exit, 0)                                       \
	X(tcp_destroy_sock, 1)                                         \
	X(cgroup_mkdir, 1)		/* with 64-bit ids: 5.5+ */

enum tt_program {
#define TT_PROGRAM_ID(id, optional) TT_PROG_##id,
	TT_PROGRAM_LIST(TT_PROGRAM_ID)
#undef TT_PROGRAM_ID
	TT_PROGRAMS	/* how many there are */
};

#endif
