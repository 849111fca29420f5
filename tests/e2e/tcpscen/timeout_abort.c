// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connects to the black hole (see blackhole.h): one times out, one is
 * closed in SYN_SENT, one's process is killed in SYN_SENT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blackhole.h"
#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/* A TCP socket whose connect sends one SYN retry (TCP_SYNCNT=1): a
 * connect to the black hole times out after ~3 s. */
static int one_syn_socket(void)
{
	int fd = tcp_socket(AF_INET);

	if (set_int_option(fd, IPPROTO_TCP, TCP_SYNCNT, 1))
		die("TCP_SYNCNT");
	return fd;
}

/*
 * A connect with TCP_SYNCNT=1 to the black hole: ETIMEDOUT after ~3 s.
 * Blocking, connect(2) returns it; non-blocking, it reaches the task
 * through poll and SO_ERROR only. Where the kernel tells the tracer no
 * errno for the latter (TT_EXPECT_ERRNO=unknown: before 5.14 without
 * BTF) the event must still come, as a failure whose error is "unknown".
 */
static void scenario_timeout(int nonblocking)
{
	const char *expect = getenv("TT_EXPECT_ERRNO");
	struct blackhole bh;
	struct endpoint dst;
	struct who me;
	long long started;
	int fd, err;

	if (blackhole_open(&bh))
		return;
	who_am_i(&me);
	fd = one_syn_socket();
	set_send_timeout(fd, 60);
	started = now_ms();
	err = nonblocking ? connect_nonblocking(fd, "127.0.0.1", bh.port)
			  : connect_blocking(fd, "127.0.0.1", bh.port);
	emit("# %s connect with TCP_SYNCNT=1: %s after %lld ms",
	     nonblocking ? "non-blocking" : "blocking", outcome_text(err),
	     now_ms() - started);
	close(fd);
	blackhole_close(&bh);
	if (err != ETIMEDOUT) {
		setup_failed("expected ETIMEDOUT, got %s", outcome_text(err));
		return;
	}
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(me.pid);
	if (nonblocking && expect && !strcmp(expect, "unknown"))
		expect_failed_connect_named(&me, fd, "unknown", &dst);
	else
		expect_failed_connect(&me, fd, err, NULL, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

void run_timeout(void) { scenario_timeout(0); }
void run_nonblock_timeout(void) { scenario_timeout(1); }

/* Reads SO_ERROR of fd until it is set (10 s at most); exits with it. */
static void error_spinner(int fd)
{
	long long deadline = now_ms() + 10000;
	int err = 0;
	socklen_t len;

	while (!err && now_ms() < deadline) {
		len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			_exit(255);
	}
	_exit(err);
}

/*
 * The non-blocking timeout, its error read at once: a second process
 * spins on SO_ERROR, which takes sk_err (and clears it) the moment the
 * kernel sets it, before the kernel's own error report reads it (that
 * report then carries 0). The event must still be a failure: ETIMEDOUT
 * where the tracer could read it before, else "unknown"; never a
 * success.
 */
void run_nonblock_timeout_raced(void)
{
	struct blackhole bh;
	struct endpoint dst;
	struct who me;
	int fd, err, status;
	pid_t spinner;

	if (blackhole_open(&bh))
		return;
	who_am_i(&me);
	fd = one_syn_socket();
	err = connect_start(fd, "127.0.0.1", bh.port);
	spinner = fork();
	if (spinner < 0)
		die("fork");
	if (spinner == 0)
		error_spinner(fd);
	status = reap(spinner);
	close(fd);
	blackhole_close(&bh);
	emit("# non-blocking connect: %s; SO_ERROR read by a spinning process: %s",
	     outcome_text(err), WIFEXITED(status) ?
	     outcome_text(WEXITSTATUS(status)) : "killed");
	if (err != EINPROGRESS || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != ETIMEDOUT) {
		setup_failed("expected EINPROGRESS then ETIMEDOUT");
		return;
	}
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect_named(&me, fd, "ETIMEDOUT|unknown", &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

/* Non-blocking connect to the black hole, close() while in SYN_SENT. */
void run_abort_close(void)
{
	struct endpoint local, dst;
	struct blackhole bh;
	struct who me;
	int fd, err, state;

	if (blackhole_open(&bh))
		return;
	who_am_i(&me);
	fd = tcp_socket(AF_INET);
	err = connect_start(fd, "127.0.0.1", bh.port);
	sleep_ms(200);
	state = tcp_state(fd);
	endpoint_of_socket(fd, LOCAL, &local);
	close(fd);
	blackhole_close(&bh);
	emit("# non-blocking connect: %s; tcp state after 200 ms: %d (2 = SYN_SENT); closed",
	     outcome_text(err), state);
	if (err != EINPROGRESS || state != TCP_STATE_SYN_SENT) {
		setup_failed("socket was not in SYN_SENT when closed");
		return;
	}
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect(&me, fd, ECONNABORTED, &local, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

/* A child blocked in connect() to the black hole is killed with SIGKILL. */
struct connector_record {
	struct who who;
	int fd;
};

static void connector_child(int report, int port)
{
	struct connector_record r;

	who_am_i(&r.who);
	r.fd = tcp_socket(AF_INET);
	write_record(report, &r, sizeof r);
	connect_blocking(r.fd, "127.0.0.1", port);	/* hangs ~2 minutes */
	_exit(0);
}

void run_abort_kill(void)
{
	struct connector_record r;
	struct endpoint local, dst;
	struct blackhole bh;
	int fd, status, found, lport = 0;
	pid_t child;

	if (blackhole_open(&bh))
		return;
	child = fork_reporting_child(&fd);
	if (child == 0)
		connector_child(fd, bh.port);
	if (read_record(fd, &r, sizeof r, 10000)) {
		kill(child, SIGKILL);
		reap(child);
		blackhole_close(&bh);
		setup_failed("connecting child did not report");
		return;
	}
	close(fd);
	sleep_ms(300);
	found = find_syn_sent(bh.port, &lport);
	kill(child, SIGKILL);
	status = reap(child);
	blackhole_close(&bh);
	emit("# child %d blocked in connect; SYN_SENT socket in /proc/net/tcp: %s; killed: %s",
	     r.who.pid, found > 0 ? "yes" : found == 0 ? "no" : "cannot tell",
	     WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no");
	if (found == 0 || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		setup_failed("child was not killed while in SYN_SENT");
		return;
	}
	endpoint_from_text("127.0.0.1", lport, &local);
	endpoint_from_text("127.0.0.1", bh.port, &dst);
	scope_add_pid(r.who.pid);
	expect_failed_connect(&r.who, r.fd, ECONNABORTED, found > 0 ? &local : NULL, &dst);
	expect_no_successful_connect(r.who.pid);
	expect_closes(0, r.who.pid);
}
