/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The capabilities a run keeps once its programs are attached. What the
 * rest of the run still does, and what it needs for it:
 *   bpf(2) on its own maps and programs: CAP_BPF, or CAP_SYS_ADMIN where
 *     the kernel has no CAP_BPF (before 5.8) or the process lacks it
 *     (before 6.5 every bpf(2) command asks for one of them when
 *     kernel.unprivileged_bpf_disabled is set, as Debian sets it);
 *   tracefs kprobe_events written at the exit: CAP_DAC_OVERRIDE (a
 *     process that is not the files' owner);
 *   the runtimes' state files, which may be another user's (rootless
 *     Podman): CAP_DAC_READ_SEARCH;
 *   tracefs unmounted at the exit when the run mounted it: CAP_SYS_ADMIN.
 * Each is kept only if the process has it; every other one is dropped
 * from the permitted, effective, inheritable and bounding sets.
 */
#ifndef TT_CAPABILITIES_H
#define TT_CAPABILITIES_H

#include <stdint.h>

#include "common/err.h"

/* The capabilities kept: one bit per CAP_* number. 0, or -1 with err. */
int capabilities_keep_for_run(int unmounts_tracefs, uint64_t *kept,
			      struct tt_err *err);
/* "cap_bpf,cap_dac_override" for the capabilities in set; "none". */
void capabilities_name(uint64_t set, char *out, unsigned int size);

#endif
