// SPDX-License-Identifier: GPL-2.0-only
/*
 * loadgen: the TCP load of trace_tcp's benchmark (scripts/bench.sh), and a
 * tiny start-up timer for the tracers it compares.
 *
 * Load mode (default):
 *
 *   loadgen [-n N] [-m M] [-d SECONDS] [-c CPU]
 *
 * One process, one thread. A listener on 127.0.0.1:<ephemeral>, then N
 * iterations of { blocking connect ; accept ; close(accepted) ; close(client) }
 * and M connects to a bound but not listening loopback port (ECONNREFUSED),
 * spread evenly between the iterations. With -d the run lasts SECONDS
 * instead, keeping the N:M ratio. The accepted (server) side closes first,
 * so TIME_WAIT lands on the server's tuple (listener port): the client's
 * ephemeral ports are not held for 60 s and N can exceed the ephemeral range.
 * -c pins the process to one CPU (the benchmark uses `-c C -n 0 -m 1` to put
 * one event into CPU C's perf ring, which makes the kernel report the lost
 * samples it still holds for that ring).
 * At the end one line on stdout:
 *
 *   loadgen pid=P iterations=N refused=M seconds=S iter_per_sec=R events_expected=E start_ns=T0 end_ns=T1
 *
 * (T0, T1: CLOCK_MONOTONIC of the first and last operation) where E = 4*N (connect, accept, two closes) + M (failed connects).
 * Any unexpected error: a message on stderr and exit status 1.
 *
 * Start-up timer mode:
 *
 *   loadgen -w PATTERN -r READYFILE [-T TIMEOUT] -f FILE [-f FILE]... -- CMD [ARG]...
 *
 * Takes the time, starts a detached watcher process, then execs CMD (so the
 * shell's $! is CMD's pid and CMD's stdout/stderr are the ones the shell set
 * up). The watcher polls the beginning of each FILE every 0.25 ms for
 * PATTERN and writes "ready_ms=<milliseconds from before the exec>" (or
 * "ready_ms=timeout") to READYFILE, atomically (rename).
 *
 *   loadgen -t     prints CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds
 *                  (busybox date has no %N)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned long long parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		die("%s: not a count: '%s'", what, s);
	return v;
}

/* ---- start-up timer ----------------------------------------------------- */

static int file_has(const char *path, const char *pattern)
{
	char buf[65536];
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (got < sizeof(buf) - 1) {
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return memmem(buf, got, pattern, strlen(pattern)) != NULL;
}

static void write_ready(const char *path, const char *text)
{
	char tmp[4096];
	int fd;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		_exit(1);
	n = write(fd, text, strlen(text));
	close(fd);
	if (n != (ssize_t)strlen(text) || rename(tmp, path) != 0)
		_exit(1);
}

static int timer_mode(int argc, char **argv)
{
	const char *pattern = NULL, *ready = NULL;
	const char *files[16];
	int nfiles = 0, i;
	double timeout = 120.0;
	uint64_t t0;
	pid_t child;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "-w"))
			pattern = argv[++i];
		else if (!strcmp(argv[i], "-r"))
			ready = argv[++i];
		else if (!strcmp(argv[i], "-T"))
			timeout = (double)parse_count(argv[++i], "-T");
		else if (!strcmp(argv[i], "-f")) {
			if (nfiles == 16)
				die("at most 16 -f files");
			files[nfiles++] = argv[++i];
		} else
			die("unknown option '%s' in -w mode", argv[i]);
	}
	if (!pattern || !*pattern || !ready || !nfiles || i >= argc)
		die("usage: loadgen -w PATTERN -r READYFILE [-T SECONDS] -f FILE... -- CMD [ARG]...");

	unlink(ready);
	t0 = now_ns();
	child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		/* Double fork: the watcher is nobody's child to wait for. */
		pid_t w = fork();

		if (w != 0)
			_exit(w < 0);
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		for (;;) {
			uint64_t t = now_ns();
			char text[96];

			for (int f = 0; f < nfiles; f++) {
				if (file_has(files[f], pattern)) {
					snprintf(text, sizeof(text), "ready_ms=%.3f\nready_mono_ns=%llu\n",
						 (double)(t - t0) / 1e6, (unsigned long long)t);
					write_ready(ready, text);
					_exit(0);
				}
			}
			if ((double)(t - t0) / 1e9 > timeout) {
				write_ready(ready, "ready_ms=timeout\n");
				_exit(1);
			}
			struct timespec nap = { 0, 250000 };

			nanosleep(&nap, NULL);
		}
	}
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	execvp(argv[i], argv + i);
	die("cannot run %s: %s", argv[i], strerror(errno));
	return 1;
}

/* ---- load --------------------------------------------------------------- */

static int tcp_socket(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		die("socket: %s", strerror(errno));
	return s;
}

static void xclose(int fd, const char *what)
{
	/* close(2) must not be retried on EINTR on Linux */
	if (close(fd) != 0 && errno != EINTR)
		die("close(%s): %s", what, strerror(errno));
}

