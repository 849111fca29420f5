/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection for the test suite. TRACE_TCP_REFUSE, a comma-separated
 * list, makes the kernel's verifier refuse a feature the running kernel
 * has, so that the fallback a kernel without it takes runs here too:
 *   btf-reads  the BTF-typed loads (a BTF id no type has), so the
 *              programs are loaded again with probe reads;
 *   regs       the probe of bpf_task_pt_regs (a load past struct
 *              pt_regs), so syscall arguments come from sys_enter;
 *   programs   every program (a read of an unset register), which no
 *              fallback mends: the verifier's log and a clean exit.
 * The refusals are the verifier's own; nothing else changes.
 *
 * TRACE_TCP_HIDE, likewise, makes trace_tcp plan as if the running kernel
 * lacked a hook or a BTF member it has, so that an older kernel's path
 * runs on a newer one too:
 *   error-report  sock:inet_sk_error_report (added in 5.14);
 *   sock-err      the BTF member sock.sk_err;
 *   ringbuf       the BPF ring buffer (5.8): events go through one
 *                 perf ring per CPU instead.
 *
 * TRACE_TCP_INJECT, likewise, makes trace_tcp do something it never
 * does:
 *   forbidden-call  one socket(2) as the event loop starts, which the
 *                   sandbox (loader/sandbox/) refuses: the refusal is
 *                   reported, and the run ends through its teardown;
 *   unseen-outcome  the programs ignore every connect's SYN_SENT->
 *                   ESTABLISHED, as when the kernel skips a program
 *                   (another BPF program running on that CPU): those
 *                   connects' events, and their closes, are counted lost.
 */
#ifndef TT_INJECT_H
#define TT_INJECT_H

/* 1 if TRACE_TCP_REFUSE names `feature`. */
int refusal_injected(const char *feature);
/* 1 if TRACE_TCP_HIDE names `feature`. */
int hiding_injected(const char *feature);
/* 1 if TRACE_TCP_INJECT names `fault`. */
int fault_injected(const char *fault);

#endif
