/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the running kernel offers, each probed or derived in this one
 * place. A probe asks the kernel itself (a file in tracefs, a map or a
 * program it creates) where a version could lie (backports, configs);
 * a version gate stands only where no cheap probe tells.
 */
#ifndef TT_KERNEL_FEATURES_H
#define TT_KERNEL_FEATURES_H

#include "kernel/tracefs.h"

/* kprobe_events in tracefs: CONFIG_KPROBES (and its dynamic events). */
int feature_kprobes(const struct tracefs *t);
/* BPF_MAP_TYPE_RINGBUF can be created (5.8+, or a backport). */
int feature_ringbuf(void);
/* bpf_task_pt_regs on bpf_get_current_task_btf (5.15+), and the kernel's
 * pt_regs as include/cpu_regs.h expects it where that is not UAPI. */
int feature_task_regs_helpers(void);
/* The verifier takes those helpers' loads: a six-instruction program
 * that reads the current task's saved first syscall argument loads. */
int feature_task_regs_loadable(void);
/* BPF-typed loads of kernel structs via bpf_rdonly_cast (6.2+). */
int feature_btf_typed_loads(void);
/* BPF memory is charged to RLIMIT_MEMLOCK, not to the cgroup (< 5.11). */
int feature_memlock_charged(void);
/* Tracing programs may allocate hash entries on use (bpf_mem_alloc, 6.1+)
 * and the allocation keeps up: before 6.1 the verifier warns (a WARN
 * splat, 5.7-6.0) or refuses (PREEMPT_RT). bpf_mem_alloc hands out
 * entries from a per-CPU cache that IRQ work refills; where the kernel
 * has no IRQ work interrupt (MIPS) that waits for the next timer tick,
 * and a burst of new connections empties the cache: insertions fail
 * with ENOMEM (a mips64el guest's full-rate flood lost 1 to 3
 * connections in 7 of 12 runs). Where this says no, such maps are
 * preallocated. */
int feature_map_alloc_on_use(void);
/* bpf_get_current_cgroup_id (4.18+): events can carry a cgroup v2 id. */
int feature_cgroup_ids(void);

#endif
