// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tcp: trace TCP connect, accept and close.
 *
 * main() parses the command line (app/cli.c), starts a session
 * (app/session.c: plan/, kernel/, load/, attach/, read/ in that order),
 * runs the event loop (app/event_loop.c: read/ -> containers/ ->
 * output/) until a signal or --timeout, and reports (app/report.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/event_loop.h"
#include "app/report.h"
#include "app/session.h"
#include "containers/containers.h"
#include "filter/kernel.h"
#include "filter/match.h"
#include "kernel/btf/btf.h"
#include "output/output.h"
#include "output/writer.h"
#include "read/event_batch.h"
#include "sandbox/sandbox.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake epoll_wait */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error */
}

static long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Root, or the capabilities BPF tracing needs. */
static int privileged(void)
{
	char line[256];
	unsigned long long caps = 0;
	FILE *f;

	if (geteuid() == 0)
		return 1;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7)) {
			caps = strtoull(line + 7, NULL, 16);
			break;
		}
	fclose(f);
	return (caps >> 21 & 1) || ((caps >> 38 & 1) && (caps >> 39 & 1));
}

/* Are a close's bytes printed or filtered on? Finding where tcp_sock
 * keeps them doubles the kernel BTF read at start-up (the type sits
 * halfway into vmlinux's BTF), so it is done only then. */
static int bytes_wanted(const struct cli_options *opts)
{
	int columns = opts->output == OUTPUT_COLUMNS;

	if (opts->filter)	/* --connect-only...: no close events */
		return 0;
	for (int id = FIELD_SENT_BYTES; id <= FIELD_RECEIVED_BYTES; id++)
		if (field_selection_shows(&opts->fields, columns, id) ||
		    filter_reads(&opts->rules, id))
			return 1;
	return 0;
}

/* The session opts ask for; the rules the kernel can judge go to kf,
 * and are marked so that user space does not judge them again. */
static void session_request_from(struct cli_options *opts,
				 struct session_request *req,
				 struct tt_filter *kf)
{
	memset(req, 0, sizeof(*req));
	req->kernel_filter_tests = filter_compile_kernel(&opts->rules, kf);
	req->kernel_filter = kf;
	req->plan.backend = opts->backend;
	req->plan.btf_path = opts->btf.named ? opts->btf.path
					     : BTF_VMLINUX_PATH;
	req->plan.btf_required = opts->btf.named && opts->btf.path;
	req->plan.filter = opts->filter;
	req->plan.want_bytes = bytes_wanted(opts);
	req->plan.container_filter = container_filter_active(&opts->containers);
	req->buffer_pages = opts->buffer_pages;
}

/* Until the first event: containers named, the start-up line, and the
 * column header. */
static void prepare_output(struct session *session,
			   const struct cli_options *opts,
			   struct containers *containers,
			   struct event_writer *writer)
{
	char describe[1024], header[1024];

	containers_set_maps(containers,
			    session_map_fd(session, "cgroup_verdicts"),
			    session_map_fd(session, "new_cgroups"));
	event_writer_init(writer, STDOUT_FILENO, opts->output, &opts->fields,
			  clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC),
			  opts->node);
	plan_describe(&session->plan, containers_cgroup2_mounted(containers),
		      describe, sizeof(describe));
	fprintf(stderr, "%s\n", describe);
	containers_judge_existing(containers);
	if (opts->output == OUTPUT_COLUMNS &&
	    output_columns_header(&opts->fields, header,
				  sizeof(header) - 1) >= 0) {
		strcat(header, "\n");
		event_writer_text(writer, header);
	}
}

/* Once attached: the sandbox, unless --no-sandbox. Its line goes with
 * -v's, or alone when the kernel has no seccomp filters. */
static int enter_sandbox(const struct cli_options *opts,
			 const struct session *session, struct tt_err *fail)
{
	struct sandbox sandbox;
	char line[256];

	if (opts->no_sandbox) {
		if (opts->verbose)
			fputs("trace_tcp: sandbox: off (--no-sandbox)\n",
			      stderr);
		return 0;
	}
	if (sandbox_enter(&sandbox, session->tracefs.mounted_by_us, fail))
		return -1;
	sandbox_describe(&sandbox, line, sizeof(line));
	if (opts->verbose || sandbox.no_seccomp)
		fprintf(stderr, "trace_tcp: %s\n", line);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_options opts;
	static struct event_writer writer;
	static struct session session;
	static struct containers containers;
	static struct event_batch batch;
	struct record_sink sink = { &batch, &containers, &opts.rules, &writer,
				    0 };
	struct tt_err fail;
	struct session_request request;
	static struct tt_filter kernel_filter;

	switch (cli_parse(argc, argv, &opts, &fail)) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_ERROR:
		fprintf(stderr, "trace_tcp: %s\n", fail.msg);
		return 2;
	case CLI_RUN:
		break;
	}
	if (!privileged()) {
		fprintf(stderr, "trace_tcp: must run as root (needs CAP_BPF "
			"and CAP_PERFMON, or CAP_SYS_ADMIN)\n");
		return 1;
	}
	containers_init(&containers, &opts.roots, &opts.containers,
			"/proc/self/mountinfo");
	if (container_filter_active(&opts.containers) &&
	    !containers_cgroup2_mounted(&containers)) {
		fprintf(stderr, "trace_tcp: container filters need a cgroup v2 "
			"mount (none in /proc/self/mountinfo)\n");
		return 1;
	}
	install_signals();
	session_request_from(&opts, &request, &kernel_filter);
	if (session_start(&session, &request, &fail)) {
		fprintf(stderr, "trace_tcp: %s\n", fail.msg);
		return 1;
	}
	if (enter_sandbox(&opts, &session, &fail)) {
		fprintf(stderr, "trace_tcp: %s\n", fail.msg);
		session_stop(&session);
		return 1;
	}
	if (opts.verbose)
		report_start(&session);
	prepare_output(&session, &opts, &containers, &writer);
	/* After the "backend" line that says the run is ready: these page
	 * faults need not delay it. */
	event_batch_touch(&batch);
	event_writer_touch(&writer);
	if (event_loop_run(&session, &sink, opts.timeout_seconds,
			   &stop_requested, &fail)) {
		fprintf(stderr, "trace_tcp: %s\n", fail.msg);
		session_stop(&session);
		containers_free(&containers);
		return 1;
	}
	report_end(&session, &writer, opts.verbose,
		   container_filter_active(&opts.containers));
	if (opts.verbose && filter_user_rules(&opts.rules))
		fprintf(stderr, "trace_tcp: %llu events left out by the "
			"filters in user space\n", sink.filtered);
	session_stop(&session);
	containers_free(&containers);
	return 0;
}
