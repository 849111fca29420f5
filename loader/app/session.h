/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tracing session: everything trace_tcp puts into the kernel, set up in
 * pipeline order and torn down on every exit path.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"
#include "kernel/tracefs.h"
#include "load/elf.h"
#include "load/programs.h"
#include "plan/plan.h"
#include "read/reader.h"
#include "tt_filter.h"

enum session_phase {
	PHASE_TRACEFS, PHASE_PLAN, PHASE_MAPS, PHASE_PROGRAMS, PHASE_ATTACH,
	PHASE_READER, PHASE_COUNT
};

/* What the user asks of the session. */
struct session_request {
	struct plan_request plan;
	unsigned int buffer_pages;	/* perf ring pages per CPU */
	/* The in-kernel filter (include/tt_filter.h, bpf/filter.h): its
	 * first kernel_filter_tests tests are written into the filter map
	 * before the programs are attached. 0 tests (kernel_filter may be
	 * NULL then): no filter, and no code for one in the programs. */
	const struct tt_filter *kernel_filter;
	unsigned int kernel_filter_tests;
};

struct session {
	long long phase_us[PHASE_COUNT];	/* start-up time per phase */
	long long last_phase_end_us;
	struct tracefs tracefs;
	struct kconst_table constants;
	struct plan plan;
	struct elf_object object;
	struct bpf_maps maps;
	int prog_fds[MAX_PROGRAMS];
	int link_fds[MAX_PROGRAMS];	/* perf events holding the programs */
	struct event_reader reader;
	/* the BPF ring buffer's size; 0: perf rings */
	uint32_t ring_bytes;
	int stale_removed;		/* dead runs' kprobes cleaned up */
	unsigned int kernel_filter_tests;	/* in the filter map */
	/* The connection tables are preallocated, not allocated on use
	 * (feature_map_alloc_on_use). */
	int tables_preallocated;
};

/* Set everything up. 0 ok; -1 with one line in err (and whatever was set
 * up already torn down again). */
int session_start(struct session *s, const struct session_request *req,
		  struct tt_err *err);
/* Events the programs could not hand to user space (rings full); call
 * before session_stop. */
unsigned long long session_dropped(const struct session *s);
/* Connections the programs could not follow, pending or sockets being
 * full: each is one connect or close event never made. */
unsigned long long session_untracked(const struct session *s);
/* The same, for want of kernel memory for the entry at that moment. */
unsigned long long session_no_entry(const struct session *s);
/* Accepts of connections not followed: each one accept event never
 * made. */
unsigned long long session_accepts_unseen(const struct session *s);
/* Connects whose socket was destroyed before their outcome was seen: each
 * is one connect event never made. */
unsigned long long session_outcomes_unseen(const struct session *s);

/* The sockets table's books (see bpf/sockets.h). */
struct socket_books {
	unsigned long long in, out, open;
	unsigned long long unseen;	/* ended without their close seen */
	unsigned long long vanished;	/* left the table by no known path */
};
void session_socket_books(const struct session *s, struct socket_books *b);
/* Program runs the kernel skipped because another BPF program was
 * running on that CPU (Linux 6.7+ counts them; 0 before): the events
 * they would have made are missing. Call before session_stop. */
unsigned long long session_skipped_runs(const struct session *s);
/* The fd of the map called name, or -1 if this plan does not use it
 * (then it is only a placeholder). */
int session_map_fd(const struct session *s, const char *name);
/* Events the in-kernel filters kept from the ring: the filter map's
 * tests, --connect-only, --accept-only, --failure-only. */
unsigned long long session_filtered_in_kernel(const struct session *s);
/* Events the programs dropped by a container filter's verdict. */
unsigned long long session_hidden_in_kernel(const struct session *s);
/* Each program's runs and mean run time, when kernel.bpf_stats_enabled
 * was set (duplicated programs share one count: shown under each). */
void session_print_program_stats(const struct session *s, FILE *out);
/* Detach every program (their records already made stay in the rings). */
void session_detach(struct session *s);
void session_stop(struct session *s);

#endif
