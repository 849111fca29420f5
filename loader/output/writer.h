/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event writer: formatted events into one buffer, written out after
 * each drained batch (so output stays live at any rate without a write(2)
 * per event under load), with exact accounting: an event is "printed"
 * only once all its bytes reached the fd; one that could not be written
 * (closed pipe, or a stop while blocked on a full one) is "unwritten".
 */
#ifndef TT_OUTPUT_WRITER_H
#define TT_OUTPUT_WRITER_H

#include <stddef.h>

#include "output/output.h"
#include "output/select.h"

#define EVENT_WRITER_BUFFER (64 * 1024)

struct event_writer {
	int fd;
	enum output_mode mode;
	const struct field_selection *fields;
	struct document_form form;	/* json, jsonpretty, yaml */
	long long realtime_offset_ns;
	const char *node;	/* every event's k8s.node; NULL: none */
	/* A write failed: nothing more is written. */
	int failed;
	unsigned long long printed;
	unsigned long long unwritten;
	size_t used;
	unsigned int buffered_events;	/* events in buf[0..used) */
	char buf[EVENT_WRITER_BUFFER];
};

/* node: every event's k8s.node (--node), or NULL. */
void event_writer_init(struct event_writer *w, int fd, enum output_mode mode,
		       const struct field_selection *fields,
		       long long realtime_offset_ns, const char *node);
/* Every page of the buffer touched, like the event batch's
 * (event_batch_touch): a run's peak RSS is then reached at start, not
 * with the first large burst. */
void event_writer_touch(struct event_writer *w);
/* Queue one event of container (NULL: the host); writes out first if
 * the buffer is full. */
void event_writer_add(struct event_writer *w, const struct tt_event *e,
		      const struct container_info *container);
/* Write out everything queued. 0, or -1 once writing has failed. */
int event_writer_flush(struct event_writer *w);
/* Write text (the column header) right away. */
int event_writer_text(struct event_writer *w, const char *text);

#endif
