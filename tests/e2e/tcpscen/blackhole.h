/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TCPSCEN_BLACKHOLE_H
#define TCPSCEN_BLACKHOLE_H

#include "common.h"

/*
 * A black hole on loopback: a listener with listen(fd, 0) whose accept
 * queue is filled by connections nobody accepts, so the kernel drops every
 * further SYN and a connect to it stays in SYN_SENT. A separate helper
 * process owns it, so the fillers' own events are not the scenario's.
 */
struct blackhole {
	pid_t helper;
	int port;
};

int blackhole_open(struct blackhole *bh);
void blackhole_close(struct blackhole *bh);

#endif
