/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The events a scenario expects, as expectation lines (see report.h):
 * which type, who, from where to where, with which outcome.
 */
#ifndef TCPSCEN_EXPECT_H
#define TCPSCEN_EXPECT_H

#include "common.h"
#include "net.h"
#include "report.h"

void add_endpoint(struct pairs *p, const char *name, const struct endpoint *e,
		  int with_port);
void expect_close_by(int count, const struct who *w, int fd,
		     const struct endpoint *local,
		     const struct endpoint *remote);
void expect_connect(const struct who *client, int cfd,
		    const struct endpoint *local,
		    const struct endpoint *remote);
void expect_connect_side(const struct who *client, int cfd,
			 const struct endpoint *local,
			 const struct endpoint *remote);
/* blocked_before_start: the accept() was entered before the tracer
 * started (serve-blocked), its fds possibly unknown (-1). */
void expect_accept_side(const struct who *server, int lfd,
			int blocked_before_start, int afd,
			const struct endpoint *local,
			const struct endpoint *remote);
void expect_failed_connect(const struct who *w, int fd, int err,
			   const struct endpoint *src,
			   const struct endpoint *dst);
/* The same with the error as the tracer prints it ("unknown"), no src. */
void expect_failed_connect_named(const struct who *w, int fd,
				 const char *error, const struct endpoint *dst);
void expect_no_failed_connect(int pid);
void expect_no_successful_connect(int pid);
void expect_closes(int count, int pid);

#endif
