/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A seccomp filter (classic BPF) that allows a list of system calls and
 * refuses every other one with EPERM. Its shape:
 *
 *   load arch;  arch != ours: refuse       (another ABI's calls)
 *   load nr;    [nr >= nr_limit: refuse]   (x86_64's x32 calls)
 *   nr == A: allow;  nr == B: allow; ...
 *   nr == C: (load arg N; arg N == v1: allow; ...; refuse)
 *   refuse
 *   allow
 *
 * Refused calls fail with EPERM rather than killing trace_tcp: the error
 * reaches the code that made the call, which reports it, and the exit
 * still tears everything down (a killed run would leave its kprobes in
 * tracefs until the next run removes them).
 */
#ifndef TT_SECCOMP_FILTER_H
#define TT_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdint.h>

#include "common/err.h"

/* One system call allowed: any arguments when nvalues is 0, else only
 * when the low 32 bits of its argument number arg (0-5) are one of
 * values. */
struct allowed_call {
	uint16_t nr;
	uint8_t arg;
	uint8_t nvalues;
	const uint32_t *values;
};

struct seccomp_target {
	uint32_t arch;		/* AUDIT_ARCH_* */
	uint32_t nr_limit;	/* numbers from here on are refused; 0: none */
	int big_endian;		/* where an argument's low 32 bits are */
};

/* The filter into out (room for max instructions): the number of
 * instructions, or -1 with err if it does not fit or a jump would be too
 * long for classic BPF. */
int seccomp_filter_build(const struct seccomp_target *target,
			 const struct allowed_call *calls, unsigned int ncalls,
			 struct sock_filter *out, unsigned int max,
			 struct tt_err *err);

#endif
