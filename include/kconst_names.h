/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The names of the load-time constants, shared by the BPF side (which
 * references them through KCONST) and the loader (which resolves them).
 * Each line: X(symbol, meaning).
 */
#ifndef KCONST_NAMES_H
#define KCONST_NAMES_H

/* Modes chosen by the loader for the running kernel. */
#define TT_ACCEPT_GRAFT 1	/* kprobe security_sock_graft + sys_exit_accept */
#define TT_ACCEPT_FDWALK 2	/* sys_exit_accept + fd table walk (BTF) */
#define TT_ACCEPT_LISTENER 3	/* fallback: the task that called listen() */

#define TT_CLOSE_KPROBE 1	/* kprobe tcp_close */
#define TT_CLOSE_TRANSITION 2	/* state change seen inside close()/exit */
#define TT_CLOSE_RELEASE 3	/* state change inside the release of the
				 * socket's file: its last reference (BTF) */

#define TT_PRESYN_NONE 0	/* pre-SYN connect failures not reported */
#define TT_PRESYN_KPROBE 1	/* kprobe tcp_v{4,6}_connect marks TCP */
#define TT_PRESYN_FDWALK 2	/* fd table walk reads sk_protocol (BTF) */

/*
 * A build for a 32-bit CPU may run on a 32-bit kernel, whose records hold
 * 4-byte pointers and longs, or on a 64-bit one (compat user space): the
 * programs then load skaddr and the syscall arguments by the sizes the
 * format files give (tt_k_ptr_size, tt_k_long_size; bpf/tp_record.h).
 * A 64-bit CPU's kernel has 8-byte ones only.
 */
#if defined(__TARGET_ARCH_arm) || defined(__arm__) ||                  \
	((defined(__TARGET_ARCH_mips) || defined(__mips__)) &&             \
	 _MIPS_SZLONG == 32)
#define TT_KERNEL_WORD_VARIES 1
#endif
#ifdef TT_KERNEL_WORD_VARIES	/* also set by a unit test */
#define TT_KCONST_WORDS(X)                                             \
	X(tt_k_ptr_size)                                               \
	X(tt_k_long_size)                                              \
	/* each field again where it is 8 bytes, else TT_ABSENT */     \
	X(tt_k_iss_skaddr_wide)                                        \
	X(tt_k_tds_skaddr_wide)                                        \
	X(tt_k_trr_skaddr_wide)                                        \
	X(tt_k_sys_arg0_wide)                                          \
	X(tt_k_sys_arg1_wide)                                          \
	X(tt_k_sys_ret_wide)
#else
#define TT_KCONST_WORDS(X)
#endif

