// SPDX-License-Identifier: GPL-2.0-only
/*
 * dispatch: what the kernel's dispatch to BPF costs by itself on the
 * tracepoints trace_tcp uses, for scripts/bench-floor.sh. A benchmark
 * helper, not part of trace_tcp; it attaches with the loader's own
 * tracefs and perf-event code.
 *
 *   dispatch perf    a program that returns at once, attached as trace_tcp
 *                    attaches: perf events on sock:inet_sock_set_state,
 *                    sock:inet_sk_error_report, tcp:tcp_destroy_sock and
 *                    syscalls:sys_exit_{connect,accept,accept4};
 *   dispatch raw     the same program as raw tracepoints
 *                    (BPF_RAW_TRACEPOINT_OPEN, which trace_tcp does not
 *                    use) on inet_sock_set_state, inet_sk_error_report,
 *                    tcp_destroy_sock and sys_exit (raw tracepoints have
 *                    no per-syscall ones: every syscall runs it, and a
 *                    real program would filter).
 *
 * Prints "dispatch: ready" on stderr once attached, then runs until
 * SIGINT or SIGTERM; the programs go with the process, and tracefs is
 * unmounted if it was mounted here.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attach/perf_event.h"
#include "kernel/bpf_syscall.h"
#include "kernel/tracefs.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int load_noop(uint32_t type)
{
	/* r0 = 0; exit */
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(type, "tt_dispatch", insns, 2, "GPL", 0, NULL, 0);
}

/* The loader has no raw tracepoints: the one bpf(2) call here. */
static int attach_raw(const char *name, int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (unsigned long)name;
	attr.raw_tracepoint.prog_fd = (unsigned int)prog_fd;
	return (int)syscall(__NR_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr,
			    sizeof(attr));
}

static int attach_all(int raw, const struct tracefs *t, int prog_fd)
{
	static const char *const perf_events[] = {
		"sock/inet_sock_set_state", "sock/inet_sk_error_report",
		"tcp/tcp_destroy_sock", "syscalls/sys_exit_connect",
		"syscalls/sys_exit_accept", "syscalls/sys_exit_accept4",
	};
	static const char *const raw_events[] = {
		"inet_sock_set_state", "inet_sk_error_report",
		"tcp_destroy_sock", "sys_exit",
	};
	struct tt_err err;

	if (raw) {
		for (size_t i = 0; i < sizeof(raw_events) / sizeof(raw_events[0]); i++) {
			if (attach_raw(raw_events[i], prog_fd) < 0) {
				fprintf(stderr, "dispatch: raw tracepoint %s: %s\n",
					raw_events[i], strerror(errno));
				return -1;
			}
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof(perf_events) / sizeof(perf_events[0]); i++) {
		if (attach_tracepoint(t, perf_events[i], prog_fd, &err) < 0) {
			fprintf(stderr, "dispatch: %s: %s\n", perf_events[i], err.msg);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tracefs t;
	struct tt_err err;
	int raw, prog_fd, status = 1;

	if (argc != 2 || (strcmp(argv[1], "perf") && strcmp(argv[1], "raw"))) {
		fprintf(stderr, "usage: dispatch perf|raw\n");
		return 2;
	}
	raw = !strcmp(argv[1], "raw");
	/* Installed whatever the disposition: a background job of a shell
	 * starts with SIGINT ignored. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (tracefs_open(&t, &err)) {
		fprintf(stderr, "dispatch: %s\n", err.msg);
		return 1;
	}
	prog_fd = load_noop(raw ? BPF_PROG_TYPE_RAW_TRACEPOINT
				: BPF_PROG_TYPE_TRACEPOINT);
	if (prog_fd < 0)
		fprintf(stderr, "dispatch: BPF_PROG_LOAD: %s\n", strerror(errno));
	else if (attach_all(raw, &t, prog_fd) == 0) {
		fprintf(stderr, "dispatch: ready\n");
		while (!stop)
			pause();
		status = 0;
	}
	tracefs_close(&t);
	return status;
}
