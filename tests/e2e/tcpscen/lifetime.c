// SPDX-License-Identifier: GPL-2.0-only
/*
 * lifetime: a loopback connection held a measured time, moving a known
 * number of bytes each way; its two close events tell how long it lived
 * and, where the tracer has BTF, what each side sent and received.
 * lifetime-shutdown: the same bytes where the server ends with
 * shutdown(2) before its close (both FINs exchanged first), and where
 * the client resets the connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
/* close(fd), with the clock read before and after into when[2]. */
static void timed_close(int fd, long long when[2])
{
	when[0] = now_ns();
	close(fd);
	when[1] = now_ns();
}

void run_lifetime(void)
{
	long long connect_start, connected, client_close[2], server_close[2];
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
	timed_close(c.cfd, client_close);
	receive_end(c.afd);
	timed_close(c.afd, server_close);
	close(c.l.fd);
	emit("# held %d ms: the client sends %d bytes, the server %d; the "
	     "client closes first", HOLD_MS, CLIENT_BYTES, SERVER_BYTES);

	scope_add_pid(me.pid);
	expect_connect_side(&me, c.cfd, &c.client_local, &c.client_remote);
	expect_accept_side(&me, c.l.fd, 0, c.afd, &c.server_local,
			   &c.server_remote);
	expect_lifetime(&me, c.cfd, &c.client_local, &c.client_remote,
			client_close[0] - connected,
			client_close[1] - connect_start,
			CLIENT_BYTES, SERVER_BYTES);
	expect_lifetime(&me, c.afd, &c.server_local, &c.server_remote,
			server_close[0] - connected,
			server_close[1] - connect_start,
			SERVER_BYTES, CLIENT_BYTES);
	expect_closes(2, me.pid);
	expect_no_failed_connect(me.pid);
}

/* Both closes of connection c, each within its measured span. */
static void expect_both(const struct who *me, const struct connection *c,
			long long connect_start, long long connected,
			const long long client_close[2],
			const long long server_close[2], int client_bytes,
			int server_bytes)
{
	expect_connect_side(me, c->cfd, &c->client_local, &c->client_remote);
	expect_accept_side(me, c->l.fd, 0, c->afd, &c->server_local,
			   &c->server_remote);
	expect_lifetime(me, c->cfd, &c->client_local, &c->client_remote,
			client_close[0] - connected,
			client_close[1] - connect_start, client_bytes,
			server_bytes);
	expect_lifetime(me, c->afd, &c->server_local, &c->server_remote,
			server_close[0] - connected,
			server_close[1] - connect_start, server_bytes,
			client_bytes);
}

/* The server's bytes all acknowledged: the client's reset would leave
 * those not yet acknowledged out of its count (bounded wait). */
static void wait_acknowledged(int fd)
{
	for (int i = 0; i < 2000; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
			die("lifetime-shutdown: TCP_INFO");
		if (ti.tcpi_unacked == 0)
			return;
		sleep_ms(1);
	}
	die("lifetime-shutdown: data never acknowledged");
}

/* The server's read after the client's reset: ECONNRESET. */
static void receive_reset(int fd)
{
	char byte;
	ssize_t n;

	while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
		;
	if (n != -1 || errno != ECONNRESET)
		die("lifetime-shutdown: no reset");
}

/*
 * The python socketserver pattern: the client sends its request, the
 * server its answer and shutdown(SHUT_WR); the client reads to the end
 * and closes; the server reads that end and closes, its socket in CLOSE
 * by then (FIN_WAIT2, then the client's FIN: time-wait). Each side's
 * bytes are exact. Then a reset: the server sends, the client reads all
 * and closes with SO_LINGER 0; the server reads the reset and closes.
 */
void run_lifetime_shutdown(void)
{
	long long start, connected, client_close[2], server_close[2];
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct connection c, r;
	struct who me;

	who_am_i(&me);
	scope_add_pid(me.pid);
	start = now_ns();
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &c))
		return;
	connected = now_ns();
	send_all(c.cfd, CLIENT_BYTES);
	receive_all(c.afd, CLIENT_BYTES);
	send_all(c.afd, SERVER_BYTES);
	if (shutdown(c.afd, SHUT_WR))
		die("lifetime-shutdown: shutdown");
	receive_all(c.cfd, SERVER_BYTES);
	receive_end(c.cfd);
	timed_close(c.cfd, client_close);
	receive_end(c.afd);
	timed_close(c.afd, server_close);
	close(c.l.fd);
	emit("# the client sends %d bytes, the server %d and shuts down its "
	     "side; the client closes at the end, then the server",
	     CLIENT_BYTES, SERVER_BYTES);
	expect_both(&me, &c, start, connected, client_close, server_close,
		    CLIENT_BYTES, SERVER_BYTES);

	start = now_ns();
	if (open_connection("127.0.0.1", 0, "127.0.0.1", 0, &r))
		return;
	connected = now_ns();
	send_all(r.afd, SERVER_BYTES);
	receive_all(r.cfd, SERVER_BYTES);
	wait_acknowledged(r.afd);
	if (setsockopt(r.cfd, SOL_SOCKET, SO_LINGER, &abort_on_close,
		       sizeof(abort_on_close)))
		die("lifetime-shutdown: SO_LINGER");
	timed_close(r.cfd, client_close);
	receive_reset(r.afd);
	timed_close(r.afd, server_close);
	close(r.l.fd);
	emit("# the server sends %d bytes; the client reads them and resets "
	     "the connection, then the server closes", SERVER_BYTES);
	expect_both(&me, &r, start, connected, client_close, server_close, 0,
		    SERVER_BYTES);
	expect_closes(4, me.pid);
	expect_no_failed_connect(me.pid);
}
