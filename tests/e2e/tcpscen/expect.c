// SPDX-License-Identifier: GPL-2.0-only
/* The events a scenario expects (see expect.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>

#include "common.h"
#include "expect.h"
#include "net.h"
#include "report.h"

/* A comm we can put in an expectation without quoting. */
static int comm_is_plain(const char *comm)
{
	if (!*comm)
		return 0;
	for (; *comm; comm++)
		if (!isalnum((unsigned char)*comm) && !strchr("._-", *comm))
			return 0;
	return 1;
}

static void add_who(struct pairs *p, const struct who *w, int with_tid)
{
	pairs_add(p, " proc.pid=%d", w->pid);
	if (with_tid)
		pairs_add(p, " proc.tid=%d", w->tid);
	if (comm_is_plain(w->comm))
		pairs_add(p, " proc.comm=%s", w->comm);
	pairs_add(p, " proc.creds.uid=%u proc.creds.gid=%u", w->uid, w->gid);
	pairs_add(p, " proc.parent.pid=%d|" ABSENT, w->ppid);
	if (w->netns)
		pairs_add(p, " netns_id=%llu|" ABSENT, w->netns);
	if (w->mntns)
		pairs_add(p, " proc.mntns_id=%llu|" ABSENT, w->mntns);
}

void add_endpoint(struct pairs *p, const char *name, const struct endpoint *e,
		  int with_port)
{
	pairs_add(p, " %s.addr=%s", name, e->addr);
	if (with_port)
		pairs_add(p, " %s.port=%d", name, e->port);
	pairs_add(p, " %s.version=%d", name, e->version);
}

/* count closes of the socket local -> remote by w (fd: its fd, or -1). */
void expect_close_by(int count, const struct who *w, int fd,
		     const struct endpoint *local, const struct endpoint *remote)
{
	struct pairs close = { .len = 0 };

	pairs_add(&close, " error= fd=%d|-1", fd);
	add_who(&close, w, 0);
	add_endpoint(&close, "src", local, 1);
	add_endpoint(&close, "dst", remote, 1);
	expect_events(count, "close", SUCCESS, &close);
}

void expect_connect(const struct who *client, int cfd,
		    const struct endpoint *local, const struct endpoint *remote)
{
	struct pairs connect = { .len = 0 };

	pairs_add(&connect, " error= fd=%d accept_fd=-1", cfd);
	add_who(&connect, client, 1);
	add_endpoint(&connect, "src", local, 1);
	add_endpoint(&connect, "dst", remote, 1);
	expect_events(1, "connect", SUCCESS, &connect);
}

/* The connecting side of an established connection: its connect and its close. */
void expect_connect_side(const struct who *client, int cfd,
			 const struct endpoint *local, const struct endpoint *remote)
{
	expect_connect(client, cfd, local, remote);
	expect_close_by(1, client, cfd, local, remote);
}

/* The accepting side: its accept (fd = listening fd) and the close of the new socket. */
void expect_accept_side(const struct who *server, int lfd,
			int blocked_before_start, int afd,
			const struct endpoint *local,
			const struct endpoint *remote)
{
	struct pairs accept = { .len = 0 }, close = { .len = 0 };

	/* Blocked before the start: the listening fd is in the registers
	 * only (-1 without them); the new fd comes from a sys_exit the
	 * kernel may not give (blocked_accept_fd_unknown). */
	if (fallback_mode)
		pairs_add(&accept, " error= fd=%d|-1 accept_fd=-1", lfd);
	else
		pairs_add(&accept, " error= fd=%d%s accept_fd=%d%s", lfd,
			  blocked_before_start ? "|-1" : "", afd,
			  blocked_before_start && blocked_accept_fd_unknown
				  ? "|-1" : "");
	add_who(&accept, server, !fallback_mode);
	add_endpoint(&accept, "src", local, 1);
	add_endpoint(&accept, "dst", remote, 1);
	expect_events(1, "accept", SUCCESS, &accept);

	pairs_add(&close, " error= fd=%d|-1", afd);
	add_who(&close, server, 0);
	add_endpoint(&close, "src", local, 1);
	add_endpoint(&close, "dst", remote, 1);
	expect_events(1, "close", SUCCESS, &close);
}

/* A connect that failed with err; src is NULL when the local side is unknown. */
void expect_failed_connect(const struct who *w, int fd, int err,
			   const struct endpoint *src, const struct endpoint *dst)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " error=%s fd=%d accept_fd=-1", errname(err), fd);
	add_who(&p, w, 1);
	if (src)
		add_endpoint(&p, "src", src, src->port != 0);
	add_endpoint(&p, "dst", dst, 1);
	expect_events(1, "connect", FAILURE, &p);
}

void expect_failed_connect_named(const struct who *w, int fd,
				 const char *error, const struct endpoint *dst)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " error=%s fd=%d accept_fd=-1", error, fd);
	add_who(&p, w, 1);
	add_endpoint(&p, "dst", dst, 1);
	expect_events(1, "connect", FAILURE, &p);
}

void expect_no_failed_connect(int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d error!=", pid);
	expect_events(0, "connect", FAILURE, &p);
}

void expect_no_successful_connect(int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d error=", pid);
	expect_events(0, "connect", SUCCESS, &p);
}

void expect_closes(int count, int pid)
{
	struct pairs p = { .len = 0 };

	pairs_add(&p, " proc.pid=%d", pid);
	expect_events(count, "close", SUCCESS, &p);
}
