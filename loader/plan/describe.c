// SPDX-License-Identifier: GPL-2.0-only
/* The start-up line: what runs and what this kernel cannot fill (see
 * plan.h). */
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

#include "trace_tcp.h"

static void append(char *line, size_t size, const char *text)
{
	size_t len = strlen(line);

	snprintf(line + len, size - len, "%s%s",
		 line[len - 1] == ' ' ? "" : ", ", text);
}

void plan_describe(const struct plan *plan, int cgroup2_mounted,
		   char *line, size_t size)
{
	static const char *const accept_how[] = {
		[TT_ACCEPT_GRAFT] = "kprobe security_sock_graft",
		[TT_ACCEPT_FDWALK] = "fd table (BTF)",
		[TT_ACCEPT_LISTENER] = "listening task (fallback)",
	};
	static const char *const close_how[] = {
		[TT_CLOSE_KPROBE] = "kprobe tcp_close",
		[TT_CLOSE_TRANSITION] = "state changes in close/exit",
		[TT_CLOSE_RELEASE] = "release of the socket's file (BTF)",
	};
	size_t len;

	snprintf(line, size, "trace_tcp: backend %s%s; accept via %s; close "
		 "via %s; not available: ",
		 plan->backend == BACKEND_KPROBE ? "kprobe" : "tracepoint",
		 plan->kprobes_avoided ? " (kprobes have crashed this CPU's "
					 "kernels: --backend kprobe to use them)"
				       : "",
		 accept_how[plan->accept_mode], close_how[plan->close_mode]);
	len = strlen(line);
	if (!plan->btf.netns)
		append(line, size, "netns_id (no BTF)");
	if (!plan->btf.mntns)
		append(line, size, "mntns_id (no BTF)");
	if (!plan->btf.parent)
		append(line, size, "parent (no BTF)");
	if (plan->btf.bytes_asked && !plan->btf.tcp_bytes)
		append(line, size, "sent_bytes and received_bytes (no BTF)");
	if (plan->accept_mode == TT_ACCEPT_LISTENER)
		append(line, size, "accepting task and accept_fd (accept is "
		       "attributed to the listening task, accept_fd -1)");
	if (plan->exit_needs_traced_entry &&
	    plan->accept_mode == TT_ACCEPT_GRAFT)
		append(line, size, "accept_fd of an accept() blocked before "
		       "the start (this kernel gives its syscall no exit: -1)");
	if (plan->presyn_mode == TT_PRESYN_NONE)
		append(line, size, "connect failures before the SYN");
	if (!plan->has_error_report && !plan->btf.sock_err)
		append(line, size, plan->has_receive_reset
		       ? "errno of non-blocking connects that time out or "
			 "meet an ICMP error (no inet_sk_error_report nor BTF: "
			 "error unknown)"
		       : "errno of non-blocking connect failures (no "
			 "inet_sk_error_report nor BTF: error unknown)");
	if (plan->close_mode != TT_CLOSE_KPROBE && !plan->has_destroy_sock)
		append(line, size, "close of sockets already reset "
		       "(no tcp_destroy_sock)");
	if (!plan->has_cgroup_id)
		append(line, size, "containers (no cgroup id before "
		       "Linux 4.18)");
	else if (!cgroup2_mounted)
		append(line, size, "containers (cgroup v2 is not mounted)");
	else if (!plan->has_cgroup_mkdir)
		append(line, size, "names of containers that exit before their "
		       "first event is read (no cgroup_mkdir with 64-bit ids)");
	if (strlen(line) == len)
		append(line, size, "none");
}