#define TT_KCONST_LIST(X)                                              \
	X(tt_k_filter)                                                 \
	X(tt_k_filter_tests)	/* tests in the filter map; 0: none */ \
	X(tt_k_accept_mode)                                            \
	X(tt_k_close_mode)                                             \
	X(tt_k_presyn_mode)                                            \
	X(tt_k_has_cgroup_id)	/* bpf_get_current_cgroup_id, 4.18+ */ \
	X(tt_k_regs_args)	/* syscall args from the task's registers */ \
	/* a syscall entered untraced gets no sys_exit (cpu_regs.h) */ \
	X(tt_k_exit_needs_traced_entry)                                \
	X(tt_k_track_sockets)	/* accept or close events wanted */    \
	X(tt_k_cgroup_filter)	/* cgroup_verdicts map is consulted */ \
	X(tt_k_ringbuf)		/* records go to the ring map (5.8+) */ \
	X(tt_k_ring_wakeup)	/* bytes waiting that wake the reader */ \
	X(tt_k_has_error_report) /* sock:inet_sk_error_report, 5.14+ */ \
	/* test only: connects' ESTABLISHED ignored (kernel/inject.h) */ \
	X(tt_k_inject_unseen_outcome)                                  \
	/* cgroup:cgroup_mkdir */                                      \
	X(tt_k_cgm_root)                                               \
	X(tt_k_cgm_id)                                                 \
	X(tt_k_cgm_path)                                               \
	/* sock:inet_sock_set_state */                                 \
	X(tt_k_iss_skaddr)                                             \
	X(tt_k_iss_oldstate)                                           \
	X(tt_k_iss_newstate)                                           \
	X(tt_k_iss_sport)                                              \
	X(tt_k_iss_dport)                                              \
	X(tt_k_iss_family)                                             \
	X(tt_k_iss_protocol)                                           \
	X(tt_k_iss_protocol_wide)                                      \
	X(tt_k_iss_saddr_v6)                                           \
	X(tt_k_iss_daddr_v6)                                           \
	X(tt_k_iss_saddr_w)                                            \
	X(tt_k_iss_daddr_w)                                            \
	/* sock:inet_sk_error_report */                                \
	X(tt_k_ser_error)                                              \
	X(tt_k_ser_sport)                                              \
	X(tt_k_ser_dport)                                              \
	X(tt_k_ser_family)                                             \
	X(tt_k_ser_protocol)                                           \
	X(tt_k_ser_protocol_wide)                                      \
	X(tt_k_ser_saddr_v6)                                           \
	X(tt_k_ser_daddr_v6)                                           \
	X(tt_k_ser_saddr_w)                                            \
	X(tt_k_ser_daddr_w)                                            \
	/* tcp:tcp_destroy_sock */                                     \
	X(tt_k_tds_skaddr)                                             \
	/* tcp:tcp_receive_reset (only before inet_sk_error_report) */ \
	X(tt_k_trr_skaddr)                                             \
	/* syscalls:sys_enter_* argument and sys_exit_* ret offsets */ \
	X(tt_k_sys_arg0)                                               \
	X(tt_k_sys_arg1)                                               \
	X(tt_k_sys_ret)                                                \
	/* BTF: task and namespaces */                                 \
	/* BTF-typed loads (AS_BTF, BTF_READ): the kfunc, and type ids */ \
	X(tt_k_btf_reads)                                              \
	X(tt_k_kfunc_bpf_rdonly_cast)                                  \
	X(tt_k_btf_task_struct)                                        \
	X(tt_k_btf_sock)                                               \
	X(tt_k_btf_socket)                                             \
	X(tt_k_btf_file)                                               \
	X(tt_k_task_pid)                                               \
	X(tt_k_task_cred)                                              \
	X(tt_k_cred_uid)                                               \
	X(tt_k_cred_gid)                                               \
	X(tt_k_task_cgroups)                                           \
	X(tt_k_css_set_dfl_cgrp)                                       \
	X(tt_k_cgroup_kn)                                              \
	X(tt_k_kernfs_node_id)                                         \
	X(tt_k_has_parent)                                             \
	X(tt_k_task_real_parent)                                       \
	X(tt_k_task_tgid)                                              \
	X(tt_k_task_comm)                                              \
	X(tt_k_has_mntns)                                              \
	X(tt_k_task_nsproxy)                                           \
	X(tt_k_nsproxy_mnt_ns)                                         \
	X(tt_k_mnt_ns_inum)                                            \
	X(tt_k_has_netns)                                              \
	X(tt_k_sock_net)                                               \
	X(tt_k_net_inum)                                               \
	/* BTF: fd table walk, fd -> struct sock */                    \
	X(tt_k_has_fdwalk)                                             \
	X(tt_k_task_files)                                             \
	X(tt_k_files_fdt)                                              \
	X(tt_k_fdtable_fd)                                             \
	X(tt_k_fdtable_max_fds)                                        \
	X(tt_k_file_private_data)                                      \
	X(tt_k_socket_sk)                                              \
	X(tt_k_sock_protocol)                                          \
	/* BTF: a file's reference count, the task's PF_EXITING */     \
	X(tt_k_file_refs)                                              \
	X(tt_k_file_one_ref)	/* its value for one reference */      \
	X(tt_k_has_task_flags)                                         \
	X(tt_k_task_flags)                                             \
	/* BTF: sock.sk_socket->file released, sock.sk_lock.owned */   \
	X(tt_k_sock_socket)                                            \
	X(tt_k_socket_file)                                            \
	X(tt_k_sock_lock_owned)                                        \
	/* BTF: sock.sk_err, a failed connect's errno at its CLOSE */  \
	X(tt_k_has_sock_err)                                           \
	X(tt_k_sock_err)                                               \
	/* BTF: a close's bytes, tcp_sock.bytes_acked, bytes_received, */ \
	/* and sock.__sk_common.skc_state, the state they were read in */ \
	X(tt_k_has_tcp_bytes)                                          \
	X(tt_k_sock_state)                                             \
	X(tt_k_tcp_bytes_acked)                                        \
	X(tt_k_tcp_bytes_received)                                     \
	/* which FINs they count: tcp_sock.snd_una, write_seq, and */  \
	/* the byte of sock's flags with SOCK_DONE, at this bit */     \
	X(tt_k_tcp_snd_una)                                            \
	X(tt_k_tcp_write_seq)                                          \
	X(tt_k_sock_done_byte)                                         \
	X(tt_k_sock_done_shift)                                        \
	TT_KCONST_WORDS(X)

#endif
