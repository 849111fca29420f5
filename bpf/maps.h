/* SPDX-License-Identifier: GPL-2.0-only */
/* The maps: what the programs remember between tracepoint hits. */
#ifndef TT_MAPS_H
#define TT_MAPS_H

#include "bpf_api.h"
#include "trace_tcp.h"
#include "tt_filter.h"

/* A connection's addresses, as the tracepoints give them. 8-byte aligned
 * so that copies of it (and of its addresses into an event) are a few
 * 8-byte moves, not one instruction per byte. */
struct tt_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;	/* AF_INET or AF_INET6 */
	__u16 pad;
} __attribute__((aligned(8)));

/* A connect() between SYN_SENT and its outcome, keyed by struct sock *.
 * The event is filled in the connecting task's context. */
struct pending_connect {
	struct tt_event event;
	struct tt_tuple tuple;
	__u32 awaiting_error;	/* reached CLOSE; error report not seen yet */
	__u32 reset_seen;	/* an RST arrived in SYN_SENT (tcp_receive_reset) */
};

/*
 * A thread's connect() and accept() calls, keyed by tid. A thread keeps
 * its entry from one call to the next: entering a call overwrites it in
 * place and leaving it clears in_flight. A hash update allocates and a
 * delete frees, together about 100 ns a call here; in place, a call costs
 * lookups only. Entries outlive their threads, so the maps are LRU; an
 * entry still in flight is evicted only once 2048 other threads have
 * made such calls since it was entered (an accept() that blocked that
 * long then reports its listening fd as unknown). Each entry is
 * preallocated: 2048 rather than more keeps start-up short.
 */
struct connect_call {
	__u64 uservaddr;	/* the caller's struct sockaddr */
	__u64 sk;		/* set when SYN_SENT is reached */
	__s32 fd;
	__u8 is_tcp;		/* tcp_v{4,6}_connect was entered */
	__u8 syn_sent;
	__u8 in_flight;		/* between sys_enter and sys_exit */
	__u8 pad;
};

/* A socket that reached ESTABLISHED, keyed by struct sock *. */
struct tracked_sock {
	struct tt_tuple tuple;
	__u64 established_ns;	/* when followed (bpf/sockets.h) */
	__u32 pid;		/* owner: the connecting or accepting task */
	__s32 fd;		/* owner's fd, -1 when unknown */
	__u32 passive;		/* an accepted child */
	__u32 netns_id;		/* the socket's network namespace */
};

/* An accept() (see connect_call). */
struct accept_call {
	__u64 child;		/* struct sock * grafted to the new socket */
	__s32 fd;		/* listening fd, -1 when entered before us */
	__u32 in_flight;
};

/* A close in progress in this thread, keyed by tid: set by the tcp_close
 * kprobe, or by sys_enter_close on the tracepoint backend. */
struct close_call {
	__u64 sk;		/* the sock being closed; 0 when only fd is known */
	__u64 when_ns;
	__s32 fd;
	__u32 pad;
};

/* An error report seen before the SYN_SENT->CLOSE it belongs to. */
struct early_error {
	__u64 when_ns;
	__s32 error;
	__u32 pad;
};

/* A listening socket's owner (accept fallback), keyed by family+port. */
struct listener_key {
	__u16 family;
	__u16 port;
};

#define MAP_FLAGS(name_, type_, key_, value_, entries_, flags_)        \
	struct tt_map_def name_ SEC(TT_MAPS_SECTION) = {               \
		.type = (type_),                                       \
		.key_size = sizeof(key_),                              \
		.value_size = sizeof(value_),                          \
		.max_entries = (entries_),                             \
		.map_flags = (flags_),                                 \
	}
#define MAP(name_, type_, key_, value_, entries_)                     \
	MAP_FLAGS(name_, type_, key_, value_, entries_, 0)

/* Where records go. The BPF ring buffer (5.8+): one ring for all CPUs,
 * events and notices (new cgroups) in the order they were made; its size
 * in bytes is set by the loader, which makes it a placeholder on older
 * kernels. There, one perf ring per CPU (max_entries set by the loader)
 * for events, and one for notices, whose rings wake the reader at once. */
