// SPDX-License-Identifier: GPL-2.0-only
/* The backend plan (see plan.h). */
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>	/* __NR_accept, where the CPU has it */

#include "attach/kprobe.h"
#include "cpu_regs.h"
#include "kernel/btf/btf.h"
#include "kernel/features.h"
#include "kernel/inject.h"
#include "load/maps.h"
#include "trace_tcp.h"

static const enum tt_program connect_syscalls[] = {
	TT_PROG_sys_enter_connect, TT_PROG_sys_exit_connect,
};
/* accept4 on every CPU; accept(2) where the CPU's headers number it (all
 * that trace_tcp builds for: x86_64, and arm64's asm-generic 202), else
 * its kernel has no syscalls:sys_*_accept to attach to. */
static const enum tt_program accept_syscalls[] = {
#ifdef __NR_accept
	TT_PROG_sys_enter_accept, TT_PROG_sys_enter_accept4,
	TT_PROG_sys_exit_accept, TT_PROG_sys_exit_accept4,
#else
	TT_PROG_sys_enter_accept4, TT_PROG_sys_exit_accept4,
#endif
};
/* The same, when the exits read the arguments from the registers. */
static const enum tt_program connect_exits[] = { TT_PROG_sys_exit_connect };
static const enum tt_program accept_exits[] = {
#ifdef __NR_accept
	TT_PROG_sys_exit_accept,
#endif
	TT_PROG_sys_exit_accept4,
};
static const enum tt_program close_syscalls[] = { TT_PROG_sys_enter_close };
static const enum tt_program listen_syscalls[] = { TT_PROG_sys_enter_listen };

#define COUNT(arr) (sizeof(arr) / sizeof(arr[0]))

/* The programs' sections, by id (include/tt_programs.h). */
static const char *const sections[TT_PROGRAMS] = {
#define SECTION(id, optional) [TT_PROG_##id] = TT_SECTION(id),
	TT_PROGRAM_LIST(SECTION)
#undef SECTION
};

/* The hook a section names: "syscalls/sys_enter_connect" of
 * "tracepoint/syscalls/sys_enter_connect", "tcp_close" of
 * "kprobe/tcp_close". */
static const char *hook_of(const char *section)
{
	return strchr(section, '/') + 1;
}

/* Can the running kernel lack its hook? (One bit per program.) */
_Static_assert(TT_PROGRAMS < 32, "a bit per program in an int");
static int program_optional(enum tt_program id)
{
#define OPTIONAL(id, optional) | (optional) << TT_PROG_##id
	return (0 TT_PROGRAM_LIST(OPTIONAL)) >> id & 1;
#undef OPTIONAL
}

static int planned(const struct plan *plan, enum tt_program id)
{
	for (unsigned int i = 0; i < plan->nprograms; i++)
		if (plan->programs[i] == sections[id])
			return 1;
	return 0;
}

/* A program in the plan once at most: its TT_PROGRAMS slots never run
 * out, so there is no cap to reach. */
static void add_program(struct plan *plan, enum tt_program id)
{
	if (!planned(plan, id))
		plan->programs[plan->nprograms++] = sections[id];
}

static void add_programs(struct plan *plan, const enum tt_program *ids,
			 size_t count)
{
	for (size_t i = 0; i < count; i++)
		add_program(plan, ids[i]);
}

/* An optional tracepoint, by its layout_*() result: -1 stays an error;
 * 1 (described) adds its program and sets *has; 0 (absent) clears it. */
static int add_optional(struct plan *plan, int layout_rc, enum tt_program id,
			int *has)
{
	if (layout_rc < 0)
		return -1;
	*has = layout_rc > 0;
	if (*has)
		add_program(plan, id);
	return 0;
}

/* Create a kprobe event now, so that what can be probed is known before
 * the programs are built. 1 planned; 0 an optional hook this kernel
 * cannot probe; -1 with err. Its event is one of the plan's programs, so
 * plan->kprobes never holds more than TT_PROGRAMS either. */
static int add_kprobe(const struct tracefs *t, struct plan *plan,
		      enum tt_program id, struct tt_err *err)
{
	const char *function = hook_of(sections[id]);
	int optional = program_optional(id);
	struct tt_err why;	/* why an optional one is missing: no error */

	if (planned(plan, id))
		return 1;
	if (kprobe_create(t, function, optional ? &why : err) < 0)
		return optional ? 0 : -1;
	plan->kprobes[plan->nkprobes++] = function;
	add_program(plan, id);
	return 1;
}

