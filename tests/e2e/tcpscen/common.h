/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcpscen's shared state and helpers: the run's label and filters, the
 * way out when a scenario cannot go on, timing, errno names, who we are,
 * and helper processes that report one record through a pipe.
 */
#ifndef TCPSCEN_COMMON_H
#define TCPSCEN_COMMON_H

#include <stddef.h>
#include <sys/types.h>

#include "trace_tcp.h"

#define ABSENT "<absent>"	/* the value alternative "key is missing" */
#define NONROOT_UID 4243
#define NONROOT_GID 4242

extern char label[128];		/* this run's "# scenario" name */
extern unsigned filters;	/* TT_ONLY_* bits from the command line */

/*
 * TT_EXPECT=fallback: the tracer runs without kprobes and without BTF
 * (trace_tcp --backend tracepoint --btf none). Its documented
 * differences, asserted here rather than skipped:
 *   - accept is attributed to the task that called listen() and is
 *     emitted when the connection is established: accept_fd is -1 and
 *     the tid is the listening thread's;
 *   - a listener created before the tracer started is unknown to it: no
 *     accept (and no close of the accepted socket) is reported;
 *   - connect failures before the SYN (no route) are not reported.
 */
extern int fallback_mode;

/*
 * TT_EXPECT_BLOCKED_ACCEPT_FD=unknown: the kernel gives no sys_exit to a
 * syscall entered before the tracer enabled the syscall tracepoints
 * (32-bit ARM), and the tracer reports an accept() blocked before its
 * start when the child is grafted, accept_fd -1. Every other accept
 * keeps its fd.
 */
extern int blocked_accept_fd_unknown;

void die(const char *what) __attribute__((noreturn));

long long now_ms(void);
void sleep_ms(int ms);
const char *errname(int err);
const char *outcome_text(int err);

/* who did it */
struct who {
	int pid, tid, ppid;
	unsigned uid, gid;
	char comm[TT_COMM_LEN + 1];
	unsigned long long netns, mntns;	/* 0: unknown (no /proc) */
};

void who_am_i(struct who *w);

pid_t fork_reporting_child(int *fd);
void write_record(int fd, const void *buf, size_t len);
int read_record(int fd, void *buf, size_t len, int timeout_ms);
int reap(pid_t pid);

#endif
