// SPDX-License-Identifier: GPL-2.0-only
/*
 * flood CYCLES SECONDS: loopback connections one after another, as fast
 * as this machine makes them, CYCLES times or until SECONDS have passed.
 * A client (this process) connects and closes; a server (a forked child,
 * which also listens, so that the tracer's no-BTF accept fallback
 * attributes its accepts to it) accepts and closes. Every cycle is four
 * events; the suite's full-rate phase wants each of them printed and
 * none lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

#define FLOOD_WINDOW 64		/* connections the client may be ahead */
#define FLOOD_BACKLOG 256	/* more than the window: no SYN dropped */
#define FLOOD_SAMPLES 5		/* cycles whose every field is checked */
#define REPORT_MS 60000

/* What the server reports: once listening, then once done. */
struct server_report {
	struct who who;
	int port, lfd, afd;
	long accepts, closes;
	char why[128];
};

/* Returns once the listener has a connection waiting or the client has
 * said how many it made (then in *total). */
static void server_wait(int lfd, int done, long *total)
{
	struct pollfd pfd[2] = {
		{ .fd = lfd, .events = POLLIN },
		{ .fd = done, .events = POLLIN },
	};

	if (poll(pfd, *total < 0 ? 2 : 1, -1) < 0 && errno != EINTR)
		_exit(2);
	if (*total < 0 && (pfd[1].revents & (POLLIN | POLLHUP)) &&
	    read(done, total, sizeof *total) != sizeof *total)
		_exit(2);
}

/* The server child: one credit byte to the client per connection closed. */
static void flood_server(int report, int credit, int done)
{
	struct server_report r;
	struct listener l;
	long total = -1;
	char byte = 0;

	memset(&r, 0, sizeof r);
	who_am_i(&r.who);
	listen_on("127.0.0.1", 0, FLOOD_BACKLOG, &l);
	r.port = l.local.port;
	r.lfd = l.fd;
	r.afd = -1;
	if (fcntl(l.fd, F_SETFL, O_NONBLOCK))
		snprintf(r.why, sizeof r.why, "O_NONBLOCK: %s",
			 strerror(errno));
	write_record(report, &r, sizeof r);
	while (!r.why[0] && (total < 0 || r.accepts < total)) {
		int afd = accept(l.fd, NULL, NULL);

		if (afd < 0 && (errno == EAGAIN || errno == EINTR)) {
			server_wait(l.fd, done, &total);
			continue;
		}
		if (afd < 0) {
			snprintf(r.why, sizeof r.why, "accept: %s",
				 strerror(errno));
			break;
		}
		r.accepts++;
		if (r.afd < 0)
			r.afd = afd;
		else if (afd != r.afd)	/* the samples assume one fd */
			snprintf(r.why, sizeof r.why,
				 "accept gave fd %d, then %d", r.afd, afd);
		if (close(afd) == 0)
			r.closes++;
		if (write(credit, &byte, 1) != 1)
			break;
	}
	write_record(report, &r, sizeof r);
	_exit(0);
}

struct flood {
	struct who client;
	struct server_report server;
	long connects, closes;
	int cfd;		/* the fd every connect used */
	int *ports;		/* the client port of each connect */
	long long ms;		/* first connect to the server's end */
};

/* The client: 0, or -1 after setup_failed. */
static int flood_client(struct flood *f, long cycles, int seconds, int credit)
{
	struct endpoint local;
	long long start = now_ms();
	char byte;
	long i;

	for (i = 0; i < cycles && now_ms() - start < seconds * 1000LL; i++) {
		int fd, err;

		if (i >= FLOOD_WINDOW && read(credit, &byte, 1) != 1) {
			setup_failed("the server stopped after %ld accepts",
				     i - FLOOD_WINDOW);
			return -1;
		}
		fd = tcp_socket(AF_INET);
		err = connect_blocking(fd, "127.0.0.1", f->server.port);
		if (err) {
			setup_failed("connect %ld to 127.0.0.1:%d: %s", i + 1,
				     f->server.port, strerror(err));
			return -1;
		}
		f->connects++;
		endpoint_of_socket(fd, LOCAL, &local);
		f->ports[i] = local.port;
		if (f->cfd < 0)
			f->cfd = fd;
		if (fd != f->cfd) {
			setup_failed("connect %ld used fd %d, not %d", i + 1,
				     fd, f->cfd);
			return -1;
		}
		if (close(fd) == 0)
			f->closes++;
	}
	return 0;
}

/* Is the client port of cycle i used by no other cycle? */
static int port_unique(const struct flood *f, long i)
{
	long j;

	for (j = 0; j < f->connects; j++)
		if (j != i && f->ports[j] == f->ports[i])
			return 0;
	return 1;
}

