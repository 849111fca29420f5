// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/plan/kernel_layout.c: the constants a sock
 * tracepoint's real `format` file (tests/fixtures/formats) gives the
 * programs, through a tracefs tree made in a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/tracefs.h"
#include "load/kconst.h"
#include "plan/kernel_layout.h"
#include "layout_tree.h"
#include "unit.h"

/* The address arrays' 4-aligned aliases: the offset, or TT_ABSENT where
 * a load of 4 bytes could not take it (4.16: saddr_v6 at 39); and the
 * protocol's 2-byte alias, TT_ABSENT where it is a __u8 (4.16). */
static void check_set_state(const char *fixture, uint64_t saddr_w,
			    uint64_t daddr_w, uint64_t protocol_wide)
{
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format("sock/inet_sock_set_state", fixture) == 0);
	CHECK(layout_inet_sock_set_state(&kt, &t, &err) == 0);
	if (err.msg[0])
		fprintf(stderr, "  %s: %s\n", fixture, err.msg);
	CHECK(kconst_get(&kt, KC_tt_k_iss_saddr_w) == saddr_w);
	CHECK(kconst_get(&kt, KC_tt_k_iss_daddr_w) == daddr_w);
	CHECK(kconst_get(&kt, KC_tt_k_iss_protocol) == 30);
	CHECK(kconst_get(&kt, KC_tt_k_iss_protocol_wide) == protocol_wide);
	remove_tree();
}

static void test_aligned_addresses(void)
{
	check_set_state("inet_sock_set_state-6.18.format", 40, 56, 30);
	check_set_state("inet_sock_set_state-6.1.format", 40, 56, 30);
	check_set_state("inet_sock_set_state-5.10.format", 40, 56, 30);
}

static void test_misaligned_addresses(void)
{
	check_set_state("inet_sock_set_state-4.16.format", TT_ABSENT,
			TT_ABSENT, TT_ABSENT);
}

static void test_error_report_addresses(void)
{
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err;

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format("sock/inet_sk_error_report",
			   "inet_sk_error_report-6.18.format") == 0);
	CHECK(layout_inet_sk_error_report(&kt, &t, &err) == 1);	/* described */
	CHECK(kconst_get(&kt, KC_tt_k_ser_saddr_w) == 28);
	CHECK(kconst_get(&kt, KC_tt_k_ser_daddr_w) == 44);
	CHECK(kconst_get(&kt, KC_tt_k_ser_protocol_wide) == 18);
	remove_tree();
}

/* Before 5.14: no error report; an RST's skaddr from tcp_receive_reset. */
static void test_5_10_connect_failures(void)
{
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(layout_inet_sk_error_report(&kt, &t, &err) == 0);	/* absent */
	CHECK(err.msg[0] == '\0');
	CHECK(place_format("tcp/tcp_receive_reset",
			   "tcp_receive_reset-5.10.format") == 0);
	CHECK(layout_tcp_receive_reset(&kt, &t, &err) == 1);
	CHECK(kconst_get(&kt, KC_tt_k_trr_skaddr) == 8);
	CHECK(place_format("tcp/tcp_destroy_sock",
			   "tcp_destroy_sock-5.10.format") == 0);
	CHECK(layout_tcp_destroy_sock(&kt, &t, &err) == 1);
	CHECK(kconst_get(&kt, KC_tt_k_tds_skaddr) == 8);
	remove_tree();
}

/* The syscall tracepoints of 5.10 agree on where the arguments are. */
static void test_5_10_syscalls(void)
{
	static const char *const events[] = {
		"syscalls/sys_enter_connect", "syscalls/sys_exit_connect",
	};
	struct tracefs t;
	struct kconst_table kt;
	struct tt_err err = { "" };

	if (open_tree(&t, &kt))
		return;
	CHECK(place_format(events[0], "sys_enter_connect-5.10.format") == 0);
	CHECK(place_format(events[1], "sys_exit_connect-5.10.format") == 0);
	CHECK(layout_syscalls(&kt, &t, events, 2, &err) == 0);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg0) == 16);
	CHECK(kconst_get(&kt, KC_tt_k_sys_arg1) == 24);
	CHECK(kconst_get(&kt, KC_tt_k_sys_ret) == 16);
	remove_tree();
}

int main(void)
{
	RUN(test_aligned_addresses);
	RUN(test_misaligned_addresses);
	RUN(test_error_report_addresses);
	RUN(test_5_10_connect_failures);
	RUN(test_5_10_syscalls);
	UNIT_EXIT();
}
