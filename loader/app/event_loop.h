/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event loop: records from the reader are batched, put in time
 * order, given their container and written out, one batch per drain, so
 * that output is live without a write(2) per event.
 */
#ifndef TT_APP_EVENT_LOOP_H
#define TT_APP_EVENT_LOOP_H

#include <signal.h>

#include "app/session.h"
#include "containers/containers.h"
#include "filter/rules.h"
#include "output/writer.h"
#include "read/event_batch.h"

/* Where records from the rings go: a batch, then, in time order, the
 * container stage, the filter's user-space share and the writer. */
struct record_sink {
	struct event_batch *batch;
	struct containers *containers;
	const struct filter *filter;
	struct event_writer *writer;
	unsigned long long filtered;	/* events the filter left out */
};

/* Read events until *stop is set, timeout_seconds pass (0: no limit) or
 * a write fails; then detach the programs and drain what they made. 0,
 * or -1 with err if the loop could not start (the programs detached). */
int event_loop_run(struct session *s, struct record_sink *sink,
		   double timeout_seconds, volatile sig_atomic_t *stop,
		   struct tt_err *err);

#endif
