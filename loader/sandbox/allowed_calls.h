/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The system calls trace_tcp makes once its programs are attached: the
 * event loop, the container lookup, the exit report and the teardown,
 * and musl's own. The sandbox allows these and no other.
 */
#ifndef TT_ALLOWED_CALLS_H
#define TT_ALLOWED_CALLS_H

#include "sandbox/seccomp_filter.h"

/* The calls, and their number. */
const struct allowed_call *allowed_calls(unsigned int *ncalls);
/* umount2(2): only for a run that mounted tracefs itself. */
extern const struct allowed_call allowed_unmount;
/* This CPU's ABI, as seccomp sees it. */
void allowed_target(struct seccomp_target *target);

#endif