struct tt_map_def ring SEC(TT_MAPS_SECTION) = {
	.type = BPF_MAP_TYPE_RINGBUF,
};
MAP(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY, __u32, __u32, 0);
MAP(notices, BPF_MAP_TYPE_PERF_EVENT_ARRAY, __u32, __u32, 0);
/* The two tables of connections, keyed by struct sock *. Their entries
 * go at the outcome, the close or tcp_destroy_sock, so they are plain
 * hashes allocated on use (no 65536-entry preallocation at start-up); a
 * full table is counted (TT_COUNT_UNTRACKED), never silently evicted.
 * The loader makes them preallocated LRU hashes where that is unsafe
 * (TT_MAP_F_LRU_FALLBACK). */
MAP_FLAGS(pending, BPF_MAP_TYPE_HASH, __u64, struct pending_connect, 8192,
	  BPF_F_NO_PREALLOC | TT_MAP_F_LRU_FALLBACK);
/* A failed connect between its CLOSE and its error report, either way
 * round: the two come from one call chain, so few are ever in flight;
 * LRU (preallocated: start-up time grows with max_entries) lets a stale
 * one go. */
MAP(closing, BPF_MAP_TYPE_LRU_HASH, struct tt_tuple, __u64, 256);
MAP(early_errors, BPF_MAP_TYPE_LRU_HASH, struct tt_tuple, struct early_error, 256);
/* Set a thread's entry in connect_calls or accept_calls to *value_: in
 * place when it has one (entry_, its lookup), else inserted. */
#define SET_THREAD_ENTRY(map_, tid_, entry_, value_)                   \
	do {                                                           \
		if (entry_)                                            \
			*(entry_) = *(value_);                         \
		else                                                   \
			bpf_map_update_elem(&(map_), &(tid_), (value_),\
					    BPF_ANY);                  \
	} while (0)

/* Syscalls in flight, one entry per thread (see struct connect_call). */
MAP(connect_calls, BPF_MAP_TYPE_LRU_HASH, __u32, struct connect_call, 2048);
MAP_FLAGS(sockets, BPF_MAP_TYPE_HASH, __u64, struct tracked_sock, 65536,
	  BPF_F_NO_PREALLOC | TT_MAP_F_LRU_FALLBACK);
MAP(accept_calls, BPF_MAP_TYPE_LRU_HASH, __u32, struct accept_call, 2048);
MAP(close_calls, BPF_MAP_TYPE_LRU_HASH, __u32, struct close_call, 1024);
MAP(exiting, BPF_MAP_TYPE_LRU_HASH, __u32, __u32, 1024);
MAP(listeners, BPF_MAP_TYPE_LRU_HASH, struct listener_key, struct tt_event, 1024);
MAP(listen_calls, BPF_MAP_TYPE_LRU_HASH, __u32, __s32, 1024);
/* Per CPU, by enum tt_counter: events bpf_perf_event_output could not
 * store (ring full; the kernel's own PERF_RECORD_LOST reaches the reader
 * only with the next record on that ring, so at exit it can be short;
 * this count is exact), events a container filter hid, and connections
 * not followed because pending or sockets was full. */
MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, TT_COUNTERS);
/* Containers: user space's verdict per cgroup id, and the paths of
 * cgroups created since start (user space deletes each once read).
 * Allocated on use where the kernel allows it: most hosts need few. */
MAP_FLAGS(cgroup_verdicts, BPF_MAP_TYPE_HASH, __u64, __u8, 8192,
	  BPF_F_NO_PREALLOC);
MAP_FLAGS(new_cgroups, BPF_MAP_TYPE_HASH, __u64, struct tt_cgroup_path, 1024,
	  BPF_F_NO_PREALLOC);
/* --pid, --uid, --comm..., the kernel's share of -F (bpf/filter.h):
 * written once by the loader before the programs are attached. */
MAP(filter, BPF_MAP_TYPE_ARRAY, __u32, struct tt_filter, 1);
/* Scratch space for building an event: too big for a comfortable stack. */
MAP(scratch, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct pending_connect, 1);

#endif
