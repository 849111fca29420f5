// SPDX-License-Identifier: GPL-2.0-only
/* The event writer (see writer.h). */
#include "output/writer.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* Room for the longest event the formatters make, with its newline: a
 * container's strings (up to ~1.8 KB) escaped at worst 6 bytes each,
 * indented. */
#define LINE_MAX_BYTES 16384

void event_writer_init(struct event_writer *w, int fd, enum output_mode mode,
		       const struct field_selection *fields,
		       long long realtime_offset_ns, const char *node)
{
	uint64_t keys = fields->keys;

	if (!node)	/* no event has it: not looked at per event */
		keys &= ~((uint64_t)1 << FIELD_K8S_NODE);
	w->fd = fd;
	w->mode = mode;
	w->fields = fields;
	if (mode != OUTPUT_COLUMNS)
		document_form_init(&w->form, mode, keys);
	w->realtime_offset_ns = realtime_offset_ns;
	w->node = node;
	w->failed = 0;
	w->printed = w->unwritten = 0;
	w->used = 0;
	w->buffered_events = 0;
}

void event_writer_touch(struct event_writer *w)
{
	memset(w->buf, 0, sizeof(w->buf));
}

/* All of buf[0..len) to the fd; -1 on any failure (EINTR included: a
 * signal here means we were told to stop while the reader is stuck). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int event_writer_flush(struct event_writer *w)
{
	if (!w->failed && w->used && write_all(w->fd, w->buf, w->used))
		w->failed = 1;
	if (w->failed)
		w->unwritten += w->buffered_events;
	else
		w->printed += w->buffered_events;
	w->used = 0;
	w->buffered_events = 0;
	return w->failed ? -1 : 0;
}

void event_writer_add(struct event_writer *w, const struct tt_event *e,
		      const struct container_info *container)
{
	struct field_event fe = {
		e, container, w->realtime_offset_ns, w->node,
	};
	int len;

	if (w->failed) {
		w->unwritten++;
		return;
	}
	if (sizeof(w->buf) - w->used < LINE_MAX_BYTES)
		event_writer_flush(w);
	if (w->mode == OUTPUT_COLUMNS)
		len = output_format_columns(&fe, w->fields, w->buf + w->used,
					    LINE_MAX_BYTES - 1);
	else
		len = output_format_document(&w->form, &fe, w->buf + w->used,
					     LINE_MAX_BYTES - 1);
	if (len < 0) {
		w->unwritten++;	/* cannot happen: lines are bounded */
		return;
	}
	w->used += (size_t)len;
	w->buf[w->used++] = '\n';
	w->buffered_events++;
}

int event_writer_text(struct event_writer *w, const char *text)
{
	if (!w->failed && write_all(w->fd, text, strlen(text)))
		w->failed = 1;
	return w->failed ? -1 : 0;
}
