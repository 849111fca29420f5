/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sandbox a run enters once its programs are attached, before it
 * reads the first event: the capabilities it no longer needs dropped
 * (capabilities.h), no_new_privs set, and a seccomp filter that allows
 * only the system calls the rest of the run makes (allowed_calls.h) and
 * fails every other one with EPERM (seccomp_filter.h says why not a
 * kill). /proc/PID/status then shows "Seccomp: 2" and "NoNewPrivs: 1".
 */
#ifndef TT_SANDBOX_H
#define TT_SANDBOX_H

#include <stdint.h>

#include "common/err.h"

struct sandbox {
	unsigned int ncalls;	/* the system calls the filter allows */
	uint64_t caps_kept;	/* CAP_* bits */
	/* the kernel has no seccomp filters: capabilities dropped only */
	int no_seccomp;
};

/* unmounts_tracefs: the run mounted tracefs and unmounts it at its exit.
 * 0, or -1 with err. */
int sandbox_enter(struct sandbox *sb, int unmounts_tracefs,
		  struct tt_err *err);
/* The -v line saying what the sandbox is; also the note that a kernel
 * lacks seccomp filters (printed without -v). */
void sandbox_describe(const struct sandbox *sb, char *out, unsigned int size);

#endif
