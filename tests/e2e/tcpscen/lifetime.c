// SPDX-License-Identifier: GPL-2.0-only
/*
 * lifetime: a loopback connection held a measured time, moving a known
 * number of bytes each way; its two close events tell how long it lived
 * and, where the tracer has BTF, what each side sent and received.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

#define HOLD_MS 300
#define CLIENT_BYTES 1000
#define SERVER_BYTES 3000
/* What the tracer's clock and ours may disagree by, each way: the
 * accepted child is established in softirq, maybe just after connect(2)
 * returned, and its close event is taken inside close(2). */
#define SLACK_NS (20LL * 1000 * 1000)

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void send_all(int fd, size_t len)
{
	char buf[SERVER_BYTES];
	size_t off = 0;

	memset(buf, 'x', sizeof buf);
	while (off < len) {
		ssize_t n = write(fd, buf, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("lifetime: write");
		off += (size_t)n;
	}
}

static void receive_all(int fd, size_t len)
{
	char buf[SERVER_BYTES];
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, buf, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("lifetime: read");
		off += (size_t)n;
	}
}

/* The peer's FIN: read() returns 0, and so everything this side sent
 * was acknowledged (the FIN acknowledges it). */
static void receive_end(int fd)
{
	char byte;
	ssize_t n;

	while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
		;
	if (n != 0)
		die("lifetime: no end of stream");
}

/* One side's close: lived between lo_ns and hi_ns, moved these bytes. */
static void expect_lifetime(const struct who *me, int fd,
			    const struct endpoint *local,
			    const struct endpoint *remote, long long lo_ns,
			    long long hi_ns, int sent, int received)
{
	struct pairs close = { .len = 0 };
	const char *bytes = getenv("TT_EXPECT_BYTES");

	pairs_add(&close, " error= fd=%d|-1 proc.pid=%d", fd, me->pid);
	add_endpoint(&close, "src", local, 1);
	add_endpoint(&close, "dst", remote, 1);
	pairs_add(&close, " duration=%lld..%lld", lo_ns - SLACK_NS,
		  hi_ns + SLACK_NS);
	if (bytes && !strcmp(bytes, "absent"))
		pairs_add(&close, " sent_bytes=" ABSENT " received_bytes="
			  ABSENT);
	else
		pairs_add(&close, " sent_bytes=%d received_bytes=%d", sent,
			  received);
	expect_events(1, "close", SUCCESS, &close);
}

/*
 * The client sends its bytes, the server reads them and answers with
 * its own, which the client reads; after HOLD_MS the client closes, and
 * the server, once it has read that end, closes too. Each close's
 * duration lies between the end of connect(2) and the start of close(2),
 * and the start of connect(2) and the end of close(2).
 */
void run_lifetime(void)
{
	long long connect_start, connected, client_close, client_closed;
	long long server_close, server_closed;
	struct connection c;
	struct who me;

	who_am_i(&me);
	connect_start = now_ns();
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	connected = now_ns();
	send_all(c.cfd, CLIENT_BYTES);
	receive_all(c.afd, CLIENT_BYTES);
	send_all(c.afd, SERVER_BYTES);
	receive_all(c.cfd, SERVER_BYTES);
	sleep_ms(HOLD_MS);
	client_close = now_ns();
	close(c.cfd);
	client_closed = now_ns();
	receive_end(c.afd);
	server_close = now_ns();
	close(c.afd);
	server_closed = now_ns();
	close(c.l.fd);
	emit("# held %d ms: the client sends %d bytes, the server %d; the "
	     "client closes first", HOLD_MS, CLIENT_BYTES, SERVER_BYTES);

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local,
			   &c.server_remote);
	expect_lifetime(&me, c.cfd, &c.client_local, &c.client_remote,
			client_close - connected, client_closed - connect_start,
			CLIENT_BYTES, SERVER_BYTES);
	expect_lifetime(&me, c.afd, &c.server_local, &c.server_remote,
			server_close - connected, server_closed - connect_start,
			SERVER_BYTES, CLIENT_BYTES);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}
