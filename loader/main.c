// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tcp: trace TCP connect, accept and close.
 *
 * The pipeline, one stage per file:
 *   cli.c            the command line
 *   session.c        set up / tear down, in this order:
 *     tracefs.c        find or mount tracefs
 *     backend.c        kprobe or tracepoint backend, and how each event
 *                      kind is obtained on this kernel
 *     kernel_layout.c  tracepoint `format` files and BTF -> constants
 *     elf_reader.c     the embedded BPF object
 *     maps.c           bpf(BPF_MAP_CREATE)
 *     relocator.c      map fds and kernel constants into the programs
 *     programs.c       bpf(BPF_PROG_LOAD) (inject.c: refusals for tests)
 *     attach_*.c       kprobe_events, perf_event_open, SET_BPF
 *     perf_reader.c    the per-CPU perf rings
 *   output.c         columns or JSON
 *   event_writer.c   written out after each drained batch
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "containers/containers.h"
#include "read/event_batch.h"
#include "output/writer.h"
#include "output/output.h"
#include "app/session.h"

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

/* Where records from the perf rings go: a batch, then, in time order,
 * the container stage and the writer. */
struct record_sink {
	struct event_batch *batch;
	struct containers *containers;
	struct event_writer *writer;
};

static void handle_record(struct record_sink *sink, const struct tt_event *e)
{
	const struct container_entry *container;

	if (e->type == TT_RECORD_CGROUP_MKDIR) {
		containers_cgroup_created(sink->containers, e->cgroup_id);
		return;
	}
	container = containers_of_event(sink->containers, e);
	if (container->shown)
		event_writer_add(sink->writer, e, container->info);
}

/* Everything batched so far, in time order, then written out. */
static void finish_batch(struct record_sink *sink)
{
	event_batch_sort(sink->batch);
	for (size_t i = 0; i < sink->batch->count; i++)
		handle_record(sink, sink->batch->order[i]);
	event_batch_clear(sink->batch);
	event_writer_flush(sink->writer);
}