/* Every field of both sides of cycle i (its 4-tuple is unique). */
static void expect_sample(const struct flood *f, long i)
{
	struct endpoint client, server;

	endpoint_from_text("127.0.0.1", f->ports[i], &client);
	endpoint_from_text("127.0.0.1", f->server.port, &server);
	emit("# sample: cycle %ld, client port %d", i + 1, f->ports[i]);
	expect_connect_side(&f->client, f->cfd, &client, &server);
	expect_accept_side(&f->server.who, f->server.lfd, 0, f->server.afd,
			   &server, &client);
}

static void expect_samples(const struct flood *f)
{
	long i, last = -1;
	int k;

	for (k = 0; k < FLOOD_SAMPLES && f->connects > 0; k++) {
		i = k * (f->connects - 1) / (FLOOD_SAMPLES - 1);
		if (i <= last)
			i = last + 1;
		while (i < f->connects && !port_unique(f, i))
			i++;
		if (i >= f->connects)
			return;
		expect_sample(f, i);
		last = i;
	}
}

/* The whole flood, by count: its listening port picks its events out. */
static void expect_flood(const struct flood *f)
{
	const struct server_report *s = &f->server;
	struct pairs client = { .len = 0 }, server = { .len = 0 };
	int lo = 65536, hi = 0;
	long i;

	for (i = 0; i < f->connects; i++) {
		lo = f->ports[i] < lo ? f->ports[i] : lo;
		hi = f->ports[i] > hi ? f->ports[i] : hi;
	}
	emit("# full-rate: %ld cycles in %lld ms to 127.0.0.1:%d from ports "
	     "%d-%d; client pid %d, server pid %d", f->connects, f->ms,
	     s->port, lo, hi, f->client.pid, s->who.pid);
	emit("# full-rate-counts: cycles=%ld ms=%lld port=%d connects=%ld "
	     "client_closes=%ld accepts=%ld server_closes=%ld", f->connects,
	     f->ms, s->port, f->connects, f->closes, s->accepts, s->closes);
	scope_add_pid(f->client.pid);
	scope_add_pid(s->who.pid);
	pairs_add(&client, " proc.pid=%d dst.addr=127.0.0.1 dst.port=%d",
		  f->client.pid, s->port);
	pairs_add(&server, " proc.pid=%d src.addr=127.0.0.1 src.port=%d",
		  s->who.pid, s->port);
	expect_events((int)f->connects, "connect", SUCCESS, &client);
	expect_events((int)f->closes, "close", SUCCESS, &client);
	expect_events((int)s->accepts, "accept", SUCCESS, &server);
	expect_events((int)s->closes, "close", SUCCESS, &server);
	expect_no_failed_connect(f->client.pid);
	expect_samples(f);
}

static long parse_count(const char *text, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || end == text || *end || n < 1 || n > max)
		return -1;
	return n;
}

int cmd_flood(const char *cycles_text, const char *seconds_text)
{
	long cycles = parse_count(cycles_text, 1000000);
	long seconds = parse_count(seconds_text, 600);
	struct flood f = { .cfd = -1 };
	int credit[2], done[2], report;
	pid_t child;

	if (cycles < 0 || seconds < 0) {
		fprintf(stderr,
			"tcpscen: flood CYCLES (1-1000000) SECONDS (1-600)\n");
		return 2;
	}
	set_label("full-rate");
	alarm((unsigned)seconds + 90);
	f.ports = calloc((size_t)cycles, sizeof *f.ports);
	if (!f.ports)
		die("calloc");
	who_am_i(&f.client);
	if (pipe(credit) || pipe(done))
		die("pipe");
	child = fork_reporting_child(&report);
	if (child == 0) {
		close(credit[0]);
		close(done[1]);
		flood_server(report, credit[1], done[0]);
	}
	close(credit[1]);
	close(done[0]);
	if (read_record(report, &f.server, sizeof f.server, REPORT_MS)) {
		kill(child, SIGKILL);
		reap(child);
		setup_failed("the server did not say its port");
		print_expectations();
		return 0;
	}
	f.ms = now_ms();
	if (flood_client(&f, cycles, (int)seconds, credit[0]) == 0) {
		if (write(done[1], &f.connects, sizeof f.connects) !=
		    sizeof f.connects)
			die("write");
		if (read_record(report, &f.server, sizeof f.server, REPORT_MS))
			setup_failed("the server did not report its end");
		else if (f.server.why[0])
			setup_failed("server: %s", f.server.why);
		f.ms = now_ms() - f.ms;
		expect_flood(&f);
	}
	kill(child, SIGKILL);	/* gone already, unless it failed */
	reap(child);
	print_expectations();
	free(f.ports);
	return 0;
}
