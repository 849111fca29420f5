/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who did it: the current task's identity, and, where the kernel has BTF,
 * its parent and namespaces, and the fd table walk fd -> struct sock.
 */
#ifndef TT_TASK_H
#define TT_TASK_H

#include "kconst.h"
#include "maps.h"

/*
 * A kernel word at base + off, 0 if unreadable. No test of base: every
 * test is two paths for the verifier through all that follows, and a
 * read at NULL + off fails (0) like any bad address (bpf_probe_read_kernel
 * never reads user memory; before 5.5, see include/bpf_api.h). So a
 * chain of reads through a NULL pointer ends in 0: an exiting task's
 * nsproxy, once its namespaces are gone, gives mntns_id 0, which no
 * namespace has, and which user space shows as unknown.
 */
static __always_inline __u64 read_ptr(__u64 base, __u64 off)
{
	__u64 val = 0;

	bpf_probe_read_kernel(&val, sizeof(val), (const void *)(base + off));
	return val;
}

static __always_inline __u32 read_u32(__u64 base, __u64 off)
{
	__u32 val = 0;

	bpf_probe_read_kernel(&val, sizeof(val), (const void *)(base + off));
	return val;
}

static __always_inline void fill_parent(struct tt_event *e, __u64 task)
{
	__u64 parent = read_ptr(task, KCONST(tt_k_task_real_parent));

	e->ppid = read_u32(parent, KCONST(tt_k_task_tgid));
	bpf_probe_read_kernel(e->pcomm, sizeof(e->pcomm),
			      (const void *)(parent + KCONST(tt_k_task_comm)));
	e->known |= TT_KNOWN_PARENT;
}

static __always_inline void fill_mntns(struct tt_event *e, __u64 task)
{
	__u64 nsproxy = read_ptr(task, KCONST(tt_k_task_nsproxy));
	__u64 mnt_ns = read_ptr(nsproxy, KCONST(tt_k_nsproxy_mnt_ns));

	e->mntns_id = read_u32(mnt_ns, KCONST(tt_k_mnt_ns_inum));
	e->known |= TT_KNOWN_MNTNS;
}

/* The socket's own network namespace (not the task's): its inode
 * number, 0 if unknown. A socket never changes namespace, so a tracked
 * socket keeps it (tracked_sock.netns_id) for its later events. */
static __always_inline __u32 sock_netns(__u64 sk)
{
	if (!KCONST(tt_k_has_netns))
		return 0;
	return read_u32(read_ptr(sk, KCONST(tt_k_sock_net)),
			KCONST(tt_k_net_inum));
}

static __always_inline void set_netns(struct tt_event *e, __u32 netns_id)
{
	if (!KCONST(tt_k_has_netns))
		return;
	e->netns_id = netns_id;
	e->known |= TT_KNOWN_NETNS;
}

static __always_inline void fill_netns(struct tt_event *e, __u64 sk)
{
	set_netns(e, sock_netns(sk));
}

/* Fill the "who" part of an event from the current task. */
static __always_inline void fill_task(struct tt_event *e)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();
	__u64 task;

	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (KCONST(tt_k_has_cgroup_id)) {
		e->cgroup_id = bpf_get_current_cgroup_id();
		e->known |= TT_KNOWN_CGROUP;
	}
	if (!KCONST(tt_k_has_parent) && !KCONST(tt_k_has_mntns))
		return;
	task = bpf_get_current_task();
	if (KCONST(tt_k_has_parent))
		fill_parent(e, task);
	if (KCONST(tt_k_has_mntns))
		fill_mntns(e, task);
}

/* current->files->fdt->fd[fd], or 0. */
static __always_inline __u64 fd_to_file(__s64 fd)
{
	__u64 task, files, fdt, fd_array;
	__u32 max_fds;

	if (!KCONST(tt_k_has_fdwalk) || fd < 0)
		return 0;
	task = bpf_get_current_task();
	files = read_ptr(task, KCONST(tt_k_task_files));
	fdt = read_ptr(files, KCONST(tt_k_files_fdt));
	if (!fdt)
		return 0;
	max_fds = read_u32(fdt, KCONST(tt_k_fdtable_max_fds));
	if ((__u64)fd >= max_fds)
		return 0;
	fd_array = read_ptr(fdt, KCONST(tt_k_fdtable_fd));
	return read_ptr(fd_array, (__u64)fd * 8);
}

/* file->private_data->sk. Reading a non-socket file this way yields a
 * pointer no map holds, so callers look it up. */
static __always_inline __u64 file_to_sock(__u64 file)
{
	__u64 socket = read_ptr(file, KCONST(tt_k_file_private_data));

	return read_ptr(socket, KCONST(tt_k_socket_sk));
}

static __always_inline __u64 fd_to_sock(__s64 fd)
{
	return file_to_sock(fd_to_file(fd));
}

/*
 * Does a task hold the socket (lock_sock)? Then the state change comes
 * from that task: softirq and timers change a socket's state only while
 * no task owns it, and queue their work to the owner otherwise.
 */
static __always_inline int sock_owned_by_task(__u64 sk)
{
	return read_u32(sk, KCONST(tt_k_sock_lock_owned)) != 0;
}

/*
 * Is the socket's file being released: no reference left, so the kernel
 * is in __fput -> sock_close -> tcp_close, in the task that dropped the
 * last reference (by close(2), exit, dup2, close_range...)? Then the
 * socket is still attached to its file (tcp_close orphans it last). No
 * reference: f_count 0, or a file_ref_t (6.13+) in its released/dead
 * range; counted from the one-reference value, both are at least
 * FILE_NO_REFS. A kernel socket has no file: never "released" here.
 */
#define FILE_NO_REFS 0xC000000000000000ULL	/* FILE_REF_RELEASED */

static __always_inline int file_being_released(__u64 sk)
{
	__u64 socket = read_ptr(sk, KCONST(tt_k_sock_socket));
	__u64 file;

	if (!socket)	/* an orphan: closed already */
		return 0;
	file = read_ptr(socket, KCONST(tt_k_socket_file));
	if (!file)
		return 0;
	return read_ptr(file, KCONST(tt_k_file_refs)) -
		       KCONST(tt_k_file_one_ref) >= FILE_NO_REFS;
}

#define PF_EXITING 0x00000004	/* include/linux/sched.h */

/* Is the current task exiting (its fds being closed by exit)? The task's
 * own flag where BTF tells where it is, else sched_process_exit's mark. */
static __always_inline int current_exiting(void)
{
	__u32 tid;

	if (KCONST(tt_k_has_task_flags))
		return read_u32(bpf_get_current_task(),
				KCONST(tt_k_task_flags)) & PF_EXITING;
	tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&exiting, &tid) != 0;
}

static __always_inline int sock_is_tcp(__u64 sk)
{
	__u16 protocol = 0;

	bpf_probe_read_kernel(&protocol, sizeof(protocol),
			      (const void *)(sk + KCONST(tt_k_sock_protocol)));
	return protocol == IPPROTO_TCP;
}

#endif
