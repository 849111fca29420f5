// SPDX-License-Identifier: GPL-2.0-only
/* The system calls the sandbox allows (see allowed_calls.h). Some do not
 * exist on every CPU: each is listed only where its __NR_ is. */
#include "sandbox/allowed_calls.h"

#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/fcntl.h>

/* The bpf(2) commands of the event loop and the report: map reads,
 * the container verdicts written and new cgroups taken, program stats. */
static const uint32_t bpf_commands[] = {
	BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM,
	BPF_MAP_GET_NEXT_KEY, BPF_OBJ_GET_INFO_BY_FD,
};
/* musl sets FD_CLOEXEC again after an O_CLOEXEC open; fdopendir sets it
 * and reads the flags (an O_PATH fd is no directory stream). */
static const uint32_t fcntl_commands[] = { F_SETFD, F_GETFL };

#define ANY(name) { __NR_##name, 0, 0, 0 }
/* Only with argument arg one of list's values. */
#define ONLY(name, arg, list) \
	{ __NR_##name, arg, sizeof(list) / sizeof(*(list)), list }

static const struct allowed_call calls[] = {
	/* events, the output, stderr, tracefs, runtime state files */
	ANY(read), ANY(write), ANY(writev), ANY(close),
#ifdef __NR_open
	ANY(open),
#endif
	ANY(openat),
#ifdef __NR_fcntl64
	ONLY(fcntl64, 1, fcntl_commands),
#else
	ONLY(fcntl, 1, fcntl_commands),
#endif
	/* cgroupfs walks and runtime state: musl's fstat and readdir */
#ifdef __NR_fstat
	ANY(fstat),
#endif
#ifdef __NR_fstat64
	ANY(fstat64),
#endif
#ifdef __NR_newfstatat
	ANY(newfstatat),
#endif
#ifdef __NR_fstatat64
	ANY(fstatat64),
#endif
#ifdef __NR_statx
	ANY(statx),
#endif
	ANY(getdents64),
#ifdef __NR__llseek
	ANY(_llseek),
#else
	ANY(lseek),
#endif
	ONLY(bpf, 0, bpf_commands),
	/* the event loop's wait: musl's epoll_wait is epoll_pwait */
	ANY(epoll_pwait),
#ifdef __NR_epoll_wait
	ANY(epoll_wait),
#endif
	/* where there is no vDSO */
	ANY(clock_gettime),
#ifdef __NR_clock_gettime64
	ANY(clock_gettime64),
#endif
	/* malloc, and the rings unmapped at the exit */
	ANY(brk), ANY(munmap), ANY(mremap), ANY(madvise),
#ifdef __NR_mmap2
	ANY(mmap2),
#else
	ANY(mmap),
#endif
	/* the kprobe events' group name, at the exit */
	ANY(getpid),
	/* SIGINT, SIGTERM, SIGHUP */
	ANY(rt_sigreturn),
#ifdef __NR_sigreturn
	ANY(sigreturn),
#endif
	ANY(restart_syscall), ANY(rt_sigprocmask),
	ANY(exit_group), ANY(exit),
};

const struct allowed_call allowed_unmount = ANY(umount2);

const struct allowed_call *allowed_calls(unsigned int *ncalls)
{
	*ncalls = sizeof(calls) / sizeof(*calls);
	return calls;
}

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__) && defined(__ARMEL__)
#define THIS_ARCH AUDIT_ARCH_ARM
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SIM == _ABIO32
#define THIS_ARCH AUDIT_ARCH_MIPSEL
#elif defined(__mips__) && defined(__MIPSEB__) && _MIPS_SIM == _ABIO32
#define THIS_ARCH AUDIT_ARCH_MIPS
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SIM == _ABI64
#define THIS_ARCH AUDIT_ARCH_MIPSEL64
#elif defined(__mips__) && defined(__MIPSEB__) && _MIPS_SIM == _ABI64
#define THIS_ARCH AUDIT_ARCH_MIPS64
#else
#error "trace_tcp's sandbox does not know this CPU's audit arch"
#endif

void allowed_target(struct seccomp_target *target)
{
	target->arch = THIS_ARCH;
#ifdef __X32_SYSCALL_BIT
	target->nr_limit = __X32_SYSCALL_BIT;
#else
	target->nr_limit = 0;
#endif
	target->big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}
