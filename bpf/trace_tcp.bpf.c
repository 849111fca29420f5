// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tcp's kernel side: every program of both backends. The loader
 * loads and attaches the subset the running kernel supports (see
 * loader/backend.c). sock:inet_sock_set_state drives the state machine
 * shared by both backends; the event kinds live in connect.h, accept.h
 * and close.h.
 */
#include "bpf_api.h"
#include "kconst.h"
#include "maps.h"
#include "tp_record.h"
#include "connect.h"
#include "accept.h"
#include "close.h"
#include "cgroup.h"

SEC("tracepoint/sock/inet_sock_set_state")
int tt_inet_sock_set_state(void *ctx)
{
	__u8 rec[TP_BUF_SIZE];
	struct tt_tuple tuple;
	__s32 oldstate, newstate;
	__u64 sk;

	if (bpf_probe_read(rec, KCONST(tt_k_iss_size), ctx))
		return 0;
	if (!REC_IS_TCP(rec, tt_k_iss))
		return 0;
	sk = rec_u64(rec, KCONST(tt_k_iss_skaddr));
	oldstate = rec_s32(rec, KCONST(tt_k_iss_oldstate));
	newstate = rec_s32(rec, KCONST(tt_k_iss_newstate));

	if (newstate == TCP_SYN_SENT) {
		connect_started(sk);
		return 0;
	}
	/* Most transitions only matter to close: no tuple needed there. */
	if (oldstate == TCP_SYN_SENT) {
		REC_READ_TUPLE(rec, &tuple, tt_k_iss);
		if (newstate == TCP_ESTABLISHED)
			connect_established(ctx, sk, &tuple);
		else if (newstate == TCP_CLOSE)
			connect_closed(ctx, sk, &tuple);
		return 0;
	}
	if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED) {
		if (!KCONST(tt_k_track_sockets))
			return 0;
		REC_READ_TUPLE(rec, &tuple, tt_k_iss);
		track_socket(sk, &tuple, 0, -1, 1);
		if (KCONST(tt_k_accept_mode) == TT_ACCEPT_LISTENER)
			accept_by_listener(ctx, sk, &tuple);
		return 0;
	}
	if (newstate == TCP_LISTEN) {
		if (KCONST(tt_k_accept_mode) == TT_ACCEPT_LISTENER &&
		    KCONST(tt_k_track_sockets)) {
			REC_READ_TUPLE(rec, &tuple, tt_k_iss);
			listener_started(&tuple);
		}
		return 0;
	}
	close_on_transition(ctx, sk);
	return 0;
}

char _license[] SEC("license") = "GPL";
