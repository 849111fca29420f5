// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/plan/kernel_layout.c as a 32-bit CPU's build
 * compiles it (TT_KERNEL_WORD_VARIES, include/kconst_names.h): pointer
 * and long sizes from the real format files of Debian's armhf 6.1 kernel
 * (4 bytes: skaddr at 8, every later field 4 bytes earlier than on a
 * 64-bit kernel), and from a 64-bit kernel's, which such a build may
 * also run on. The layout code and its constant table are compiled into
 * this test with that setting.
 */
#define TT_KERNEL_WORD_VARIES 1

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/kconst.c"
#include "plan/kernel_layout.c"
#include "layout_tree.h"
#include "unit.h"

/* armhf 6.1: skaddr 4 bytes at 8, family at 24, addresses 4-aligned;
 * the 8-byte loads of skaddr left as they are (TT_ABSENT). */
static void test_armhf_sock(void)
{
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format("sock/inet_sock_set_state",
			   "inet_sock_set_state-6.1-armhf.format") == 0);
	CHECK(layout_inet_sock_set_state(&kt, &t, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);
	CHECK(kconst_get(&kt, KC_tt_k_ptr_size) == 4);
	CHECK(kconst_get(&kt, KC_tt_k_iss_skaddr) == 8);
	CHECK(kconst_get(&kt, KC_tt_k_iss_skaddr_wide) == TT_ABSENT);
	CHECK(kconst_get(&kt, KC_tt_k_iss_oldstate) == 12);
	CHECK(kconst_get(&kt, KC_tt_k_iss_newstate) == 16);
	CHECK(kconst_get(&kt, KC_tt_k_iss_sport) == 20);
	CHECK(kconst_get(&kt, KC_tt_k_iss_family) == 24);
	CHECK(kconst_get(&kt, KC_tt_k_iss_saddr_w) == 36);
	CHECK(kconst_get(&kt, KC_tt_k_iss_daddr_w) == 52);
	CHECK(place_format("tcp/tcp_destroy_sock",
			   "tcp_destroy_sock-6.1-armhf.format") == 0);
	CHECK(layout_tcp_destroy_sock(&kt, &t, &err) == 1);
	CHECK(kconst_get(&kt, KC_tt_k_tds_skaddr) == 8);
	CHECK(kconst_get(&kt, KC_tt_k_tds_skaddr_wide) == TT_ABSENT);
	remove_tree();
}

/* armhf 6.1: the syscall records' longs are 4 bytes too. */
static void test_armhf_syscalls(void)
{
	static const char *const events[] = {
		"syscalls/sys_enter_connect", "syscalls/sys_exit_connect",
	};
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format(events[0],
			   "sys_enter_connect-6.1-armhf.format") == 0);
	CHECK(place_format(events[1],
			   "sys_exit_connect-6.1-armhf.format") == 0);
	CHECK(layout_syscalls(&kt, &t, events, 2, &err) == 0);
	CHECK(kconst_get(&kt, KC_tt_k_long_size) == 4);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg0) == 12);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg1) == 16);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret) == 12);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg0_wide) == TT_ABSENT);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret_wide) == TT_ABSENT);
	remove_tree();
}

/* A 64-bit kernel under the same build: 8 bytes, and the 8-byte loads
 * at the fields' offsets. */
static void test_64bit_kernel(void)
{
	static const char *const events[] = {
		"syscalls/sys_enter_connect", "syscalls/sys_exit_connect",
	};
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format("sock/inet_sock_set_state",
			   "inet_sock_set_state-6.1.format") == 0);
	CHECK(layout_inet_sock_set_state(&kt, &t, &err) == 0);
	CHECK(kconst_get(&kt, KC_tt_k_ptr_size) == 8);
	CHECK(kconst_get(&kt, KC_tt_k_iss_skaddr_wide) == 8);
	CHECK(kconst_get(&kt, KC_tt_k_iss_family) == 28);
	CHECK(place_format(events[0], "sys_enter_connect-5.10.format") == 0);
	CHECK(place_format(events[1], "sys_exit_connect-5.10.format") == 0);
	CHECK(layout_syscalls(&kt, &t, events, 2, &err) == 0);
	CHECK(kconst_get(&kt, KC_tt_k_long_size) == 8);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg1_wide) == 24);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret_wide) == 16);
	remove_tree();
}

/* A record whose syscall fields disagree on their size is refused. */
static void test_mixed_sizes(void)
{
	static const char *const events[] = {
		"syscalls/sys_enter_connect", "syscalls/sys_exit_connect",
	};
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format(events[0],
			   "sys_enter_connect-6.1-armhf.format") == 0);
	CHECK(place_format(events[1], "sys_exit_connect-5.10.format") == 0);
	CHECK(layout_syscalls(&kt, &t, events, 2, &err) == -1);
	remove_tree();
}

int main(void)
{
	RUN(test_armhf_sock);
	RUN(test_armhf_syscalls);
	RUN(test_64bit_kernel);
	RUN(test_mixed_sizes);
	UNIT_EXIT();
}