/* The fd table tells a TCP connect(2) that failed before its SYN. */
static int fdwalk_tells_tcp(const struct btf_layout *btf)
{
	return btf->fdwalk && btf->sock_protocol;
}

/* With BTF, tracepoints tell all the kprobes would (a close: the state
 * change inside the release of the socket's file; the rest: the fd
 * table), without a kprobe to arm at start (each walks every ftrace
 * record: ~10 ms of the guest's start-up) or to trap into per close. */
static int tracepoints_suffice(const struct btf_layout *btf)
{
	return btf->release && fdwalk_tells_tcp(btf);
}

/* Kprobes have crashed this CPU's kernels (include/cpu_regs.h): auto
 * leaves them alone. */
static int kprobes_unsafe(void)
{
#ifdef TT_KPROBES_UNSAFE
	return 1;
#else
	return 0;
#endif
}

static int choose_backend(const struct plan_request *req,
			  const struct tracefs *t, struct plan *plan,
			  struct tt_err *err)
{
	int have_kprobes = feature_kprobes(t);

	if (req->backend == BACKEND_KPROBE && !have_kprobes) {
		tt_fail(err, "this kernel has no kprobes (no %s/"
			"kprobe_events: CONFIG_KPROBES is off); use --backend "
			"tracepoint or auto", t->root);
		return -1;
	}
	if (req->backend == BACKEND_AUTO) {
		plan->kprobes_avoided = have_kprobes && kprobes_unsafe();
		plan->backend = have_kprobes && !plan->kprobes_avoided &&
						!tracepoints_suffice(&plan->btf)
					? BACKEND_KPROBE
					: BACKEND_TRACEPOINT;
	}
	else
		plan->backend = req->backend;
	return 0;
}

static int plan_kprobe_backend(const struct tracefs *t, struct plan *plan,
			       struct tt_err *err)
{
	if (add_kprobe(t, plan, TT_PROG_tcp_close, err) < 0)
		return -1;
	plan->close_mode = TT_CLOSE_KPROBE;
	/* Telling a TCP connect(2) that fails before its SYN from any other
	 * connect: the fd walk (BTF) looks only at such failures, where the
	 * tcp_v{4,6}_connect kprobes cost a trap on every connect and two
	 * more kprobes to arm at start. */
	if (fdwalk_tells_tcp(&plan->btf)) {
		plan->presyn_mode = TT_PRESYN_FDWALK;
	} else {
		if (add_kprobe(t, plan, TT_PROG_tcp_v4_connect, err) < 0 ||
		    add_kprobe(t, plan, TT_PROG_tcp_v6_connect, err) < 0)
			return -1;
		plan->presyn_mode = TT_PRESYN_KPROBE;
	}
	/* Which task accepted which child: the fd table at accept's return
	 * (BTF) tells as exactly as a kprobe would, without a kprobe to arm
	 * (each costs a walk of every ftrace record, 5-10 ms of the guest's
	 * start-up). Without BTF, security_sock_graft (CONFIG_SECURITY). */
	if (plan->track_sockets && !plan->btf.fdwalk &&
	    add_kprobe(t, plan, TT_PROG_security_sock_graft, err) > 0)
		plan->accept_mode = TT_ACCEPT_GRAFT;
	return 0;
}

static void plan_tracepoint_backend(struct plan *plan)
{
	/* With BTF, the state change tcp_close makes while the socket's
	 * file is released (see bpf/close.h); else the state change seen
	 * inside the owner's close(2), or while it exits: PF_EXITING (BTF),
	 * or marked at sched_process_exit. */
	plan->close_mode = plan->btf.release ? TT_CLOSE_RELEASE
					     : TT_CLOSE_TRANSITION;
	plan->presyn_mode = fdwalk_tells_tcp(&plan->btf) ? TT_PRESYN_FDWALK
							 : TT_PRESYN_NONE;
	if (plan->close_mode == TT_CLOSE_TRANSITION && !plan->btf.task_flags)
		add_program(plan, TT_PROG_sched_process_exit);
}

/*
 * Can the sys_exit programs read the call's arguments from the task's
 * registers (bpf_task_pt_regs, 5.15+, on a task pointer typed by the
 * kernel's own BTF)? Then no sys_enter tracepoint is enabled: two fewer
 * programs per connect and accept, and no perf_syscall_enter hook on
 * every other syscall of the system. The kprobe backend keeps its
 * sys_enter programs (its tcp_v{4,6}_connect kprobes look for them).
 * The version says the helpers exist; the probe load says this kernel's
 * verifier takes them (a backport or a config may differ).
 */