static int bound_socket(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int one = 1;
	int s = tcp_socket();

	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		die("setsockopt(SO_REUSEADDR): %s", strerror(errno));
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa->sin_port = 0;
	if (bind(s, (struct sockaddr *)sa, sizeof(*sa)) != 0)
		die("bind(127.0.0.1:0): %s", strerror(errno));
	if (getsockname(s, (struct sockaddr *)sa, &len) != 0)
		die("getsockname: %s", strerror(errno));
	return s;
}

static int do_connect(const struct sockaddr_in *sa)
{
	int s = tcp_socket();
	int r;

	do
		r = connect(s, (const struct sockaddr *)sa, sizeof(*sa));
	while (r != 0 && errno == EINTR);
	if (r == 0)
		return s;
	int e = errno;

	close(s);
	errno = e;
	return -1;
}

static void one_iteration(int lfd, const struct sockaddr_in *lsa)
{
	int c, a;

	c = do_connect(lsa);
	if (c < 0)
		die("connect(127.0.0.1:%u): %s", ntohs(lsa->sin_port), strerror(errno));
	do
		a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (a < 0 && errno == EINTR);
	if (a < 0)
		die("accept: %s", strerror(errno));
	xclose(a, "accepted socket");	/* server first: TIME_WAIT on its side */
	xclose(c, "client socket");
}

static void one_refused(const struct sockaddr_in *csa)
{
	int s = do_connect(csa);

	if (s >= 0)
		die("connect(127.0.0.1:%u) to a closed port succeeded", ntohs(csa->sin_port));
	if (errno != ECONNREFUSED)
		die("connect(127.0.0.1:%u) to a closed port: %s (expected ECONNREFUSED)",
		    ntohs(csa->sin_port), strerror(errno));
}

static void usage(void)
{
	fputs("usage: loadgen [-n ITERATIONS] [-m REFUSED] [-d SECONDS] [-c CPU]\n"
	      "       loadgen -w PATTERN -r READYFILE [-T SECONDS] -f FILE... -- CMD [ARG]...\n"
	      "       loadgen -t\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long n = 20000, m = 2000, dur = 0;
	unsigned long long it = 0, refused = 0;
	struct sockaddr_in lsa, csa;
	int lfd, cfd, opt, cpu = -1;
	uint64_t t0, t1, deadline = 0;

	if (argc >= 2 && !strcmp(argv[1], "-w"))
		return timer_mode(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "-t")) {
		struct timespec rt;
		uint64_t mono = now_ns();

		clock_gettime(CLOCK_REALTIME, &rt);
		printf("%llu %llu\n", (unsigned long long)mono,
		       (unsigned long long)rt.tv_sec * 1000000000ull + (unsigned long long)rt.tv_nsec);
		return 0;
	}
	while ((opt = getopt(argc, argv, "n:m:d:c:")) != -1) {
		switch (opt) {
		case 'c': cpu = (int)parse_count(optarg, "-c"); break;
		case 'n': n = parse_count(optarg, "-n"); break;
		case 'm': m = parse_count(optarg, "-m"); break;
		case 'd': dur = parse_count(optarg, "-d"); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (n == 0 && (m == 0 || dur))
		die("-n must be > 0 (with -d it sets the iterations:refused ratio)");
	signal(SIGPIPE, SIG_IGN);
	if (cpu >= 0) {
		cpu_set_t set;

		if (cpu >= CPU_SETSIZE)
			die("-c %d: no such CPU", cpu);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			die("sched_setaffinity(CPU %d): %s", cpu, strerror(errno));
	}

	lfd = bound_socket(&lsa);
	if (listen(lfd, 128) != 0)
		die("listen: %s", strerror(errno));
	/* Bound, never listening: connects to it get a RST (ECONNREFUSED). */
	cfd = bound_socket(&csa);

	t0 = now_ns();
	if (dur)
		deadline = t0 + dur * 1000000000ull;
	for (;;) {
		if (dur) {
			if ((it & 63) == 0 && now_ns() >= deadline)
				break;
		} else if (it >= n) {
			break;
		}
		one_iteration(lfd, &lsa);
		it++;
		/* evenly: after iteration i, floor(i*M/N) refused connects */
		while (refused < it * m / n) {
			one_refused(&csa);
			refused++;
		}
	}
	while (!dur && refused < m) {	/* only when N == 0 */
		one_refused(&csa);
		refused++;
	}
	t1 = now_ns();
	xclose(lfd, "listener");
	xclose(cfd, "closed-port socket");

	double secs = (double)(t1 - t0) / 1e9;

	printf("loadgen pid=%d iterations=%llu refused=%llu seconds=%.3f "
	       "iter_per_sec=%.1f events_expected=%llu start_ns=%llu end_ns=%llu\n",
	       (int)getpid(), it, refused, secs, secs > 0 ? (double)it / secs : 0.0,
	       4 * it + refused, (unsigned long long)t0, (unsigned long long)t1);
	return fflush(stdout) == 0 ? 0 : 1;
}
