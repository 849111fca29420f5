// SPDX-License-Identifier: GPL-2.0-only
/* The tracing session (see session.h). */
#include "app/session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "attach/kprobe.h"
#include "attach/perf_event.h"
#include "kernel/bpf_syscall.h"
#include "kernel/cpus.h"
#include "kernel/features.h"
#include "kernel/inject.h"
#include "kernel/version.h"
#include "load/kernel_filter.h"
#include "trace_tcp.h"

extern const unsigned char tt_bpf_object[], tt_bpf_object_end[];

/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK. */
static void raise_memlock_if_needed(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	if (feature_memlock_charged())
		setrlimit(RLIMIT_MEMLOCK, &unlimited);	/* best effort */
}

/* Do two program sections of the same type hold the same code with the
 * same relocations? (sys_enter_accept and sys_enter_accept4 do.) Then one
 * load serves both. */
static int same_program(const struct elf_object *obj, const char *a,
			const char *b)
{
	int ia = elf_find_section(obj, a), ib = elf_find_section(obj, b);
	int ra, rb;

	if (ia < 0 || ib < 0 || program_type(a) != program_type(b))
		return 0;
	ra = elf_find_relocations(obj, (unsigned int)ia);
	rb = elf_find_relocations(obj, (unsigned int)ib);
	if (!elf_sections_equal(obj, (unsigned int)ia, (unsigned int)ib))
		return 0;
	if (ra < 0 || rb < 0)
		return ra == rb;
	return elf_sections_equal(obj, (unsigned int)ra, (unsigned int)rb);
}

static int load_each_program(struct session *s, int show_log,
			     struct tt_err *err)
{
	unsigned int version = kernel_version();

	for (unsigned int i = 0; i < s->plan.nprograms; i++) {
		for (unsigned int j = 0; j < i; j++) {
			if (same_program(&s->object, s->plan.programs[i],
					 s->plan.programs[j])) {
				s->prog_fds[i] = dup(s->prog_fds[j]);
				break;
			}
		}
		if (s->prog_fds[i] < 0)
			s->prog_fds[i] = program_load(&s->object,
						      s->plan.programs[i],
						      &s->maps, &s->constants,
						      version, show_log, err);
		if (s->prog_fds[i] < 0)
			return -1;
	}
	return 0;
}

static void close_programs(struct session *s)
{
	for (unsigned int i = 0; i < s->plan.nprograms; i++) {
		if (s->prog_fds[i] >= 0)
			close(s->prog_fds[i]);
		s->prog_fds[i] = -1;
	}
}

/* A BTF id no type has (fault injection: see inject.h). */
#define NO_SUCH_BTF_ID 0x7fffffff

/* A verifier that refuses the BTF-typed loads (a kernel built or patched
 * unlike its version says) gets the probe reads instead, at the cost of
 * a second load. Its log is printed only if that load fails too: a
 * refusal the fallback mends is no error (-v says it happened). */
static int load_programs(struct session *s, struct tt_err *err)
{
	int can_fall_back = s->plan.btf.btf_reads;

	if (can_fall_back && refusal_injected("btf-reads"))
		kconst_set(&s->constants, KC_tt_k_btf_task_struct,
			   NO_SUCH_BTF_ID);
	if (load_each_program(s, !can_fall_back, err) == 0)
		return 0;
	if (!can_fall_back)
		return -1;
	close_programs(s);
	s->plan.btf.btf_reads = 0;
	s->plan.btf_reads_refused = 1;
	kconst_set(&s->constants, KC_tt_k_btf_reads, 0);
	return load_each_program(s, 1, err);
}

