/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sock:inet_sock_set_state, the state machine both backends share: a
 * TCP socket's state change starts or ends a connect, establishes an
 * accepted child, opens a listener (accept fallback) or may be a close.
 * The event kinds' own work lives in connect.h, accept.h and close.h.
 */
#ifndef TT_STATE_CHANGE_H
#define TT_STATE_CHANGE_H

#include "accept.h"
#include "close.h"
#include "connect.h"
#include "kconst.h"
#include "maps.h"
#include "tp_record.h"

/* What a transition means to us. */
enum transition {
	T_CONNECT_START,	/* CLOSE->SYN_SENT, in connect(2) */
	T_CONNECT_DONE,		/* SYN_SENT->ESTABLISHED or ->CLOSE */
	T_ACCEPTED,		/* a passive child SYN_RECV->ESTABLISHED */
	T_LISTEN,		/* ->LISTEN (accept fallback) */
	T_OTHER,		/* may be a close */
	T_IGNORED,
};

static __always_inline enum transition classify(__s32 oldstate, __s32 newstate)
{
	int track = KCONST(tt_k_track_sockets);

	if (newstate == TCP_SYN_SENT)
		return T_CONNECT_START;
	if (oldstate == TCP_SYN_SENT)
		return newstate == TCP_ESTABLISHED || newstate == TCP_CLOSE
			       ? T_CONNECT_DONE : T_IGNORED;
	if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		return track ? T_ACCEPTED : T_IGNORED;
	if (newstate == TCP_LISTEN)
		return track && KCONST(tt_k_accept_mode) == TT_ACCEPT_LISTENER
			       ? T_LISTEN : T_IGNORED;
	return T_OTHER;
}

static __always_inline void state_changed(void *ctx)
{
	__s32 oldstate = (__s32)TP_LOAD(u32, ctx, iss_oldstate, 0);
	__s32 newstate = (__s32)TP_LOAD(u32, ctx, iss_newstate, 0);
	enum transition what = classify(oldstate, newstate);
	struct tt_event *out = 0;
	struct tt_tuple tuple;
	__u64 sk;

	if (what == T_IGNORED || !TP_IS_TCP(ctx, iss))
		return;
	sk = TP_LOAD_PTR(ctx, iss_skaddr);
	if (what == T_CONNECT_START) {
		connect_started(sk);
		return;
	}
	if (what == T_OTHER) {
		out = closed_on_transition(sk);
	} else {
		/* The addresses, read in one place. */
		TP_READ_TUPLE(ctx, &tuple, iss);
		if (what == T_CONNECT_DONE) {
			out = newstate == TCP_ESTABLISHED
				      ? connect_established(sk, &tuple)
				      : connect_closed(sk, &tuple);
		} else if (what == T_ACCEPTED) {
			follow_socket(sk, &tuple, 0, -1, 1, sock_netns(sk));
			if (KCONST(tt_k_accept_mode) == TT_ACCEPT_LISTENER)
				out = accepted_by_listener(sk, &tuple);
		} else {
			listener_started(&tuple);
		}
	}
	/* One place emits (the handlers only make the event): less code. */
	if (!out)
		return;
	emit(ctx, out);
	if (what == T_CONNECT_DONE)	/* the event was the pending entry's */
		bpf_map_delete_elem(&pending, &sk);
}

#endif
