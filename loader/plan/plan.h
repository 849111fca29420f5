/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backend plan: from what the running kernel offers (kprobes, BTF,
 * tracepoints), which programs to load, where to attach them, and how
 * each event kind is obtained. Both backends share the tracepoint
 * programs; the kprobe backend adds kprobes where they are more exact.
 */
#ifndef TT_PLAN_PLAN_H
#define TT_PLAN_PLAN_H

#include <stddef.h>

#include "common/err.h"
#include "kernel/tracefs.h"
#include "load/kconst.h"
#include "plan/kernel_layout.h"
#include "tt_programs.h"

/* A plan holds each program of the table at most once (add_program). */
#define MAX_PROGRAMS TT_PROGRAMS

/* The maps only some modes use (bpf/maps.h): note_unused_maps() names
 * each at most once, so unused_maps cannot overflow. */
#define PLAN_OPTIONAL_MAPS 9

enum backend_choice { BACKEND_AUTO, BACKEND_KPROBE, BACKEND_TRACEPOINT };

/* What the user asks of the plan (from the command line). */
struct plan_request {
	enum backend_choice backend;
	const char *btf_path;		/* NULL: no BTF */
	int btf_required;		/* btf_path named by the user: read
					 * it or fail */
	int want_bytes;			/* a close's sent and received bytes
					 * are shown or filtered on */
	unsigned int filter;		/* enum tt_type_filter bits */
	int container_filter;		/* containers are filtered: verdicts
					 * are kept in the kernel */
};

struct plan {
	enum backend_choice backend;	/* KPROBE or TRACEPOINT */
	int accept_mode, close_mode, presyn_mode;	/* TT_* modes */
	int has_error_report, has_destroy_sock;
	int has_receive_reset;		/* RSTs refusing a connect, where
					 * neither the error report nor
					 * sock.sk_err tells */
	/* events carry the task's cgroup v2 id */
	int has_cgroup_id;
	int has_cgroup_mkdir;		/* new cgroups are announced */
	int track_sockets;		/* accept or close events wanted */
	/* syscall args from the task's registers: no
	 * sys_enter_connect/accept* */
	int regs_args;
	int regs_args_refused;		/* 5.15+ and BTF, but the verifier
					 * refused bpf_task_pt_regs */
	int exit_needs_traced_entry;	/* a syscall entered before the
					 * start gets no sys_exit */
	int kprobes_avoided;		/* auto passed over kprobes this
					 * CPU's kernels crash with */
	struct btf_layout btf;
	/* the verifier refused BTF-typed loads */
	int btf_reads_refused;
	unsigned int nprograms;
	/* ELF sections, from the table */
	const char *programs[MAX_PROGRAMS];
	unsigned int nkprobes;
	const char *kprobes[MAX_PROGRAMS];	/* kprobe events created */
	/* Maps no live code of this plan touches: created as one-slot
	 * placeholders (creating a map costs start-up time). */
	unsigned int nunused_maps;
	const char *unused_maps[PLAN_OPTIONAL_MAPS];
};

/* Decide the plan and fill the constant table. Creates the kprobe
 * events of the kprobe backend (plan->kprobes; remove them with
 * plan_release). 0 ok, -1 with err. */
int plan_build(const struct plan_request *req, const struct tracefs *t,
	       struct kconst_table *kt, struct plan *plan, struct tt_err *err);
void plan_release(const struct tracefs *t, struct plan *plan);

/* Does this plan use the map called name? */
int plan_uses_map(const struct plan *plan, const char *name);

/* The one stderr line saying what runs and what it cannot fill.
 * cgroup2_mounted: containers can be told apart (see cgroup_fs.h). */
void plan_describe(const struct plan *plan, int cgroup2_mounted,
		   char *line, size_t size);

#endif
