/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a CPU's registers hold what the tracer reads, from that CPU's
 * UAPI asm/ptrace.h; for both sides (the BPF side sees the CPU as
 * __TARGET_ARCH_<cpu>, the loader as its compiler's own macro).
 *
 *   PT_ARG1(regs)  a kprobed function's first argument, from the kprobe
 *                  context (the CPU's user-visible pt_regs)
 *   TT_REGS_ARG0   the offset, in the kernel's struct pt_regs that
 *                  bpf_task_pt_regs returns, of a system call's first
 *                  argument as it was at entry (bpf/task.h reads it,
 *                  loader/kernel/features.c probes the load)
 *   TT_REGS_NR     where those offsets are not UAPI, that of the system
 *                  call's number (an s32); both are then checked against
 *                  the kernel's BTF before they are used (features.c)
 *   TT_REGS_NONE   the CPU's registers are not read for a system call's
 *                  arguments: the sys_enter tracepoints tell them
 *   TT_RAW_SYSCALLS  the syscall programs hook raw_syscalls:sys_enter and
 *                  sys_exit, the syscalls:* events being silent
 *   TT_EXIT_NEEDS_TRACED_ENTRY  the CPU's own kernel reports a system
 *                  call's exit only if tracing was on at its entry: one
 *                  that blocked before the syscall tracepoints were
 *                  enabled returns without sys_exit (the plan's
 *                  tt_k_exit_needs_traced_entry, for that kernel only)
 *   TT_KPROBES_UNSAFE  kprobes have crashed this CPU's kernels (see
 *                  below): --backend auto takes the tracepoints, and
 *                  --backend kprobe stays the user's choice
 *   TT_RAW_SYSCALL_EXITS  only the sys_exit programs hook
 *                  raw_syscalls:sys_exit (the sys_enter ones stay on
 *                  syscalls:*), for its return value
 */
#ifndef TT_CPU_REGS_H
#define TT_CPU_REGS_H

#include <asm/ptrace.h>

#if defined(__TARGET_ARCH_x86) || defined(__x86_64__)
/* struct pt_regs is UAPI on x86_64 and is the kernel's own. */
#define PT_ARG1(regs) ((regs)->rdi)
#define TT_REGS_ARG0 __builtin_offsetof(struct pt_regs, rdi)
#elif defined(__TARGET_ARCH_arm64) || defined(__aarch64__)
/* The kernel's struct pt_regs begins with the UAPI user_pt_regs (x0-x30,
 * sp, pc, pstate); right after it, orig_x0 keeps the first argument of
 * the system call (x0 takes its return value), then its number, an s32
 * syscallno (arch/arm64/include/asm/ptrace.h, so since 3.7). Not UAPI:
 * the loader checks them against the kernel's BTF. */
struct pt_regs;	/* the kprobe programs' context: user_pt_regs first */
#define PT_ARG1(regs) (((struct user_pt_regs *)(regs))->regs[0])
#define TT_REGS_ARG0 sizeof(struct user_pt_regs)
#define TT_REGS_NR (sizeof(struct user_pt_regs) + 8)
#elif (defined(__TARGET_ARCH_mips) || defined(__mips__)) && \
	_MIPS_SZLONG == 32
/* 32-bit MIPS, o32 (the BPF side is told _MIPS_SZLONG by the Makefile).
 * The UAPI struct pt_regs is PTRACE_GETREGS' (__u64 regs[32]), not the
 * kernel's: a 32-bit kernel's (arch/mips/include/asm/ptrace.h) is longs,
 * 4 bytes, and begins with pad0[8], the save area of the syscall
 * arguments passed on the user stack (8 words since 3.16), then
 * regs[32]: a0 is regs[4], 4 bytes at offset 48. Like mips64, no BTF to
 * read a system call from the registers with: TT_REGS_NONE. */
struct tt_mips32_pt_regs {
	__u32 pad0[8];
	__u32 regs[32];
};
#define PT_ARG1(regs) \
	((__u64)((const struct tt_mips32_pt_regs *)(regs))->regs[4])
#define TT_REGS_ARG0 __builtin_offsetof(struct tt_mips32_pt_regs, regs[4])
#define TT_REGS_NONE
/* A 32-bit kernel's syscalls:* events fire for o32 calls (numbers from
 * 4000), but their sys_exit `ret` is v0 as it is
 * (syscall_get_return_value): MIPS flags a failure in a3 and leaves the
 * errno positive in v0 (a refused connect: ret 146), so a failed
 * accept() would read as a new fd. raw_syscalls:sys_exit passes
 * regs_return_value(), the negative errno: the sys_exit programs hook
 * it and keep their own call by the number (bpf/task.h's
 * this_syscall_exit). */
/* Debian 12's MIPS kernels (4kc-malta, 5kc-malta, under QEMU) oops with
 * "Break instruction in kernel code" at a kprobe's single-step slot and
 * hang: tracefs kprobes on tcp_v4_connect and tcp_close alone, no BPF,
 * with refused connects and dmesg in a loop, did so in 4 of 4 boots
 * (mipsel) and 2 of 3 (mips64el). */
#define TT_KPROBES_UNSAFE
#define TT_RAW_SYSCALL_EXITS
_Static_assert(TT_REGS_ARG0 == 48, "a0 is 4 bytes at offset 48 of pt_regs");
#elif defined(__TARGET_ARCH_mips) || defined(__mips64)
/* A 64-bit MIPS kernel's struct pt_regs begins, like the UAPI one, with
 * regs[32]; a0 is regs[4], 8 bytes at offset 32. The return value
 * replaces v0, the system call's number at entry, and these kernels
 * have no BTF to check another place against: no system call is read
 * from the registers (TT_REGS_NONE), the sys_enter tracepoints tell its
 * arguments. */
#define PT_ARG1(regs) ((regs)->regs[4])
#define TT_REGS_ARG0 __builtin_offsetof(struct pt_regs, regs[4])
#define TT_REGS_NONE
/* The syscalls:* events never fire for an n64 call: the kernel sets up
 * their metadata only for numbers below NR_syscalls, the o32 range
 * (4000-), and n64's start at 5000. raw_syscalls' fire for every call;
 * each syscall program is attached there and keeps its own call by the
 * number (TT_RAW_SYSCALLS: bpf/task.h's this_syscall, the loader's
 * tracefs_hook_event). */
#define TT_RAW_SYSCALLS
#define TT_KPROBES_UNSAFE	/* as 32-bit MIPS, above */
_Static_assert(TT_REGS_ARG0 == 32, "a0 is 8 bytes at offset 32 of pt_regs");
#elif defined(__TARGET_ARCH_arm) || defined(__arm__)
/* 32-bit ARM: struct pt_regs is `long uregs[18]`, r0 first. Its longs
 * are 4 bytes in the kernel but 8 to clang -target bpf, so the register
 * is read as a u32. ARM_ORIG_r0 (uregs[17]) keeps a system call's first
 * argument, but reading it needs BTF (bpf_get_current_task_btf), which
 * Debian's armhf kernels lack, and arm keeps the syscall number outside
 * pt_regs: TT_REGS_NONE, the sys_enter tracepoints tell the arguments. */
#define PT_ARG1(regs) ((__u64)((const __u32 *)(regs))[0])
#define TT_REGS_ARG0 (17 * 4)
#define TT_REGS_NONE
/* arch/arm/kernel/entry-common.S tests _TIF_SYSCALL_WORK at entry, and
 * only that traced path (__sys_trace) returns through syscall_trace_exit.
 * The fast return path looks at the low 16 flag bits (do_work_pending's
 * work); the syscall work bits lie above them (20-23 in 6.1), and its
 * test of _TIF_SYSCALL_WORK reads the word shifted left by 16, so it
 * matches other bits, if any: an exit may still come, rarely, and
 * nothing may count on its absence. A 64-bit kernel running this build
 * (arm64's compat mode) tests again at the return, as x86_64's and
 * MIPS's do. */
#define TT_EXIT_NEEDS_TRACED_ENTRY
#else
#error "cpu_regs.h: no register layout for this CPU"
#endif

#endif
