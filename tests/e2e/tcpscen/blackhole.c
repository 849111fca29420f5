// SPDX-License-Identifier: GPL-2.0-only
/* The black hole on loopback (see blackhole.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blackhole.h"
#include "common.h"
#include "net.h"
#include "report.h"

struct blackhole_record {
	int port;		/* 0 on failure */
	int fillers;
	char why[128];
};

/* One connection that stays in the accept queue; its socket is left open
 * on purpose (until the helper is killed). Returns the fd or -1. */
static int connect_filler(const struct listener *l, int already_queued, char *why, size_t cap)
{
	int fd = tcp_socket(AF_INET), limit, err, i;

	set_send_timeout(fd, 2);
	err = connect_blocking(fd, "127.0.0.1", l->local.port);
	if (err) {
		snprintf(why, cap, "filler connect: %s", strerror(err));
		return -1;
	}
	/* The server queues it when the final ACK arrives: wait for that. */
	for (i = 0; i < 100; i++) {
		if (accept_queue_length(l->fd, &limit) > already_queued)
			return fd;
		sleep_ms(10);
	}
	snprintf(why, cap, "filler connection never reached the accept queue");
	return -1;
}

static void blackhole_helper(int report)
{
	struct blackhole_record r = { .port = 0 };
	struct listener l;
	int queued = 0, limit = 0;

	listen_on("127.0.0.1", 0, 0, &l);
	while (queued <= limit && r.fillers < 8 && !r.why[0]) {
		if (connect_filler(&l, queued, r.why, sizeof r.why) >= 0)
			r.fillers++;
		queued = accept_queue_length(l.fd, &limit);
	}
	if (!r.why[0] && queued <= limit)
		snprintf(r.why, sizeof r.why, "accept queue not full after %d connects",
			 r.fillers);
	if (!r.why[0])
		r.port = l.local.port;
	write_record(report, &r, sizeof r);
	for (;;)
		pause();	/* until the scenario kills us */
}

/* 0 on success; otherwise the setup failure is already recorded. */
int blackhole_open(struct blackhole *bh)
{
	struct blackhole_record r;
	int fd;

	bh->helper = fork_reporting_child(&fd);
	if (bh->helper == 0)
		blackhole_helper(fd);
	if (read_record(fd, &r, sizeof r, 10000)) {
		snprintf(r.why, sizeof r.why, "black hole helper did not report");
		r.port = 0;
	}
	close(fd);
	if (!r.port) {
		setup_failed("black hole: %s", r.why);
		kill(bh->helper, SIGKILL);
		reap(bh->helper);
		return -1;
	}
	emit("# black hole 127.0.0.1:%d: listen(fd, 0), %d unaccepted connection(s) fill its queue",
	     r.port, r.fillers);
	bh->port = r.port;
	return 0;
}

void blackhole_close(struct blackhole *bh)
{
	kill(bh->helper, SIGKILL);
	reap(bh->helper);
}
