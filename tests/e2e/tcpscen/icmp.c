// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connects refused by ICMP after their SYN, through the kernel's ICMP
 * error path (tcp_v4_err), not through routing. In a fresh network
 * namespace an iptables rule answers the SYN with an ICMP host
 * unreachable, which arrives while connect(2) still owns the socket:
 *   blocking      connect(2) returns EHOSTUNREACH, and so does the event;
 *   non-blocking  the ICMP is only a soft error (sk_err_soft): the socket
 *                 stays in SYN_SENT, connect(2) says EINPROGRESS, poll
 *                 wakes, SO_ERROR hands the task EHOSTUNREACH (and clears
 *                 it), and the task's close() ends the attempt. The
 *                 kernel saw the owner close a socket in SYN_SENT: the
 *                 event is ECONNABORTED, exactly once, never a success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

#define ICMP_PORT 9

struct icmp_record {
	struct who who;
	int fd[2];
	int err[2];	/* blocking, non-blocking */
	char why[128];
};

/* iptables, by PATH, in this namespace: 0 when the rule is in place. */
static int reject_syns_with_icmp(void)
{
	char port[8];
	pid_t pid;
	int status;

	snprintf(port, sizeof port, "%d", ICMP_PORT);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("iptables", "iptables", "-A", "OUTPUT", "-p", "tcp",
		       "--syn", "-d", "127.0.0.1", "--dport", port, "-j",
		       "REJECT", "--reject-with", "icmp-host-unreachable",
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void icmp_child(int report)
{
	struct icmp_record r;

	memset(&r, 0, sizeof r);
	if (unshare(CLONE_NEWNET))
		snprintf(r.why, sizeof r.why, "unshare(CLONE_NEWNET): %s",
			 strerror(errno));
	else if (loopback_up())
		snprintf(r.why, sizeof r.why, "bringing up lo: %s",
			 strerror(errno));
	else if (reject_syns_with_icmp())
		snprintf(r.why, sizeof r.why, "iptables REJECT rule failed");
	if (!r.why[0]) {
		who_am_i(&r.who);
		r.fd[0] = tcp_socket(AF_INET);
		set_send_timeout(r.fd[0], 5);
		r.err[0] = connect_blocking(r.fd[0], "127.0.0.1", ICMP_PORT);
		r.fd[1] = tcp_socket(AF_INET);
		r.err[1] = connect_nonblocking(r.fd[1], "127.0.0.1", ICMP_PORT);
		close(r.fd[1]);
	}
	write_record(report, &r, sizeof r);
	_exit(0);
}

void run_icmp_unreach(void)
{
	struct icmp_record r;
	struct endpoint dst;
	pid_t child;
	int fd, i;

	child = fork_reporting_child(&fd);
	if (child == 0)
		icmp_child(fd);
	if (read_record(fd, &r, sizeof r, 15000))
		snprintf(r.why, sizeof r.why, "child did not report");
	close(fd);
	reap(child);
	if (r.why[0]) {
		setup_failed("%s", r.why);
		return;
	}
	for (i = 0; i < 2; i++) {
		emit("# %s connect answered by ICMP host unreachable: %s",
		     i ? "non-blocking" : "blocking", outcome_text(r.err[i]));
		if (r.err[i] != EHOSTUNREACH) {
			setup_failed("expected EHOSTUNREACH, got %s",
				     outcome_text(r.err[i]));
			return;
		}
	}
	scope_add_pid(r.who.pid);
	endpoint_from_text("127.0.0.1", ICMP_PORT, &dst);
	expect_failed_connect(&r.who, r.fd[0], EHOSTUNREACH, NULL, &dst);
	expect_failed_connect(&r.who, r.fd[1], ECONNABORTED, NULL, &dst);
	expect_no_successful_connect(r.who.pid);
	expect_closes(0, r.who.pid);
}
