/* SPDX-License-Identifier: GPL-2.0-only */
/* tracefs: finding (or mounting) it and reading its files. */
#ifndef TRACEFS_H
#define TRACEFS_H

#include <stddef.h>

#include "common/err.h"
#include "cpu_regs.h"	/* TT_RAW_SYSCALLS, TT_RAW_SYSCALL_EXITS */

/* The file that creates and removes kprobe events (CONFIG_KPROBES). */
#define TRACEFS_KPROBE_EVENTS "kprobe_events"

struct tracefs {
	char root[64];		/* e.g. /sys/kernel/tracing */
	int mounted_by_us;
};

/* Find tracefs, mounting it when it is not mounted. 0 ok, -1 with err. */
int tracefs_open(struct tracefs *t, struct tt_err *err);
/* Unmount it if we mounted it. */
void tracefs_close(struct tracefs *t);

/* Read root/rel into buf (NUL-terminated). Length, or -1 and errno. */
long tracefs_read(const struct tracefs *t, const char *rel, char *buf,
		  size_t size);
/* Append text to root/rel in one write. 0, or -1 and errno. */
int tracefs_write(const struct tracefs *t, const char *rel, const char *text);
/* Does root/rel exist? */
int tracefs_exists(const struct tracefs *t, const char *rel);
/* The numeric id of events/<event> ("sock/inet_sock_set_state"), or -1. */
int tracefs_event_id(const struct tracefs *t, const char *event);

/* The event a program of that event's name hooks: itself, or, where the
 * syscalls:* events are silent (include/cpu_regs.h), "syscalls/sys_enter_X"
 * is raw_syscalls/sys_enter and "syscalls/sys_exit_X" raw_syscalls/sys_exit;
 * where only their exits are of no use, only the latter. */
#if defined(TT_RAW_SYSCALLS) || defined(TT_RAW_SYSCALL_EXITS)
const char *tracefs_hook_event(const char *event);
#else
#define tracefs_hook_event(event) (event)
#endif

#endif
