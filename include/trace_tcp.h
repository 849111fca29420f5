/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one event layout shared by the BPF programs (bpf/) and user space
 * (loader/). Both sides include this file; nothing else crosses the
 * perf buffer.
 */
#ifndef TRACE_TCP_H
#define TRACE_TCP_H

#include <linux/types.h>

#define TT_COMM_LEN 16

enum tt_event_type {
	TT_EVENT_CONNECT = 1,
	TT_EVENT_ACCEPT = 2,
	TT_EVENT_CLOSE = 3,
	/* Not an event: a cgroup v2 directory was created (cgroup_id); the
	 * programs left its path in the new_cgroups map. Sent so that user
	 * space names a container before that container's first event. */
	TT_RECORD_CGROUP_MKDIR = 16,
};

/* Bits of tt_event.known: which optional fields the kernel can give us
 * (BTF). A field whose bit is clear is omitted from the output, and so
 * is a namespace id of 0: none has it, it means unreadable (an exiting
 * task's namespaces, once released). */
enum tt_known {
	TT_KNOWN_NETNS = 1 << 0,
	TT_KNOWN_MNTNS = 1 << 1,
	TT_KNOWN_PARENT = 1 << 2,
	TT_KNOWN_CGROUP = 1 << 3,
	TT_KNOWN_DURATION = 1 << 4,	/* close: duration_ns */
	TT_KNOWN_BYTES = 1 << 5,	/* close: sent_ and received_bytes */
};

/* tt_event.error of a connect that failed where the kernel does not tell
 * the errno: before inet_sk_error_report (5.14) and without the BTF that
 * locates sock.sk_err, a non-blocking connect that timed out or met an
 * ICMP error. Never 0, which means success. */
#define TT_ERROR_UNKNOWN (-1)

struct tt_event {
	__u64 timestamp_ns;	/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 cgroup_id;
	__u32 netns_id;		/* inode number of the net namespace */
	__u32 mntns_id;		/* inode number of the mount namespace */
	__u32 pid;		/* tgid of the task that did it */
	__u32 tid;
	__u32 ppid;		/* tgid of its parent */
	__u32 uid;
	__u32 gid;
	__s32 fd;		/* connect: socket fd; accept: listening fd; -1 unknown */
	__s32 accept_fd;	/* accept: new fd; -1 otherwise */
	__s32 error;		/* positive errno; 0 on success;
				 * TT_ERROR_UNKNOWN: failed, errno untold */
	__u16 sport;		/* local port, host byte order */
	__u16 dport;		/* remote port, host byte order */
	__u16 known;		/* enum tt_known bits */
	__u8 type;		/* enum tt_event_type */
	__u8 family;		/* 4 or 6 */
	char comm[TT_COMM_LEN];
	char pcomm[TT_COMM_LEN];	/* parent's comm */
	__u8 saddr[16];		/* local address; IPv4 in the first 4 bytes */
	__u8 daddr[16];		/* remote address */
	/* close: the connection's life, from its connect's or accept's
	 * event to its close, and the bytes it moved: acknowledged by the
	 * peer (tcp_sock.bytes_acked) and received (bytes_received). */
	__u64 duration_ns;
	__u64 sent_bytes;
	__u64 received_bytes;
};
/* The same bytes on both sides and on every CPU (32-bit ones included):
 * fixed-width members only, each at its natural alignment. */
_Static_assert(sizeof(struct tt_event) == 152, "struct tt_event is 152 bytes");

/* A new cgroup's path (new_cgroups map value), NUL-terminated. Runtime
 * cgroup paths, kubepods ones included, stay well below this. */
#define TT_CGROUP_PATH_LEN 256
struct tt_cgroup_path {
	char path[TT_CGROUP_PATH_LEN];
};

/* cgroup_verdicts map values: user space's decision for one cgroup id
 * (-c/--containername, --containers-only). No entry: not decided yet,
 * the event goes to user space, which decides and fills the map. */
enum tt_cgroup_verdict {
	TT_CGROUP_SHOW = 1,
	TT_CGROUP_HIDE = 2,
};

/* Slots of the per-CPU counters map. */
enum tt_counter {
	TT_COUNT_DROPPED = 0,	/* bpf_perf_event_output failed: ring full */
	TT_COUNT_HIDDEN = 1,	/* dropped by a container filter's verdict */
	TT_COUNT_UNTRACKED = 2,	/* a connection not followed: its table was full */
	/* The sockets table's own books, so that a close never goes missing
	 * silently: entries put in, entries taken out (by any path), and of
	 * those taken out, sockets that ended without their close seen. */
	TT_COUNT_SOCK_IN = 3,
	TT_COUNT_SOCK_OUT = 4,
	TT_COUNT_CLOSE_UNSEEN = 5,
	/* Events lost because a connect's outcome went unseen: its event,
	 * at its socket's destruction (bpf/close.h, sock_destroyed), or its
	 * event and its close, at its owner's close (established_unseen). */
	TT_COUNT_OUTCOME_UNSEEN = 6,
	/* Not sent: an in-kernel filter (--connect-only..., --pid..., the
	 * kernel's share of -F) did not want it. */
	TT_COUNT_FILTERED = 7,
	/* A connection not followed: the kernel had no memory for its table
	 * entry then (ENOMEM: an entry allocated on use, from a per-CPU
	 * cache the kernel refills later, e.g. at the next tick). */
	TT_COUNT_NO_ENTRY = 8,
	/* An accept(2) of a TCP connection not followed (its table was
	 * full, or it was established before the start): its tuple is
	 * unknown, its accept event not made. */
	TT_COUNT_ACCEPT_UNSEEN = 9,
	TT_COUNTERS
};

/* --connect-only, --accept-only, --failure-only: tt_k_filter bits. */
enum tt_type_filter {
	TT_ONLY_CONNECT = 1 << 0,
	TT_ONLY_ACCEPT = 1 << 1,
	TT_ONLY_FAILURE = 1 << 2,
};

#endif