static int attach_programs(struct session *s, struct tt_err *err)
{
	for (unsigned int i = 0; i < s->plan.nprograms; i++) {
		const char *section = s->plan.programs[i];
		struct tt_err why;
		char event[160];
		int id;

		if (!strncmp(section, "kprobe/", 7)) {
			kprobe_event_name(section + strlen("kprobe/"), event,
					  sizeof(event));
			id = tracefs_event_id(&s->tracefs, event);
		} else {
			id = tracefs_event_id(&s->tracefs,
					      section + strlen("tracepoint/"));
		}
		s->link_fds[i] = id < 0 ? -1
					: attach_perf_event(id, s->prog_fds[i],
							    &why);
		if (s->link_fds[i] < 0)
			return tt_fail(err, "cannot attach %s: %s", section,
				       id < 0 ? "no such event" : why.msg);
	}
	return 0;
}

/* Events: woken when a ring is a quarter full (or at the poll timeout):
 * a busy host pays few wake-ups. Notices (new cgroups): woken at once, so
 * a container is named while its runtime state exists. */
#define EVENTS_WAKEUP 0
#define NOTICE_PAGES 2
/* The most the ring buffer may take (a map's max_entries is 32 bits). */
#define RING_MAX_BYTES (1u << 30)

static int open_reader(struct session *s, unsigned int pages,
		       struct tt_err *err)
{
	int events_fd = maps_fd(&s->maps, "events");
	int notices_fd = maps_fd(&s->maps, "notices");

	if (events_fd < 0 || notices_fd < 0) {
		return tt_fail(err, "BPF object has no events or notices map");
	}
	if (event_reader_open(&s->reader, err))
		return -1;
	if (s->ring_bytes)	/* events and notices alike */
		return event_reader_add_ringbuf(&s->reader,
						maps_fd(&s->maps, "ring"),
						s->ring_bytes, err);
	if (event_reader_add_perf_map(&s->reader, events_fd, pages,
				      EVENTS_WAKEUP, err))
		return -1;
	if (!s->plan.has_cgroup_mkdir)
		return 0;
	return event_reader_add_perf_map(&s->reader, notices_fd, NOTICE_PAGES,
					 1, err);
}

/* The ring buffer holds pages_per_cpu pages for each online CPU, as the
 * perf rings would, rounded up to a power of two; 0 if the kernel has no
 * ring buffer. The reader is woken once a quarter of it is waiting. */
static uint32_t ring_size(unsigned int pages_per_cpu)
{
	unsigned char online[MAX_CPUS];
	int ncpus = cpus_read("online", online);
	uint64_t want, size = (uint64_t)sysconf(_SC_PAGESIZE);

	if (ncpus < 1 || !feature_ringbuf())
		return 0;
	want = size * pages_per_cpu * (uint64_t)ncpus;
	while (size < want && size < RING_MAX_BYTES)
		size *= 2;
	return (uint32_t)size;
}

/* The maps no live code uses: the plan's, and the filter map when
 * there is no filter. */
static unsigned int unused_maps(const struct session *s,
				const char **unused)
{
	unsigned int n = s->plan.nunused_maps;

	memcpy(unused, s->plan.unused_maps, n * sizeof(*unused));
	if (!s->kernel_filter_tests)
		unused[n++] = "filter";
	return n;
}

/* The in-kernel filter into its map, whose size the constant gives the
 * programs. */
static int write_kernel_filter(struct session *s,
			       const struct session_request *req,
			       struct tt_err *err)
{
	kconst_set(&s->constants, KC_tt_k_filter_tests,
		   s->kernel_filter_tests);
	if (!s->kernel_filter_tests)
		return 0;
	return kernel_filter_write(maps_fd(&s->maps, "filter"),
				   req->kernel_filter, s->kernel_filter_tests,
				   err);
}

static int create_maps(struct session *s, const struct session_request *req,
		       struct tt_err *err)
{
	unsigned char possible[MAX_CPUS];
	int ncpus = cpus_read("possible", possible);
	const char *unused[PLAN_OPTIONAL_MAPS + 1];
	struct map_policy policy = {
		.runtime_alloc = feature_map_alloc_on_use(),
		.entries_may_leak = !s->plan.has_destroy_sock,
		.unused = unused,
		.nunused = unused_maps(s, unused),
	};
	unsigned int pages_per_cpu = req->buffer_pages;

