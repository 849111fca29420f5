// SPDX-License-Identifier: GPL-2.0-only
/*
 * Closes that are not the plain close(2) of the last reference: after a
 * reset, and of a socket shared with a forked child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/*
 * The server resets the connection (SO_LINGER 0); the client's socket,
 * in CLOSE already, is then closed: tcp_close destroys it without a
 * state change. Both closes are reported, each by its closer.
 */
void run_reset_close(void)
{
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct connection c;
	struct who me;

	who_am_i(&me);
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	if (setsockopt(c.afd, SOL_SOCKET, SO_LINGER, &abort_on_close,
		       sizeof abort_on_close))
		die("setsockopt SO_LINGER");
	close(c.afd);	/* sends a reset: the client's socket goes to CLOSE */
	sleep_ms(50);
	close(c.cfd);
	close(c.l.fd);
	emit("# the server resets the connection (SO_LINGER 0), then the client closes");

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local, &c.server_remote);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}

/*
 * The connected socket is shared with a child (fork). The parent's close
 * only drops a reference; the child's, later, releases the socket (by
 * close(2), or by exiting): the close is the child's, as tcp_close sees
 * it. (Without BTF the tracer matches a close to the process that
 * connected, so it misses this one.)
 */
/* The child: says who it is, waits until the parent has closed its copy
 * of the socket, then lets go of it. */
static void shared_child(int report, int go, int cfd, int child_exits)
{
	struct child_record r;
	char byte;

	memset(&r, 0, sizeof r);
	who_am_i(&r.who);
	write_record(report, &r, sizeof r);
	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	if (!child_exits)
		close(cfd);
	_exit(0);
}

static void expect_shared_close(const struct who *me, const struct who *child,
				const struct connection *c)
{
	/* Without BTF the child's close is not seen (see above). */
	int child_closes = fallback_mode ? 0 : 1;

	scope_add_pid(me->pid);
	scope_add_pid(child->pid);
	expect_connect(me, c->cfd, &c->client_local, &c->client_remote);
	expect_close_by(0, me, c->cfd, &c->client_local, &c->client_remote);
	expect_close_by(child_closes, child, c->cfd, &c->client_local,
			&c->client_remote);
	expect_accept_side(me, c->l.fd, 0, c->afd, &c->server_local,
			   &c->server_remote);
	expect_closes(1, me->pid);
	expect_closes(child_closes, child->pid);
	expect_no_failed_connect(me->pid);
}

static void scenario_shared_close(int child_exits)
{
	struct child_record r;
	struct connection c;
	struct who me;
	int fd, go[2];
	char byte = 1;
	pid_t child;

	who_am_i(&me);
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	if (pipe(go))
		die("pipe");
	child = fork_reporting_child(&fd);
	if (child == 0) {
		close(go[1]);
		shared_child(fd, go[0], c.cfd, child_exits);
	}
	close(go[0]);
	if (read_record(fd, &r, sizeof r, 10000)) {
		kill(child, SIGKILL);
		reap(child);
		setup_failed("child did not report");
		return;
	}
	close(fd);
	close(c.cfd);	/* the child still holds the socket */
	sleep_ms(50);
	if (write(go[1], &byte, 1) != 1)
		die("write");
	close(go[1]);
	reap(child);
	close(c.afd);
	close(c.l.fd);
	emit("# the client socket is shared with child %d, which %s last",
	     r.who.pid, child_exits ? "exits with it" : "closes it");
	expect_shared_close(&me, &r.who, &c);
}

void run_shared_close(void) { scenario_shared_close(0); }
void run_shared_exit_close(void) { scenario_shared_close(1); }
