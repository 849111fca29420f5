// SPDX-License-Identifier: GPL-2.0-only
/*
 * A child process connects to a listener of ours: as uid 4243, gid 4242
 * (nonroot), or as root letting go of its socket by exiting with it open
 * (exit-close) or by dup2 over its fd (dup2-close).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/* How the client child lets go of its socket. */
enum client_release {
	BY_EXIT,	/* exits with it open */
	BY_CLOSE,	/* close(2) */
	BY_DUP2,	/* dup2() puts another file on its fd: no close(2) */
};

static void client_child(int report, int port, int as_nonroot, enum client_release how)
{
	struct child_record r;

	memset(&r, 0, sizeof r);
	if (as_nonroot && (setgroups(0, NULL) || setgid(NONROOT_GID) || setuid(NONROOT_UID))) {
		snprintf(r.why, sizeof r.why, "dropping privileges: %s", strerror(errno));
		write_record(report, &r, sizeof r);
		_exit(0);
	}
	who_am_i(&r.who);
	r.fd = tcp_socket(AF_INET);
	r.err = connect_blocking(r.fd, "127.0.0.1", port);
	if (!r.err) {
		endpoint_of_socket(r.fd, LOCAL, &r.local);
		endpoint_of_socket(r.fd, PEER, &r.remote);
	}
	write_record(report, &r, sizeof r);
	if (how == BY_CLOSE)
		close(r.fd);
	if (how == BY_DUP2) {
		int null_fd = open("/dev/null", O_RDONLY);

		if (null_fd < 0 || dup2(null_fd, r.fd) < 0)
			_exit(1);
	}
	_exit(0);	/* BY_EXIT: exit closes it */
}

/* Forks the client child and reads its record: the child's pid, or -1
 * (the setup failure recorded, the child reaped). */
static pid_t start_client(const struct listener *l, int as_nonroot,
			  enum client_release how, struct child_record *r)
{
	pid_t child;
	int fd;

	child = fork_reporting_child(&fd);
	if (child == 0)
		client_child(fd, l->local.port, as_nonroot, how);
	if (read_record(fd, r, sizeof *r, 10000))
		snprintf(r->why, sizeof r->why, "child did not report");
	else if (!r->why[0] && r->err)
		snprintf(r->why, sizeof r->why, "connect: %s", strerror(r->err));
	close(fd);
	if (r->why[0]) {
		kill(child, SIGKILL);
		reap(child);
		setup_failed("%s", r->why);
		return -1;
	}
	return child;
}

static void run_child_client(int as_nonroot, enum client_release how)
{
	struct endpoint server_local, server_remote;
	struct child_record r;
	struct listener l;
	struct who me;
	int afd, client_closes;
	pid_t child;

	who_am_i(&me);
	listen_on("127.0.0.1", 0, 8, &l);
	child = start_client(&l, as_nonroot, how, &r);
	if (child < 0)
		return;
	afd = accept(l.fd, NULL, NULL);
	if (afd < 0)
		die("accept");
	endpoint_of_socket(afd, LOCAL, &server_local);
	endpoint_of_socket(afd, PEER, &server_remote);
	close(afd);
	reap(child);
	close(l.fd);

	scope_add_pid(r.who.pid);
	scope_add_pid(me.pid);
	/* Without BTF a close is a state change inside the owner's close(2)
	 * or exit: a release by dup2 is neither. */
	client_closes = how == BY_DUP2 && fallback_mode ? 0 : 1;
	expect_connect(&r.who, r.fd, &r.local, &r.remote);
	expect_close_by(client_closes, &r.who, r.fd, &r.local, &r.remote);
	expect_accept_side(&me, l.fd, 0, afd, &server_local, &server_remote);
	expect_closes(client_closes, r.who.pid);
	expect_closes(1, me.pid);
	expect_no_failed_connect(r.who.pid);
}

void run_nonroot(void)
{
	run_child_client(1, BY_CLOSE);
}

void run_exit_close(void)
{
	emit("# the client exits without closing its socket");
	run_child_client(0, BY_EXIT);
}

void run_dup2_close(void)
{
	emit("# dup2() replaces the client's socket fd: the socket is released without close(2)");
	run_child_client(0, BY_DUP2);
}
