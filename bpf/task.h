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
 * never reads user memory; before 5.5, see bpf/bpf_api.h). So a
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

/*
 * The members the programs read, by the member's name (tt_k_<name> is
 * its offset): one load through a BTF-typed pointer where the kernel
 * allows it (tt_k_btf_reads: base then comes from AS_BTF or from such a
 * load), else a probe read. Either way an unreadable member reads 0.
 */
#define MEMBER_PTR(base, name)                                           \
	(KCONST_ONCE(tt_k_btf_reads) ? BTF_READ(u64, base, name, 0)           \
				: read_ptr(base, KCONST(tt_k_##name)))
#define MEMBER_U32(base, name)                                           \
	(KCONST_ONCE(tt_k_btf_reads) ? (__u32)BTF_READ(u32, base, name, 0)    \
				: read_u32(base, KCONST(tt_k_##name)))
/* A pointer from elsewhere (a tracepoint's skaddr, a probe read) as the
 * base of MEMBER_* reads of struct `type`. */
#define MEMBER_BASE(ptr, type)                                           \
	(KCONST_ONCE(tt_k_btf_reads) ? AS_BTF(ptr, type) : (__u64)(ptr))

static __always_inline __u64 current_task(void)
{
	return MEMBER_BASE(bpf_get_current_task(), task_struct);
}

/* A task's comm (16 bytes, into an 8-aligned place of struct tt_event). */
static __always_inline void copy_comm(char *dst, __u64 task)
{
	__u64 *d = (__u64 *)dst;

	if (!KCONST_ONCE(tt_k_btf_reads)) {
		bpf_probe_read_kernel(dst, TT_COMM_LEN,
				      (const void *)(task + KCONST(tt_k_task_comm)));
		return;
	}
	d[0] = BTF_READ(u64, task, task_comm, 0);
	d[1] = BTF_READ(u64, task, task_comm, 8);
}

static __always_inline void fill_parent(struct tt_event *e, __u64 task)
{
	__u64 parent = MEMBER_PTR(task, task_real_parent);

	e->ppid = MEMBER_U32(parent, task_tgid);
	copy_comm(e->pcomm, parent);
	e->known |= TT_KNOWN_PARENT;
}

static __always_inline void fill_mntns(struct tt_event *e, __u64 task)
{
	__u64 nsproxy = MEMBER_PTR(task, task_nsproxy);
	__u64 mnt_ns = MEMBER_PTR(nsproxy, nsproxy_mnt_ns);

	e->mntns_id = MEMBER_U32(mnt_ns, mnt_ns_inum);
	e->known |= TT_KNOWN_MNTNS;
}

/* The socket's own network namespace (not the task's): its inode
 * number, 0 if unknown. A socket never changes namespace, so a tracked
 * socket keeps it (tracked_sock.netns_id) for its later events. */
static __always_inline __u32 sock_netns(__u64 sk)
{
	if (!KCONST(tt_k_has_netns))
		return 0;
	return MEMBER_U32(MEMBER_PTR(MEMBER_BASE(sk, sock), sock_net),
			  net_inum);
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

/* pid, tid, uid, gid and cgroup id by BTF-typed loads: the task's own
 * members, its cred's (kuid values, as bpf_get_current_uid_gid gives
 * them) and its default cgroup's kernfs id (bpf_get_current_cgroup_id). */
static __always_inline void fill_ids_direct(struct tt_event *e, __u64 task)
{
	__u64 cred = MEMBER_PTR(task, task_cred);
	__u64 cgroup;

	e->pid = MEMBER_U32(task, task_tgid);
	e->tid = MEMBER_U32(task, task_pid);
	e->uid = MEMBER_U32(cred, cred_uid);
	e->gid = MEMBER_U32(cred, cred_gid);
	if (KCONST(tt_k_has_cgroup_id)) {
		cgroup = MEMBER_PTR(MEMBER_PTR(task, task_cgroups),
				    css_set_dfl_cgrp);
		e->cgroup_id = BTF_READ(u64, MEMBER_PTR(cgroup, cgroup_kn),
					kernfs_node_id, 0);
		e->known |= TT_KNOWN_CGROUP;
	}
}

/* Fill the "who" part of an event from the current task. */
static __always_inline void fill_task(struct tt_event *e)
{
	__u64 pid_tgid, uid_gid, task;

	if (KCONST_ONCE(tt_k_btf_reads)) {
		task = current_task();
		fill_ids_direct(e, task);
		copy_comm(e->comm, task);
		if (KCONST(tt_k_has_parent))
			fill_parent(e, task);
		if (KCONST(tt_k_has_mntns))
			fill_mntns(e, task);
		return;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	uid_gid = bpf_get_current_uid_gid();
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	if (KCONST(tt_k_has_cgroup_id)) {
		e->cgroup_id = bpf_get_current_cgroup_id();
		e->known |= TT_KNOWN_CGROUP;
	}
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!KCONST(tt_k_has_parent) && !KCONST(tt_k_has_mntns))
		return;
	task = bpf_get_current_task();
	if (KCONST(tt_k_has_parent))
		fill_parent(e, task);
	if (KCONST(tt_k_has_mntns))
		fill_mntns(e, task);
}

/* current->files->fdt->fd[fd], or 0. The slot is read by a probe read:
 * a load through a BTF-typed pointer takes no variable offset. */
static __always_inline __u64 fd_to_file(__s64 fd)
{
	__u64 task, files, fdt, fd_array;
	__u32 max_fds;

	if (!KCONST(tt_k_has_fdwalk) || fd < 0)
		return 0;
	task = current_task();
	files = MEMBER_PTR(task, task_files);
	fdt = MEMBER_PTR(files, files_fdt);
	if (!fdt)
		return 0;
	max_fds = MEMBER_U32(fdt, fdtable_max_fds);
	if ((__u64)fd >= max_fds)
		return 0;
	fd_array = MEMBER_PTR(fdt, fdtable_fd);	/* struct file **: a number */
	return read_ptr(fd_array, (__u64)fd * 8);
}

/* file->private_data->sk, as a number (a map key). Reading a non-socket
 * file this way yields a pointer no map holds, so callers look it up. */
static __always_inline __u64 file_to_sock(__u64 file)
{
	/* void *: a number either way */
	__u64 socket = MEMBER_PTR(MEMBER_BASE(file, file), file_private_data);

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
	return MEMBER_U32(MEMBER_BASE(sk, sock), sock_lock_owned) != 0;
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
	__u64 socket = MEMBER_PTR(MEMBER_BASE(sk, sock), sock_socket);
	__u64 file;

	if (!socket)	/* an orphan: closed already */
		return 0;
	file = MEMBER_PTR(socket, socket_file);
	if (!file)
		return 0;
	return MEMBER_PTR(file, file_refs) - KCONST(tt_k_file_one_ref) >=
	       FILE_NO_REFS;
}

/*
 * The current task's system call as its registers hold it (tt_k_regs_args,
 * 5.15+): the number, and the first two arguments, saved at syscall entry
 * and left there until the return to user space. With them a sys_exit_*
 * program knows the call's arguments without a sys_enter_* program: the
 * sys_enter tracepoints are then not enabled at all, which spares every
 * syscall in the system its perf_syscall_enter hook. Where each CPU keeps
 * them: include/cpu_regs.h.
 */
struct syscall_regs {
	__u64 arg1;
	__u64 arg0;
	__u64 nr;
};

#if defined(__TARGET_ARCH_x86)
/* struct pt_regs is x86_64 UAPI (asm/ptrace.h); rsi, rdi and orig_rax
 * lie next to each other. */
_Static_assert(__builtin_offsetof(struct pt_regs, rdi) ==
		       __builtin_offsetof(struct pt_regs, rsi) + 8 &&
	       __builtin_offsetof(struct pt_regs, orig_rax) ==
		       __builtin_offsetof(struct pt_regs, rsi) + 16,
	       "rsi, rdi, orig_rax are adjacent");

static __always_inline void current_syscall(struct syscall_regs *r)
{
	struct pt_regs *regs = bpf_task_pt_regs(bpf_get_current_task_btf());

	r->arg0 = regs->rdi;
	r->arg1 = regs->rsi;
	r->nr = regs->orig_rax;
}
#elif defined(__TARGET_ARCH_arm64)
/* The start of the kernel's struct pt_regs (include/cpu_regs.h). */
struct arm64_syscall_regs {
	struct user_pt_regs user;
	__u64 orig_x0;
	__s32 syscallno;
};
_Static_assert(__builtin_offsetof(struct arm64_syscall_regs, orig_x0) ==
		       TT_REGS_ARG0 &&
	       __builtin_offsetof(struct arm64_syscall_regs, syscallno) ==
		       TT_REGS_NR,
	       "orig_x0 and syscallno follow user_pt_regs");

static __always_inline void current_syscall(struct syscall_regs *r)
{
	struct arm64_syscall_regs *regs =
		bpf_task_pt_regs(bpf_get_current_task_btf());

	r->arg0 = regs->orig_x0;
	r->arg1 = regs->user.regs[1];
	r->nr = (__u64)(__s64)regs->syscallno;
}
#elif defined(TT_REGS_NONE)
/* Never called: the loader sets tt_k_regs_args only where the registers
 * are read (include/cpu_regs.h). */
static __always_inline void current_syscall(struct syscall_regs *r)
{
	r->arg0 = 0;
	r->arg1 = 0;
	r->nr = ~0ULL;
}
#endif

/*
 * Is this raw_syscalls record that of system call nr? Its number is the
 * long at 8, right after the common fields (the loader checks that in
 * the format): 8 bytes, or where the kernel's longs may be 4, as many
 * as tt_k_long_size says. this_syscall is for the sys_enter programs,
 * this_syscall_exit for the sys_exit ones; a syscalls:* event is its
 * call's own.
 */
#ifdef TT_KERNEL_WORD_VARIES
#define raw_syscall_nr(ctx)                                                \
	(KCONST(tt_k_long_size) == 4                                       \
		 ? (__s64)*(const __s32 *)((const char *)(ctx) + 8)        \
		 : *(const __s64 *)((const char *)(ctx) + 8))
#else
#define raw_syscall_nr(ctx) (*(const __s64 *)((const char *)(ctx) + 8))
#endif
#ifdef TT_RAW_SYSCALLS
#define this_syscall(ctx, nr) (raw_syscall_nr(ctx) == (nr))
#else
#define this_syscall(ctx, nr) 1
#endif
#if defined(TT_RAW_SYSCALLS) || defined(TT_RAW_SYSCALL_EXITS)
#define this_syscall_exit(ctx, nr) (raw_syscall_nr(ctx) == (nr))
#else
#define this_syscall_exit(ctx, nr) 1
#endif

#define PF_EXITING 0x00000004	/* include/linux/sched.h */

/* Is the current task exiting (its fds being closed by exit)? The task's
 * own flag where BTF tells where it is, else sched_process_exit's mark. */
static __always_inline int current_exiting(void)
{
	__u32 tid;

	if (KCONST(tt_k_has_task_flags))
		return MEMBER_U32(current_task(), task_flags) & PF_EXITING;
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
