// SPDX-License-Identifier: GPL-2.0-only
/*
 * The steps the suite drives from outside: serve-blocked (its accept is
 * blocked before the tracer starts), connect-to, and hold.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"
#include "scenarios.h"

/* --- the accept that was already blocked when the tracer started --- */

struct accept_job {
	int lfd, afd, err;
	int started;		/* set just before accept() */
	struct who who;
};

static void *accept_thread(void *arg)
{
	struct accept_job *job = arg;

	who_am_i(&job->who);
	__atomic_store_n(&job->started, 1, __ATOMIC_SEQ_CST);
	job->afd = accept(job->lfd, NULL, NULL);
	job->err = errno;
	return NULL;
}

/* The state letter of one of our threads ('S' when it sleeps), or 0. */
static char thread_state(int tid)
{
	char path[64], text[512], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	close_paren = strrchr(text, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

/* Returns once the job's thread sleeps inside accept(). */
static void wait_until_blocked(struct accept_job *job)
{
	int i;

	while (!__atomic_load_n(&job->started, __ATOMIC_SEQ_CST))
		sleep_ms(1);
	for (i = 0; i < 2000; i++) {
		char state = thread_state(job->who.tid);

		if (state == 'S')
			return;
		if (state == 0) {	/* no /proc: give it time */
			sleep_ms(200);
			return;
		}
		sleep_ms(1);
	}
}

/* Readers never see a partial file: write a temporary one, then rename. */
static void write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		die("port file");
	}
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%d\n", port);
	if (fclose(f) || rename(tmp, path))
		die("port file");
}

/* hold PORTFILE: one loopback connection, both ends left open until
 * SIGTERM (or the watchdog); its port is written once it is established.
 * For the books of a tracer that exits while connections are open. */
int cmd_hold(const char *portfile)
{
	struct listener l;
	int cfd, afd;

	listen_on("127.0.0.1", 0, 1, &l);
	cfd = tcp_socket(AF_INET);
	if (connect_blocking(cfd, "127.0.0.1", l.local.port))
		die("connect");
	afd = accept(l.fd, NULL, NULL);
	if (afd < 0)
		die("accept");
	write_port_file(portfile, l.local.port);
	pause();
	return 0;
}

int cmd_serve_blocked(const char *portfile)
{
	struct endpoint local, remote;
	struct accept_job job = { .afd = -1 };
	struct listener l;
	pthread_t thread;

	listen_on("127.0.0.1", 0, 8, &l);
	job.lfd = l.fd;
	if (pthread_create(&thread, NULL, accept_thread, &job))
		die("pthread_create");
	wait_until_blocked(&job);
	write_port_file(portfile, l.local.port);
	pthread_join(thread, NULL);
	if (job.afd < 0) {
		errno = job.err;
		die("accept");
	}
	endpoint_of_socket(job.afd, LOCAL, &local);
	endpoint_of_socket(job.afd, PEER, &remote);
	close(job.afd);
	close(l.fd);
	emit("# accept() in thread %d was blocked before the tracer started", job.who.tid);
	scope_add_pid(job.who.pid);
	if (fallback_mode) {
		struct pairs none = { .len = 0 };

		add_endpoint(&none, "src", &local, 1);
		expect_events(0, "accept", SUCCESS, &none);
		expect_closes(0, job.who.pid);
	} else {
		expect_accept_side(&job.who, l.fd, 1, job.afd, &local, &remote);
		expect_closes(1, job.who.pid);
	}
	print_expectations();
	return 0;
}

static int parse_port(const char *text)
{
	char *end;
	long port;

	errno = 0;
	port = strtol(text, &end, 10);
	if (errno || end == text || *end || port < 1 || port > 65535)
		return -1;
	return (int)port;
}

int cmd_connect_to(const char *port_text)
{
	struct endpoint local, remote;
	struct who me;
	int port = parse_port(port_text), fd, err;

	if (port < 0) {
		fprintf(stderr, "tcpscen: bad port '%s'\n", port_text);
		return 2;
	}
	who_am_i(&me);
	fd = tcp_socket(AF_INET);
	err = connect_blocking(fd, "127.0.0.1", port);
	if (err) {
		setup_failed("connect to 127.0.0.1:%d: %s", port, strerror(err));
		print_expectations();
		return 0;
	}
	endpoint_of_socket(fd, LOCAL, &local);
	endpoint_of_socket(fd, PEER, &remote);
	close(fd);
	scope_add_pid(me.pid);
	expect_connect_side(&me, fd, &local, &remote);
	expect_closes(1, me.pid);
	expect_no_failed_connect(me.pid);
	print_expectations();
	return 0;
}