static int regs_args_usable(const struct plan_request *req,
			    const struct plan *plan)
{
	return plan->backend == BACKEND_TRACEPOINT && plan->btf.has_btf &&
	       req->btf_path && !strcmp(req->btf_path, BTF_VMLINUX_PATH) &&
	       plan->accept_mode != TT_ACCEPT_GRAFT &&
	       feature_task_regs_helpers();
}

static int plan_syscalls(struct kconst_table *kt, const struct tracefs *t,
			 struct plan *plan, struct tt_err *err)
{
	unsigned int first = plan->nprograms;
	const char *events[MAX_PROGRAMS];	/* one per program added here */
	size_t n = 0;

#define APPEND(arr) add_programs(plan, arr, COUNT(arr))
	if (plan->regs_args)
		APPEND(connect_exits);
	else
		APPEND(connect_syscalls);
	if (!plan->track_sockets)
		;	/* neither accept nor close events: no accept side */
	else if (plan->accept_mode == TT_ACCEPT_LISTENER)
		APPEND(listen_syscalls);
	else if (plan->regs_args)
		APPEND(accept_exits);
	else
		APPEND(accept_syscalls);
	if (plan->close_mode == TT_CLOSE_TRANSITION)
		APPEND(close_syscalls);
#undef APPEND
	for (unsigned int i = first; i < plan->nprograms; i++)
		events[n++] = hook_of(plan->programs[i]);
	return layout_syscalls(kt, t, events, n, err);
}

static int plan_sock_tracepoints(struct kconst_table *kt,
				 const struct tracefs *t, struct plan *plan,
				 struct tt_err *err)
{
	int error_report;

	if (layout_inet_sock_set_state(kt, t, err))
		return -1;
	add_program(plan, TT_PROG_inet_sock_set_state);
	/* 1 described, 0 absent (or hidden for a test), -1 unusable */
	error_report = hiding_injected("error-report")
			       ? 0
			       : layout_inet_sk_error_report(kt, t, err);
	if (add_optional(plan, error_report, TT_PROG_inet_sk_error_report,
			 &plan->has_error_report) ||
	    add_optional(plan, layout_tcp_destroy_sock(kt, t, err),
			 TT_PROG_tcp_destroy_sock, &plan->has_destroy_sock))
		return -1;
	kconst_set(kt, KC_tt_k_has_error_report,
		   (uint64_t)plan->has_error_report);
	/* Before the error report, a failed connect's errno is sk_err at its
	 * CLOSE (BTF); without BTF, an RST at least is known by its own
	 * tracepoint (bpf/connect.h, connect_closed_unreported). */
	if (plan->has_error_report || plan->btf.sock_err)
		return 0;
	return add_optional(plan, layout_tcp_receive_reset(kt, t, err),
			    TT_PROG_tcp_receive_reset,
			    &plan->has_receive_reset);
}

/* Containers: the cgroup id in every event (4.18+), and cgroup_mkdir
 * to name a container before its first event. */
static int plan_containers(const struct plan_request *req,
			   struct kconst_table *kt, const struct tracefs *t,
			   struct plan *plan, struct tt_err *err)
{
	int filtering = req->container_filter;

	plan->has_cgroup_id = feature_cgroup_ids();
	kconst_set(kt, KC_tt_k_cgroup_filter,
		   (uint64_t)(filtering && plan->has_cgroup_id));
	if (!plan->has_cgroup_id) {
		if (filtering) {
			return tt_fail(err, "container filters need cgroup "
				       "ids in BPF (Linux 4.18 or later)");
		}
		return 0;
	}
	return add_optional(plan, layout_cgroup_mkdir(kt, t, err),
			    TT_PROG_cgroup_mkdir, &plan->has_cgroup_mkdir);
}

/*
 * Does the running kernel report a system call's exit only if tracing
 * was on at its entry (include/cpu_regs.h)? Then an accept() blocked
 * before the start never reaches sys_exit_accept*. A build for such a CPU
 * may also run on a 64-bit kernel (compat), which tests at the return:
 * the CPU's own kernel is the one with 4-byte pointers.
 */
static int exit_needs_traced_entry(const struct kconst_table *kt)
{
#ifdef TT_EXIT_NEEDS_TRACED_ENTRY
	return kconst_get(kt, KC_tt_k_ptr_size) == 4;
#else
	(void)kt;
	return 0;
#endif
}

