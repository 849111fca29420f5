// SPDX-License-Identifier: GPL-2.0-only
/* Connects with no route: ENETUNREACH before any SYN. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/* In a fresh network namespace the only device is lo, so there is no route
 * off the machine: connects fail with ENETUNREACH before any packet is
 * sent. lo is brought up there, since with no address at all IPv6 fails
 * earlier, with EADDRNOTAVAIL (no source address). */
static const char *const unreachable[2] = { "192.0.2.1", "2001:db8::1" };

struct unreach_record {
	struct who who;
	int fd[2];
	int err[2];
	char why[128];
};

static void unreach_child(int report)
{
	struct unreach_record r;
	int i;

	memset(&r, 0, sizeof r);
	if (unshare(CLONE_NEWNET)) {
		snprintf(r.why, sizeof r.why, "unshare(CLONE_NEWNET): %s", strerror(errno));
	} else if (loopback_up()) {
		snprintf(r.why, sizeof r.why, "bringing up lo: %s", strerror(errno));
	} else {
		who_am_i(&r.who);
		for (i = 0; i < 2 && !r.why[0]; i++) {
			r.fd[i] = socket(family_of(unreachable[i]), SOCK_STREAM, 0);
			if (r.fd[i] < 0) {
				snprintf(r.why, sizeof r.why, "socket for %s: %s",
					 unreachable[i], strerror(errno));
				break;
			}
			set_send_timeout(r.fd[i], 5);
			r.err[i] = connect_blocking(r.fd[i], unreachable[i], 80);
		}
	}
	write_record(report, &r, sizeof r);
	_exit(0);
}

void run_unreach(void)
{
	struct unreach_record r;
	struct endpoint dst;
	pid_t child;
	int fd, i;

	child = fork_reporting_child(&fd);
	if (child == 0)
		unreach_child(fd);
	if (read_record(fd, &r, sizeof r, 15000))
		snprintf(r.why, sizeof r.why, "child did not report");
	close(fd);
	reap(child);
	if (r.why[0]) {
		setup_failed("%s", r.why);
		return;
	}
	for (i = 0; i < 2; i++) {
		emit("# connect to %s port 80 in a fresh netns (only lo, up): %s", unreachable[i],
		     outcome_text(r.err[i]));
		if (r.err[i] != ENETUNREACH) {
			setup_failed("%s: expected ENETUNREACH, got %s", unreachable[i],
				     outcome_text(r.err[i]));
			return;
		}
	}
	scope_add_pid(r.who.pid);
	for (i = 0; i < 2 && !fallback_mode; i++) {
		endpoint_from_text(unreachable[i], 80, &dst);
		expect_failed_connect(&r.who, r.fd[i], ENETUNREACH, NULL, &dst);
	}
	if (fallback_mode)
		expect_no_failed_connect(r.who.pid);
	expect_no_successful_connect(r.who.pid);
	expect_closes(0, r.who.pid);
}
