// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/plan/kernel_layout.c and the hook names of
 * loader/kernel/tracefs.c as a 32-bit MIPS build compiles them
 * (TT_KERNEL_WORD_VARIES, TT_RAW_SYSCALL_EXITS: include/cpu_regs.h): the
 * sys_enter programs on syscalls:*, the sys_exit ones on
 * raw_syscalls:sys_exit, whose `long id` and `ret` are 4 bytes on
 * Debian's mipsel 6.1 kernel (its real format file). That kernel's other
 * records are those of armhf's, byte for byte but the event ids: the
 * armhf fixtures stand for them. The code under test is compiled into
 * this binary with that setting.
 */
#define TT_KERNEL_WORD_VARIES 1
#define TT_RAW_SYSCALL_EXITS 1

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* tracefs.c's <sys/mount.h> declares an open_tree() of its own; the
 * tree helper's is layout_tree.h's. */
#define open_tree mount_open_tree
#include "kernel/tracefs.c"
#undef open_tree
#include "load/kconst.c"
#include "plan/kernel_layout.c"
#include "layout_tree.h"
#include "unit.h"

static const char *const connect_events[] = {
	"syscalls/sys_enter_connect", "syscalls/sys_exit_connect",
};

/* Only the exits are taken from raw_syscalls. */
static void test_hook_events(void)
{
	CHECK(!strcmp(tracefs_hook_event("syscalls/sys_enter_connect"),
		      "syscalls/sys_enter_connect"));
	CHECK(!strcmp(tracefs_hook_event("syscalls/sys_exit_accept4"),
		      "raw_syscalls/sys_exit"));
	CHECK(!strcmp(tracefs_hook_event("sock/inet_sock_set_state"),
		      "sock/inet_sock_set_state"));
}

/* The syscall layout from sys_enter_connect's format ENTER and, for the
 * exits, EXIT_EVENT's format EXIT: layout_syscalls's result. */
static int layout_from(struct kconst_table *kt, const char *enter,
		       const char *exit_event, const char *exit,
		       struct tt_err *err)
{
	struct tracefs t;
	int ret;

	if (open_tree(&t, kt))
		return -2;
	CHECK(place_format(connect_events[0], enter) == 0);
	CHECK(place_format(exit_event, exit) == 0);
	ret = layout_syscalls(kt, &t, connect_events, 2, err);
	remove_tree();
	return ret;
}

/* mipsel 6.1: the arguments from sys_enter_connect (4-byte longs at 12
 * and 16), the return value from raw_syscalls:sys_exit's ret at 12, its
 * id a 4-byte long at 8 where bpf/task.h reads it. */
static void test_mipsel_syscalls(void)
{
	struct kconst_table kt;
	struct tt_err err = { "" };

	CHECK(layout_from(&kt, "sys_enter_connect-6.1-armhf.format",
			  "raw_syscalls/sys_exit",
			  "raw_sys_exit-6.1-mipsel.format", &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);
	CHECK(kconst_get(&kt, KC_tt_k_long_size) == 4);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg0) == 12);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg1) == 16);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret) == 12);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret_wide) == TT_ABSENT);
}

/* A 64-bit kernel's 8-byte arguments with the mipsel record's 4-byte id
 * and ret: sizes that disagree are refused. */
static void test_mixed_sizes(void)
{
	struct kconst_table kt;
	struct tt_err err = { "" };

	CHECK(layout_from(&kt, "sys_enter_connect-5.10.format",
			  "raw_syscalls/sys_exit",
			  "raw_sys_exit-6.1-mipsel.format", &err) == -1);
}

/* Without raw_syscalls:sys_exit the exits cannot be hooked. */
static void test_no_raw_exit(void)
{
	struct kconst_table kt;
	struct tt_err err = { "" };

	CHECK(layout_from(&kt, "sys_enter_connect-6.1-armhf.format",
			  connect_events[1],
			  "sys_exit_connect-6.1-armhf.format", &err) == -1);
	CHECK(strstr(err.msg, "sys_exit_connect") != NULL);
}

int main(void)
{
	RUN(test_hook_events);
	RUN(test_mipsel_syscalls);
	RUN(test_mixed_sizes);
	RUN(test_no_raw_exit);
	UNIT_EXIT();
}