static void queue_record(void *arg, const void *data, uint32_t size)
{
	struct record_sink *sink = arg;

	if (size < sizeof(struct tt_event))
		return;
	if (event_batch_add(sink->batch, data, size) == 0)
		return;
	finish_batch(sink);	/* full: this batch ends here */
	event_batch_add(sink->batch, data, size);
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

/*
 * How long the reader sleeps between drains. Idle, it waits for the
 * kernel's wake-up or POLL_IDLE_MS. Once a drain found events, it comes
 * back after POLL_BUSY_MS by itself, before the ring reaches its wake-up
 * mark (a quarter of the ring: 128 KiB by default, some 500 000 events a
 * second at this interval): a wake-up is an IPI on the traced task's CPU
 * (irq_work), which in a VM costs it tens of microseconds, while the
 * reader's own timer costs the traced tasks nothing.
 */
#define POLL_IDLE_MS 50
#define POLL_BUSY_MS 2

/* Read events until a signal, --timeout, or a write error. Each drained
 * batch is written out at once: live output without a write per event. */
static void event_loop(struct session *s, const struct cli_options *opts,
		       struct record_sink *sink)
{
	struct event_writer *w = sink->writer;
	long long deadline = opts->timeout_seconds > 0
		? clock_ns(CLOCK_MONOTONIC) +
			  (long long)(opts->timeout_seconds * 1e9)
		: 0;
	int drained = 0;

	while (!stop_requested && !w->failed) {
		int wait_ms = drained > 0 ? POLL_BUSY_MS : POLL_IDLE_MS;

		if (deadline) {
			long long left = deadline - clock_ns(CLOCK_MONOTONIC);

			if (left <= 0)
				break;
			if (left / 1000000 < wait_ms)
				wait_ms = (int)(left / 1000000) + 1;
		}
		drained = perf_reader_poll(&s->reader, wait_ms, queue_record,
					   sink);
		if (drained < 0 && errno != EINTR)
			break;
		finish_batch(sink);
	}
	/* Detach first, then drain: every record the programs made is then
	 * printed (or counted), none is made after the last read. */
	session_detach(s);
	perf_reader_drain(&s->reader, queue_record, sink);
	finish_batch(sink);
}

static const char *syscall_args_source(const struct plan *plan)
{
	if (plan->regs_args)
		return "the task's registers";
	if (plan->regs_args_refused)
		return "sys_enter tracepoints (the verifier refused "
		       "bpf_task_pt_regs)";
	return "sys_enter tracepoints";
}

/* -v: what is attached, by ELF section name ("tracepoint/sock/..."). */
static void print_programs(const struct plan *plan)
{
	fputs("trace_tcp: attached:", stderr);
	for (unsigned int i = 0; i < plan->nprograms; i++)
		fprintf(stderr, " %s", plan->programs[i]);
	fprintf(stderr, "; syscall arguments from %s\n",
		syscall_args_source(plan));
}

/* What the command line asks of the session. */
static void session_request_from(const struct cli_options *opts,
				 struct session_request *req)
{
	req->plan.backend = opts->backend;
	req->plan.btf_path = opts->btf_path;
	req->plan.filter = opts->filter;
	req->plan.container_filter = container_filter_active(&opts->containers);
	req->buffer_pages = opts->buffer_pages;
}

int main(int argc, char **argv)
{
	struct cli_options opts;
	static struct event_writer writer;
	static struct session session;
	static struct containers containers;
	static struct event_batch batch;
	struct record_sink sink = { &batch, &containers, &writer };
	char err[512], describe[512], header[160];
	struct tt_err fail;
	struct session_request request;
	unsigned long long dropped, untracked, skipped, missed_closes;
	struct socket_books books;

	switch (cli_parse(argc, argv, &opts, err, sizeof(err))) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_ERROR:
		fprintf(stderr, "trace_tcp: %s\n", err);
		return 2;
	case CLI_RUN:
		break;
	}
	if (!privileged()) {
		fprintf(stderr, "trace_tcp: must run as root (needs CAP_BPF and "
			"CAP_PERFMON, or CAP_SYS_ADMIN)\n");
		return 1;
	}
	containers_init(&containers, &opts.roots, &opts.containers,
			"/proc/self/mountinfo");
	if (container_filter_active(&opts.containers) &&
	    !containers.cgroup2_mount[0]) {
		fprintf(stderr, "trace_tcp: container filters need a cgroup v2 "
			"mount (none in /proc/self/mountinfo)\n");
		return 1;
	}
	install_signals();
	session_request_from(&opts, &request);
	if (session_start(&session, &request, &fail)) {
		fprintf(stderr, "trace_tcp: %s\n", fail.msg);
		return 1;
	}
	if (opts.verbose) {
		if (session.stale_removed)
			fprintf(stderr, "trace_tcp: removed %d kprobe(s) left "
				"by a killed run\n", session.stale_removed);
		fprintf(stderr, "trace_tcp: start-up us: tracefs %lld, plan "
			"(kprobes, formats, BTF) %lld, maps %lld, programs "
			"%lld, attach %lld, reader %lld\n",
			session.phase_us[PHASE_TRACEFS],
			session.phase_us[PHASE_PLAN], session.phase_us[PHASE_MAPS],
			session.phase_us[PHASE_PROGRAMS],
			session.phase_us[PHASE_ATTACH],
			session.phase_us[PHASE_READER]);
		fprintf(stderr, "trace_tcp: kernel structs read by %s\n",
			session.plan.btf.btf_reads ? "BTF-typed loads"
			: session.plan.btf_reads_refused
				? "probe reads (the verifier refused BTF-typed loads)"
				: "probe reads");
		print_programs(&session.plan);
	}
	containers_set_maps(&containers,
			    session_map_fd(&session, "cgroup_verdicts"),
			    session_map_fd(&session, "new_cgroups"));
	event_writer_init(&writer, STDOUT_FILENO, opts.output,
			  clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	plan_describe(&session.plan, containers.cgroup2_mount[0] != '\0',
			 describe, sizeof(describe));
	fprintf(stderr, "%s\n", describe);
	containers_judge_existing(&containers);
	if (opts.output == OUTPUT_COLUMNS) {
		snprintf(header, sizeof(header), "%s\n", output_columns_header());
		event_writer_text(&writer, header);
	}
	event_loop(&session, &opts, &sink);
	dropped = session_dropped(&session);
	untracked = session_untracked(&session);
	skipped = session_skipped_runs(&session);
	session_socket_books(&session, &books);
	missed_closes = books.unseen + books.vanished;
	if (opts.verbose) {
		session_print_program_stats(&session, stderr);
		fprintf(stderr, "trace_tcp: sockets followed: %llu, closed %llu, "
			"still open %llu, ended without their close seen "
			"%llu, gone from the table unaccounted %llu\n",
			books.in, books.out - books.unseen, books.open,
			books.unseen, books.vanished);
	}
	if (opts.verbose && container_filter_active(&opts.containers))
		fprintf(stderr, "trace_tcp: %llu events hidden by the container "
			"filters in the kernel\n",
			session_hidden_in_kernel(&session));
	session_stop(&session);
	containers_free(&containers);
	/* Lost: dropped by the kernel (ring full) or not written (output
	 * closed or stuck when we were told to stop). */
	fprintf(stderr, "trace_tcp: %llu events printed, %llu lost\n",
		writer.printed,
		dropped + writer.unwritten + untracked + missed_closes);
	if (untracked)
		fprintf(stderr, "trace_tcp: %llu of the lost: connections not "
			"followed, their table was full\n", untracked);
	if (missed_closes)
		fprintf(stderr, "trace_tcp: %llu of the lost: closes not seen "
			"(%llu sockets ended before their close was "
			"recognised, %llu left the table unaccounted)\n",
			missed_closes, books.unseen, books.vanished);
	if (skipped)
		fprintf(stderr, "trace_tcp: the kernel skipped %llu probe hits "
			"(another BPF program was running on that CPU): events "
			"they would have made are missing\n", skipped);
	return 0;
}
