/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenarios. `tcpscen run NAME` runs one of the run_* (main.c holds
 * the table of names); the cmd_* are steps the suite drives one by one.
 */
#ifndef TCPSCEN_SCENARIOS_H
#define TCPSCEN_SCENARIOS_H

#include "common.h"
#include "net.h"

/* connect.c: connects that succeed or are refused, IPv4 and IPv6 */
void run_connect_ok(void);
void run_nonblock_ok(void);
void run_ipv6(void);
void run_v4mapped(void);
void run_connect_refused(void);
void run_nonblock_refused(void);

/* timeout_abort.c: connects to the black hole, timed out or aborted */
void run_timeout(void);
void run_nonblock_timeout(void);
void run_nonblock_timeout_raced(void);
/* icmp.c: refused by ICMP after the SYN (needs iptables) */
void run_icmp_unreach(void);
void run_abort_close(void);
void run_abort_kill(void);

/* unreach.c: no route, in a fresh network namespace */
void run_unreach(void);

/* child_client.c: a child process is the client */
void run_nonroot(void);
void run_exit_close(void);
void run_dup2_close(void);

/* close.c: closes after a reset, and of a socket shared with a child */
void run_reset_close(void);
void run_shared_close(void);
void run_shared_exit_close(void);
/* lifetime.c: a close's duration and bytes, also after shutdown(2) and
 * after a reset */
void run_lifetime(void);
void run_lifetime_shutdown(void);

/* serve.c: an accept blocked before the tracer started, a connect to it,
 * and a connection held open */
int cmd_serve_blocked(const char *portfile);
int cmd_connect_to(const char *port_text);
int cmd_hold(const char *portfile);

/* flood.c: loopback connections as fast as they come, for the full-rate
 * phase */
int cmd_flood(const char *cycles_text, const char *seconds_text);

/* What a child reports to the scenario that forked it. */
struct child_record {
	struct who who;
	int fd, err;
	struct endpoint local, remote;
	char why[128];
};

#endif
