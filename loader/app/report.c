// SPDX-License-Identifier: GPL-2.0-only
/* The run's report on stderr (see report.h). */
#include "app/report.h"

#include <stdio.h>

static const char *syscall_args_source(const struct plan *plan)
{
	if (plan->regs_args)
		return "the task's registers";
	if (plan->regs_args_refused)
		return "sys_enter tracepoints (the verifier refused "
		       "bpf_task_pt_regs)";
	return "sys_enter tracepoints";
}

static const char *struct_reads(const struct plan *plan)
{
	if (plan->btf.btf_reads)
		return "BTF-typed loads";
	if (plan->btf_reads_refused)
		return "probe reads (the verifier refused BTF-typed loads)";
	return "probe reads";
}

/* What is attached, by ELF section name ("tracepoint/sock/..."). */
static void print_programs(const struct plan *plan)
{
	fputs("trace_tcp: attached:", stderr);
	for (unsigned int i = 0; i < plan->nprograms; i++)
		fprintf(stderr, " %s", plan->programs[i]);
	fprintf(stderr, "; syscall arguments from %s\n",
		syscall_args_source(plan));
}

void report_start(const struct session *s)
{
	if (s->stale_removed)
		fprintf(stderr, "trace_tcp: removed %d kprobe(s) left by a "
			"killed run\n", s->stale_removed);
	fprintf(stderr, "trace_tcp: start-up us: tracefs %lld, plan "
		"(kprobes, formats, BTF) %lld, maps %lld, programs %lld, "
		"attach %lld, reader %lld\n",
		s->phase_us[PHASE_TRACEFS], s->phase_us[PHASE_PLAN],
		s->phase_us[PHASE_MAPS], s->phase_us[PHASE_PROGRAMS],
		s->phase_us[PHASE_ATTACH], s->phase_us[PHASE_READER]);
	fprintf(stderr, "trace_tcp: kernel structs read by %s\n",
		struct_reads(&s->plan));
	fprintf(stderr, "trace_tcp: connection tables %s\n",
		s->tables_preallocated ? "preallocated" : "allocated on use");
	if (s->kernel_filter_tests)
		fprintf(stderr, "trace_tcp: in-kernel filter: %u tests\n",
			s->kernel_filter_tests);
	print_programs(&s->plan);
}

/* Do the programs filter events: the filter map, or --connect-only,
 * --accept-only, --failure-only? */
static int kernel_filtering(const struct session *s)
{
	return s->kernel_filter_tests ||
	       kconst_get(&s->constants, KC_tt_k_filter);
}

static void print_books(const struct socket_books *books)
{
	fprintf(stderr, "trace_tcp: sockets followed: %llu, closed %llu, "
		"still open %llu, ended without their close seen %llu, gone "
		"from the table unaccounted %llu\n",
		books->in, books->out - books->unseen, books->open,
		books->unseen, books->vanished);
}

void report_end(const struct session *s, const struct event_writer *w,
		int verbose, int container_filter)
{
	unsigned long long dropped = session_dropped(s);
	unsigned long long untracked = session_untracked(s);
	unsigned long long no_entry = session_no_entry(s);
	unsigned long long accepts_unseen = session_accepts_unseen(s);
	unsigned long long unseen = session_outcomes_unseen(s);
	unsigned long long skipped = session_skipped_runs(s);
	unsigned long long missed_closes;
	struct socket_books books;

	session_socket_books(s, &books);
	missed_closes = books.unseen + books.vanished;
	if (verbose) {
		session_print_program_stats(s, stderr);
		print_books(&books);
	}
	if (verbose && kernel_filtering(s))
		fprintf(stderr, "trace_tcp: %llu events left out by the "
			"filters in the kernel\n",
			session_filtered_in_kernel(s));
	if (verbose && container_filter)
		fprintf(stderr, "trace_tcp: %llu events hidden by the "
			"container filters in the kernel\n",
			session_hidden_in_kernel(s));
	/* Lost: dropped by the kernel (ring full), not written (output
	 * closed or stuck when we were told to stop), never made (a table
	 * full, a connect's outcome unseen) or a close never seen. */
	fprintf(stderr, "trace_tcp: %llu events printed, %llu lost\n",
		w->printed,
		dropped + w->unwritten + untracked + no_entry +
		accepts_unseen + unseen + missed_closes);
	if (dropped)
		fprintf(stderr, "trace_tcp: %llu of the lost: the event buffer "
			"was full (--buffer-pages)\n", dropped);
	if (w->unwritten)
		fprintf(stderr, "trace_tcp: %llu of the lost: not written, the "
			"output was closed or stuck\n", w->unwritten);
	if (untracked)
		fprintf(stderr, "trace_tcp: %llu of the lost: connections not "
			"followed, their table was full\n", untracked);
	if (no_entry)
		fprintf(stderr, "trace_tcp: %llu of the lost: connections not "
			"followed, the kernel had no memory for their table "
			"entry then\n", no_entry);
	if (accepts_unseen)
		fprintf(stderr, "trace_tcp: %llu of the lost: accepts of "
			"connections not followed (table full, or established "
			"before the start)\n", accepts_unseen);
	if (unseen)
		fprintf(stderr, "trace_tcp: %llu of the lost: connects whose "
			"outcome was not seen, and the closes of those found "
			"established (the kernel skipped a program, e.g. "
			"another BPF program was running on that CPU)\n",
			unseen);
	if (missed_closes)
		fprintf(stderr, "trace_tcp: %llu of the lost: closes not seen "
			"(%llu sockets ended before their close was "
			"recognised, %llu left the table unaccounted)\n",
			missed_closes, books.unseen, books.vanished);
	if (skipped)
		fprintf(stderr, "trace_tcp: the kernel skipped %llu probe hits "
			"(another BPF program was running on that CPU): events "
			"they would have made are missing\n", skipped);
}