static void unused_map(struct plan *plan, const char *name)
{
	plan->unused_maps[plan->nunused_maps++] = name;
}

/* The maps only some modes use (see bpf/maps.h). */
static void note_unused_maps(const struct plan_request *req, struct plan *plan)
{
	if (plan->regs_args)	/* the listening fd comes from the registers */
		unused_map(plan, "accept_calls");
	if (!plan->track_sockets || plan->accept_mode != TT_ACCEPT_LISTENER) {
		unused_map(plan, "listeners");
		unused_map(plan, "listen_calls");
	}
	/* close markers and exits: without tcp_close or the release */
	if (plan->close_mode == TT_CLOSE_RELEASE)
		unused_map(plan, "close_calls");
	/* current_exiting() reads the task's flags where BTF has them */
	if (plan->close_mode != TT_CLOSE_TRANSITION || plan->btf.task_flags)
		unused_map(plan, "exiting");
	if (!req->container_filter || !plan->has_cgroup_id)
		unused_map(plan, "cgroup_verdicts");
	if (!plan->has_cgroup_mkdir)
		unused_map(plan, "new_cgroups");
	/* an error report and its CLOSE, paired in either order */
	if (!plan->has_error_report) {
		unused_map(plan, "closing");
		unused_map(plan, "early_errors");
	}
}

int plan_uses_map(const struct plan *plan, const char *name)
{
	for (unsigned int i = 0; i < plan->nunused_maps; i++)
		if (!strcmp(plan->unused_maps[i], name))
			return 0;
	return 1;
}

int plan_build(const struct plan_request *req, const struct tracefs *t,
	       struct kconst_table *kt, struct plan *plan, struct tt_err *err)
{
	memset(plan, 0, sizeof(*plan));
	/* Accepted and established sockets are followed only for accept and
	 * close events; --connect-only and --failure-only need neither. */
	plan->track_sockets =
		!(req->filter & (TT_ONLY_CONNECT | TT_ONLY_FAILURE));
	if (layout_btf(kt, req->btf_path, req->btf_required, req->want_bytes,
		       &plan->btf, err))
		return -1;
	if (choose_backend(req, t, plan, err))
		return -1;
	if (plan->backend == BACKEND_KPROBE) {
		if (plan_kprobe_backend(t, plan, err))
			return -1;
	} else {
		plan_tracepoint_backend(plan);
	}
	if (!plan->accept_mode)
		plan->accept_mode = plan->btf.fdwalk ? TT_ACCEPT_FDWALK
						     : TT_ACCEPT_LISTENER;
	plan->regs_args = regs_args_usable(req, plan);
	if (plan->regs_args && !feature_task_regs_loadable()) {
		plan->regs_args = 0;
		plan->regs_args_refused = 1;
	}
	if (plan_sock_tracepoints(kt, t, plan, err) ||
	    plan_syscalls(kt, t, plan, err) ||
	    plan_containers(req, kt, t, plan, err))
		return -1;
	kconst_set(kt, KC_tt_k_has_cgroup_id, (uint64_t)plan->has_cgroup_id);
	kconst_set(kt, KC_tt_k_track_sockets, (uint64_t)plan->track_sockets);
	kconst_set(kt, KC_tt_k_filter, req->filter);
	kconst_set(kt, KC_tt_k_accept_mode, (uint64_t)plan->accept_mode);
	kconst_set(kt, KC_tt_k_close_mode, (uint64_t)plan->close_mode);
	kconst_set(kt, KC_tt_k_presyn_mode, (uint64_t)plan->presyn_mode);
	kconst_set(kt, KC_tt_k_regs_args, (uint64_t)plan->regs_args);
	kconst_set(kt, KC_tt_k_inject_unseen_outcome,
		   (uint64_t)fault_injected("unseen-outcome"));
	/* after plan_sock_tracepoints: the kernel's pointer size */
	plan->exit_needs_traced_entry = exit_needs_traced_entry(kt);
	kconst_set(kt, KC_tt_k_exit_needs_traced_entry,
		   (uint64_t)plan->exit_needs_traced_entry);
	note_unused_maps(req, plan);
	return 0;
}

void plan_release(const struct tracefs *t, struct plan *plan)
{
	for (unsigned int i = 0; i < plan->nkprobes; i++)
		kprobe_remove(t, plan->kprobes[i]);
	plan->nkprobes = 0;
}
