// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connects that succeed (blocking or not; IPv4, IPv6, IPv4-mapped) or are
 * refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/* Listen, connect from the same process, accept, close all three. */
static void scenario_connection(const char *listen_addr, int dual_stack,
				const char *connect_addr, int nonblocking)
{
	struct connection c;
	struct who me;

	who_am_i(&me);
	if (open_connection(listen_addr, dual_stack, connect_addr, nonblocking, &c))
		return;
	close(c.cfd);
	close(c.afd);
	close(c.l.fd);

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local, &c.server_remote);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}

void run_connect_ok(void) { scenario_connection("127.0.0.1", 0, "127.0.0.1", 0); }
void run_nonblock_ok(void) { scenario_connection("127.0.0.1", 0, "127.0.0.1", 1); }
void run_ipv6(void) { scenario_connection("::1", 0, "::1", 0); }
void run_v4mapped(void) { scenario_connection("::", 1, "::ffff:127.0.0.1", 0); }

/* Connect to a loopback port nobody listens on. */
static void scenario_refused(int nonblocking)
{
	struct endpoint dst;
	struct who me;
	int port, fd, err;

	who_am_i(&me);
	port = unused_port("127.0.0.1");
	fd = tcp_socket(AF_INET);
	if (nonblocking)
		err = connect_nonblocking(fd, "127.0.0.1", port);
	else
		err = connect_blocking(fd, "127.0.0.1", port);
	close(fd);
	emit("# connect to unused port 127.0.0.1:%d: %s", port, outcome_text(err));
	if (err != ECONNREFUSED) {
		setup_failed("expected ECONNREFUSED, got %s", outcome_text(err));
		return;
	}
	endpoint_from_text("127.0.0.1", port, &dst);
	scope_add_pid(me.pid);
	expect_failed_connect(&me, fd, err, NULL, &dst);
	expect_no_successful_connect(me.pid);
	expect_closes(0, me.pid);
}

void run_connect_refused(void) { scenario_refused(0); }
void run_nonblock_refused(void) { scenario_refused(1); }