	if (ncpus < 0) {
		return tt_fail(err, "cannot read the possible CPUs");
	}
	policy.possible_cpus = (unsigned int)cpus_span(possible);
	s->tables_preallocated = !policy.runtime_alloc;
	s->ring_bytes = policy.ring_bytes = ring_size(pages_per_cpu);
	kconst_set(&s->constants, KC_tt_k_ringbuf, s->ring_bytes != 0);
	kconst_set(&s->constants, KC_tt_k_ring_wakeup, s->ring_bytes / 4);
	if (maps_create(&s->object, &policy, &s->maps, err) == 0)
		return write_kernel_filter(s, req, err);
	if (errno == ENOSYS)
		return tt_fail(err, "this kernel has no BPF (bpf(2): %s)",
			       strerror(ENOSYS));
	if (errno == EPERM)
		return tt_fail(err, "bpf(2) was denied (%s): run as root "
			       "with CAP_BPF and CAP_PERFMON or CAP_SYS_ADMIN",
			       strerror(EPERM));
	return -1;
}

static long long monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Start-up time per phase, for -v: each call closes the phase that ends
 * when `result` has been computed, i.e. the time since the last call. */
static int timed(struct session *s, enum session_phase phase, int result)
{
	long long now = monotonic_us();

	s->phase_us[phase] = now - s->last_phase_end_us;
	s->last_phase_end_us = now;
	return result;
}

int session_start(struct session *s, const struct session_request *req,
		  struct tt_err *err)
{
	memset(s, 0, sizeof(*s));
	memset(s->prog_fds, -1, sizeof(s->prog_fds));
	memset(s->link_fds, -1, sizeof(s->link_fds));
	event_reader_clear(&s->reader);
	kconst_init(&s->constants);
	s->last_phase_end_us = monotonic_us();
	if (kernel_filter_check(req->kernel_filter, req->kernel_filter_tests,
				err))
		return -1;
	s->kernel_filter_tests = req->kernel_filter_tests;
	raise_memlock_if_needed();
	if (timed(s, PHASE_TRACEFS, tracefs_open(&s->tracefs, err)))
		return -1;
	if (feature_kprobes(&s->tracefs))
		s->stale_removed = kprobe_remove_stale(&s->tracefs);
	if (elf_open(&s->object, tt_bpf_object,
		     (size_t)(tt_bpf_object_end - tt_bpf_object), err) ||
	    timed(s, PHASE_PLAN, plan_build(&req->plan, &s->tracefs,
					    &s->constants, &s->plan, err)) ||
	    timed(s, PHASE_MAPS, create_maps(s, req, err)) ||
	    timed(s, PHASE_PROGRAMS, load_programs(s, err)) ||
	    timed(s, PHASE_ATTACH, attach_programs(s, err)) ||
	    timed(s, PHASE_READER, open_reader(s, req->buffer_pages, err))) {
		session_stop(s);
		return -1;
	}
	return 0;
}

/* One counter summed over the CPUs; -1 if it cannot be read. */
static long long counter_total(const struct session *s, uint32_t which)
{
	unsigned char possible[MAX_CPUS];
	int fd = maps_fd(&s->maps, "counters"), ncpus;
	unsigned long long total = 0;
	static uint64_t per_cpu[MAX_CPUS];

	ncpus = cpus_read("possible", possible);
	if (fd < 0 || ncpus < 0 || bpf_map_lookup(fd, &which, per_cpu))
		return -1;
	for (int cpu = 0; cpu < ncpus; cpu++)	/* one slot per possible CPU */
		total += per_cpu[cpu];
	return (long long)total;
}

unsigned long long session_dropped(const struct session *s)
{
	long long total = counter_total(s, TT_COUNT_DROPPED);

	/* Unreadable: the kernel's own count, then. */
	return total < 0 ? event_reader_lost(&s->reader)
			 : (unsigned long long)total;
}

/* A counter's total, 0 if it cannot be read. */
static unsigned long long counter_or_zero(const struct session *s,
					  uint32_t which)
{
	long long total = counter_total(s, which);

	return total < 0 ? 0 : (unsigned long long)total;
}

