// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcpscen: the end-to-end test driver and checker for trace_tcp.
 *
 *   tcpscen run [FILTERS] NAME            perform scenario NAME, print its expectations
 *   tcpscen serve-blocked [FILTERS] FILE  block in accept(); the port goes to FILE
 *   tcpscen connect-to [FILTERS] PORT     connect to 127.0.0.1:PORT
 *   tcpscen hold PORTFILE                 one connection held open until SIGTERM
 *   tcpscen flood CYCLES SECONDS          loopback connections as fast as they come
 *   tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE
 *   tcpscen selftest [FIXTURE_DIR]        the checker against tests/e2e/fixtures
 *   tcpscen list                          names of the `run` scenarios
 *   tcpscen run-as UID GID CMD [ARGS...]  exec CMD without root
 *
 * FILTERS are trace_tcp's own --connect-only, --accept-only, --failure-only:
 * given the same flags as the tracer, a scenario expects only what the
 * tracer should still report. Every scenario talks to loopback only (the
 * unreachable addresses are tried in a fresh network namespace holding
 * nothing but a loopback device). The expectation grammar is described in
 * tests/e2e/README.md.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common.h"
#include "report.h"
#include "scenarios.h"

#define RUN_WATCHDOG_SECONDS 90
#define SERVE_WATCHDOG_SECONDS 300

static const struct scenario {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "connect-ok", run_connect_ok },
	{ "connect-refused", run_connect_refused },
	{ "nonblock-ok", run_nonblock_ok },
	{ "nonblock-refused", run_nonblock_refused },
	{ "timeout", run_timeout },
	{ "nonblock-timeout", run_nonblock_timeout },
	{ "nonblock-timeout-raced", run_nonblock_timeout_raced },
	{ "icmp-unreach", run_icmp_unreach },
	{ "unreach", run_unreach },
	{ "abort-close", run_abort_close },
	{ "abort-kill", run_abort_kill },
	{ "ipv6", run_ipv6 },
	{ "v4mapped", run_v4mapped },
	{ "nonroot", run_nonroot },
	{ "exit-close", run_exit_close },
	{ "dup2-close", run_dup2_close },
	{ "reset-close", run_reset_close },
	{ "shared-close", run_shared_close },
	{ "shared-exit-close", run_shared_exit_close },
	{ "lifetime", run_lifetime },
	{ "lifetime-shutdown", run_lifetime_shutdown },
};

static int usage(void)
{
	fprintf(stderr,
		"usage: tcpscen run [FILTERS] NAME\n"
		"       tcpscen serve-blocked [FILTERS] PORTFILE\n"
		"       tcpscen connect-to [FILTERS] PORT\n"
		"       tcpscen hold PORTFILE\n"
		"       tcpscen flood CYCLES SECONDS\n"
		"       tcpscen check [--tag TAG] EXPECT_FILE EVENTS_FILE\n"
		"       tcpscen selftest [FIXTURE_DIR]\n"
		"       tcpscen list\n"
		"FILTERS: --connect-only --accept-only --failure-only\n");
	return 2;
}

static const struct scenario *find_scenario(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

/* Driver subcommands take the tracer's filter flags anywhere; the other
 * arguments are returned in args. Returns their number, or -1. */
static int split_filters(int argc, char **argv, char **args, int max)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--connect-only"))
			filters |= TT_ONLY_CONNECT;
		else if (!strcmp(argv[i], "--accept-only"))
			filters |= TT_ONLY_ACCEPT;
		else if (!strcmp(argv[i], "--failure-only"))
			filters |= TT_ONLY_FAILURE;
		else if (argv[i][0] == '-' || n == max)
			return -1;
		else
			args[n++] = argv[i];
	}
	if ((filters & TT_ONLY_CONNECT) && (filters & TT_ONLY_ACCEPT))
		return -1;
	return n;
}

/* run-as UID GID CMD [ARGS...]: exec CMD without root (no groups). */
static int cmd_run_as(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: tcpscen run-as UID GID CMD [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid((gid_t)atoi(argv[1])) ||
	    setuid((uid_t)atoi(argv[0]))) {
		perror("tcpscen run-as");
		return 2;
	}
	execv(argv[2], argv + 2);
	perror("tcpscen run-as: exec");
	return 127;
}

static int cmd_list(void)
{
	size_t i;

	for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		printf("%s\n", scenarios[i].name);
	return 0;
}

static int cmd_run(const char *name)
{
	const struct scenario *s = find_scenario(name);

	if (!s) {
		fprintf(stderr, "tcpscen: no scenario '%s' (see tcpscen list)\n", name);
		return 2;
	}
	set_label(s->name);
	alarm(RUN_WATCHDOG_SECONDS);
	s->run();
	print_expectations();
	return 0;
}

/* The driver commands: they make connections, under a watchdog. */
static int driver_command(const char *command, const char *arg)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_watchdog);
	if (!strcmp(command, "run"))
		return cmd_run(arg);
	if (!strcmp(command, "serve-blocked")) {
		set_label("serve-blocked");
		alarm(SERVE_WATCHDOG_SECONDS);
		return cmd_serve_blocked(arg);
	}
	if (!strcmp(command, "hold")) {
		set_label("hold");
		alarm(SERVE_WATCHDOG_SECONDS);
		return cmd_hold(arg);
	}
	if (!strcmp(command, "connect-to")) {
		set_label("connect-to");
		alarm(RUN_WATCHDOG_SECONDS);
		return cmd_connect_to(arg);
	}
	return usage();
}

int main(int argc, char **argv)
{
	char *args[2];

	fallback_mode = getenv("TT_EXPECT") && !strcmp(getenv("TT_EXPECT"), "fallback");
	blocked_accept_fd_unknown = getenv("TT_EXPECT_BLOCKED_ACCEPT_FD") &&
		!strcmp(getenv("TT_EXPECT_BLOCKED_ACCEPT_FD"), "unknown");
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "run-as"))
		return cmd_run_as(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "selftest"))
		return cmd_selftest(argc > 2 ? argv[2] : "tests/e2e/fixtures");
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	if (!strcmp(argv[1], "flood") && argc == 4) {
		signal(SIGPIPE, SIG_IGN);
		signal(SIGALRM, on_watchdog);
		return cmd_flood(argv[2], argv[3]);
	}
	if (split_filters(argc - 2, argv + 2, args, 2) != 1)
		return usage();
	return driver_command(argv[1], args[0]);
}
