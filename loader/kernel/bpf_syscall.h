/* SPDX-License-Identifier: GPL-2.0-only */
/* Thin wrappers around bpf(2) and perf_event_open(2): one call each,
 * returning what the kernel returned (-1 and errno on failure). */
#ifndef BPF_SYSCALL_H
#define BPF_SYSCALL_H

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
		   uint32_t value_size, uint32_t max_entries, uint32_t flags);
int bpf_map_update(int map_fd, const void *key, const void *value,
		   uint64_t flags);
int bpf_map_lookup(int map_fd, const void *key, void *value);
int bpf_map_delete(int map_fd, const void *key);
int bpf_map_next_key(int map_fd, const void *key, void *next_key);
/* run_cnt and run_time_ns count while kernel.bpf_stats_enabled is 1. */
int bpf_prog_info(int prog_fd, struct bpf_prog_info *info);
/* log may be NULL (no verifier log); kern_version matters for kprobes
 * on kernels before 5.0. */
int bpf_prog_load(uint32_t type, const char *name,
		  const struct bpf_insn *insns, size_t ninsns,
		  const char *license, uint32_t kern_version, char *log,
		  size_t log_size);
int perf_event_open(struct perf_event_attr *attr, int pid, int cpu,
		    int group_fd, unsigned long flags);

#endif