unsigned long long session_filtered_in_kernel(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_FILTERED);
}

unsigned long long session_hidden_in_kernel(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_HIDDEN);
}

unsigned long long session_untracked(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_UNTRACKED);
}

unsigned long long session_accepts_unseen(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_ACCEPT_UNSEEN);
}

unsigned long long session_no_entry(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_NO_ENTRY);
}

unsigned long long session_outcomes_unseen(const struct session *s)
{
	return counter_or_zero(s, TT_COUNT_OUTCOME_UNSEEN);
}

/* Entries left in the sockets table: connections still open. */
static unsigned long long sockets_open(const struct session *s)
{
	int fd = session_map_fd(s, "sockets");
	unsigned long long n = 0;
	uint64_t key;

	/* The kernel reads the key before it writes the next one: one
	 * buffer. */
	while (fd >= 0 && bpf_map_next_key(fd, n ? &key : NULL, &key) == 0)
		n++;
	return n;
}

/* Read once the programs are detached: the books then balance, entries
 * in = entries out + entries left, unless some left unseen. */
void session_socket_books(const struct session *s, struct socket_books *b)
{
	b->in = counter_or_zero(s, TT_COUNT_SOCK_IN);
	b->out = counter_or_zero(s, TT_COUNT_SOCK_OUT);
	b->open = sockets_open(s);
	b->unseen = counter_or_zero(s, TT_COUNT_CLOSE_UNSEEN);
	b->vanished = b->in > b->out + b->open ? b->in - b->out - b->open : 0;
}

int session_map_fd(const struct session *s, const char *name)
{
	return plan_uses_map(&s->plan, name) ? maps_fd(&s->maps, name) : -1;
}

unsigned long long session_skipped_runs(const struct session *s)
{
	unsigned long long total = 0;
	uint32_t seen[MAX_PROGRAMS];
	unsigned int nseen = 0;

	for (unsigned int i = 0; i < s->plan.nprograms; i++) {
		struct bpf_prog_info info;
		unsigned int j;

		if (s->prog_fds[i] < 0 || bpf_prog_info(s->prog_fds[i], &info))
			continue;
		for (j = 0; j < nseen && seen[j] != info.id; j++)
			;
		/* one program loaded for two sections */
		if (j < nseen)
			continue;
		seen[nseen++] = info.id;
		total += info.recursion_misses;
	}
	return total;
}

void session_print_program_stats(const struct session *s, FILE *out)
{
	for (unsigned int i = 0; i < s->plan.nprograms; i++) {
		struct bpf_prog_info info;

		if (s->prog_fds[i] < 0 || bpf_prog_info(s->prog_fds[i], &info))
			continue;
		if (info.recursion_misses)
			fprintf(out, "trace_tcp: program %s: %llu runs skipped "
				"by the kernel (another BPF program was "
				"running on that CPU)\n", s->plan.programs[i],
				(unsigned long long)info.recursion_misses);
		if (!info.run_cnt)
			continue;
		fprintf(out, "trace_tcp: program %s: %llu runs, %llu ns each\n",
			s->plan.programs[i], (unsigned long long)info.run_cnt,
			(unsigned long long)(info.run_time_ns / info.run_cnt));
	}
}

void session_detach(struct session *s)
{
	for (unsigned int i = 0; i < MAX_PROGRAMS; i++) {
		if (s->link_fds[i] >= 0)
			close(s->link_fds[i]);
		s->link_fds[i] = -1;
	}
}

void session_stop(struct session *s)
{
	event_reader_close(&s->reader);
	session_detach(s);
	for (unsigned int i = 0; i < MAX_PROGRAMS; i++) {
		if (s->prog_fds[i] >= 0)
			close(s->prog_fds[i]);
		s->prog_fds[i] = -1;
	}
	maps_close(&s->maps);
	/* The kprobe events can go only once no perf event uses them. */
	plan_release(&s->tracefs, &s->plan);
	elf_close(&s->object);
	tracefs_close(&s->tracefs);
}
