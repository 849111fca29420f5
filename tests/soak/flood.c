// SPDX-License-Identifier: GPL-2.0-only
/*
 * flood: more TCP connections open at once than trace_tcp's sockets table
 * holds (tests/soak/run.sh).
 *
 *   flood N
 *
 * N connections, shared by as many worker processes as the descriptor
 * limit needs, each with listeners on PORTS loopback ports: a blocking
 * connect to the next port in turn and its accept, all kept open. Then
 * one line on stdout, "flood pid=P open=N workers=W", and it waits for a
 * line (or end of file) on stdin; then every worker closes its accepted
 * sockets, then its clients, and it prints "flood closed=N". One client
 * port serves one connection per listener (the 4-tuples differ), so N may
 * exceed the ephemeral range. Any unexpected error: a message on stderr,
 * exit 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORTS 8

static void die(const char *what)
{
	fprintf(stderr, "flood: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listen_loopback(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 4096) ||
	    getsockname(fd, (struct sockaddr *)addr, &len))
		die("listener");
	return fd;
}

/* Connections one process can hold: two descriptors each, within the
 * hard limit (raising it needs CAP_SYS_RESOURCE, which a container's
 * root may lack). */
static unsigned long per_process(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim))
		die("getrlimit RLIMIT_NOFILE");
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim))
		die("setrlimit RLIMIT_NOFILE");
	if (lim.rlim_cur < 2 * PORTS + 200)
		return 64;
	return (lim.rlim_cur - PORTS - 64) / 2;
}

/* One worker: n connections to its own listeners, one byte on ready once
 * they are open, then held until go reaches its end. */
static void hold(unsigned long n, int ready, int go)
{
	struct sockaddr_in addr[PORTS];
	int listener[PORTS], *fds = calloc(2 * n, sizeof(int));
	unsigned long i;
	char byte = 1;

	if (!fds)
		die("calloc");
	for (i = 0; i < PORTS; i++)
		listener[i] = listen_loopback(&addr[i]);
	for (i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&addr[i % PORTS],
				     sizeof(addr[0])))
			die("connect");
		fds[2 * i] = c;
		fds[2 * i + 1] = accept4(listener[i % PORTS], NULL, NULL,
					 SOCK_CLOEXEC);
		if (fds[2 * i + 1] < 0)
			die("accept");
	}
	if (write(ready, &byte, 1) != 1)
		die("ready");
	while (read(go, &byte, 1) > 0)
		;
	for (i = 0; i < n; i++)
		close(fds[2 * i + 1]);	/* the server first: no TIME_WAIT on
					 * the client's ports */
	for (i = 0; i < n; i++)
		close(fds[2 * i]);
	exit(0);
}

int main(int argc, char **argv)
{
	unsigned long n, per, left, workers = 0;
	int ready[2], go[2], status, failed = 0;
	char line[16], byte;
	char *end;

	if (argc != 2 || (n = strtoul(argv[1], &end, 10)) == 0 || *end) {
		fputs("usage: flood N\n", stderr);
		return 2;
	}
	per = per_process();
	if (pipe(ready) || pipe(go))
		die("pipe");
	for (left = n; left; workers++) {
		unsigned long share = left < per ? left : per;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(go[1]);
			hold(share, ready[1], go[0]);
		}
		left -= share;
	}
	close(go[0]);
	for (unsigned long w = 0; w < workers; w++)
		if (read(ready[0], &byte, 1) != 1) {
			fputs("flood: a worker failed\n", stderr);
			return 1;
		}
	printf("flood pid=%d open=%lu workers=%lu\n", (int)getpid(), n,
	       workers);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin) && ferror(stdin))
		die("stdin");
	close(go[1]);
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (failed)
		return 1;
	printf("flood closed=%lu\n", n);
	return 0;
}
