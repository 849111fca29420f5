// SPDX-License-Identifier: GPL-2.0-only
/* The run's sandbox (see sandbox.h). */
#include "sandbox/sandbox.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "sandbox/allowed_calls.h"
#include "sandbox/capabilities.h"

/* Room for every allowed call with its argument checks. */
#define MAX_INSNS 96

/* Does the kernel have seccomp at all (CONFIG_SECCOMP)? */
static int seccomp_in_kernel(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 || errno != EINVAL;
}

static int install_filter(struct sandbox *sb, int unmounts_tracefs,
			  struct tt_err *err)
{
	static struct allowed_call calls[64];
	struct sock_filter insns[MAX_INSNS];
	struct sock_fprog prog;
	struct seccomp_target target;
	unsigned int n;
	const struct allowed_call *list = allowed_calls(&n);
	int len;

	if (n + 1 > sizeof(calls) / sizeof(*calls))
		return tt_fail(err, "the sandbox allows more than %zu system "
			       "calls", sizeof(calls) / sizeof(*calls) - 1);
	memcpy(calls, list, n * sizeof(*calls));
	if (unmounts_tracefs)
		calls[n++] = allowed_unmount;
	allowed_target(&target);
	len = seccomp_filter_build(&target, calls, n, insns, MAX_INSNS, err);
	if (len < 0)
		return -1;
	prog.len = (unsigned short)len;
	prog.filter = insns;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0)) {
		/* EINVAL: no seccomp filters in this kernel, or a filter it
		 * refuses; only the first goes on without one. */
		if (errno == EINVAL && !seccomp_in_kernel()) {
			sb->no_seccomp = 1;
			return 0;
		}
		return tt_fail(err, "cannot install the seccomp filter: %s "
			       "(--no-sandbox runs without it)",
			       strerror(errno));
	}
	sb->ncalls = n;
	return 0;
}

int sandbox_enter(struct sandbox *sb, int unmounts_tracefs,
		  struct tt_err *err)
{
	memset(sb, 0, sizeof(*sb));
	if (capabilities_keep_for_run(unmounts_tracefs, &sb->caps_kept, err))
		return -1;
	/* A filter needs it unless the process has CAP_SYS_ADMIN; it also
	 * keeps an execve from gaining privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return tt_fail(err, "cannot set no_new_privs: %s "
			       "(--no-sandbox runs without it)",
			       strerror(errno));
	return install_filter(sb, unmounts_tracefs, err);
}

void sandbox_describe(const struct sandbox *sb, char *out, unsigned int size)
{
	char caps[96];

	capabilities_name(sb->caps_kept, caps, sizeof(caps));
	if (sb->no_seccomp)
		snprintf(out, size, "sandbox: no seccomp filter (this kernel "
			 "has none: CONFIG_SECCOMP_FILTER); no_new_privs set, "
			 "capabilities kept: %s", caps);
	else
		snprintf(out, size, "sandbox: on: seccomp filter allows %u "
			 "system calls (others fail with EPERM), no_new_privs "
			 "set, capabilities kept: %s", sb->ncalls, caps);
}
