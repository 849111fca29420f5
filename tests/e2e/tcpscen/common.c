// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcpscen's shared helpers (see common.h): the way out, timing, errno
 * names, who we are, helper processes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

char label[128];
unsigned filters;
int fallback_mode;
int blocked_accept_fd_unknown;

/* Something went wrong that is not the tracer's fault: fail the group. */
void die(const char *what)
{
	int err = errno;

	printf("# scenario %s\nexpect-fail internal: %s: %s\n", label, what,
	       strerror(err));
	fflush(stdout);
	exit(1);
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The names trace_tcp prints for the errors our scenarios provoke. */
const char *errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ 0, "" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENETUNREACH, "ENETUNREACH" }, { EHOSTUNREACH, "EHOSTUNREACH" },
		{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" },
		{ EINPROGRESS, "EINPROGRESS" }, { EINTR, "EINTR" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ETIME, "ETIME" },
	};
	static char other[32];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof other, "errno-%d", err);
	return other;
}

/* For comments: like errname, but "success" instead of "". */
const char *outcome_text(int err)
{
	return err ? errname(err) : "success";
}

static unsigned long long ns_inode(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

void who_am_i(struct who *w)
{
	memset(w, 0, sizeof *w);
	w->pid = getpid();
	w->tid = (int)syscall(SYS_gettid);
	w->ppid = getppid();
	w->uid = getuid();
	w->gid = getgid();
	if (prctl(PR_GET_NAME, w->comm, 0, 0, 0))
		w->comm[0] = '\0';
	w->netns = ns_inode("net");
	w->mntns = ns_inode("mnt");
}

/* Forks a child that reports one fixed-size record through a pipe. Returns
 * the pid (0 in the child); *fd is the read end (parent) or write end (child). */
pid_t fork_reporting_child(int *fd)
{
	int p[2];
	pid_t pid;

	fflush(stdout);
	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		alarm(0);
		close(p[0]);
		*fd = p[1];
		return 0;
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

void write_record(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		p += n;
		len -= (size_t)n;
	}
}

/* 0 when the whole record arrived within timeout_ms, else -1. */
int read_record(int fd, void *buf, size_t len, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char *p = buf;

	while (len > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return status;
}
