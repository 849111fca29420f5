// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event as a line of aligned columns. The table below is the whole
 * layout: it makes the header line from the titles and every event's
 * line from the cells.
 */
#include "output/output.h"

#include <string.h>

#include "output/address.h"
#include "output/fields.h"
#include "output/text.h"

enum align { ALIGN_LEFT, ALIGN_RIGHT };

struct column {
	const char *title;
	unsigned char width;	/* at least; a longer cell is shown whole */
	unsigned char align;	/* enum align */
	/* Write the cell's text for event e of container c (NULL: host). */
	void (*fill)(struct text *t, const struct tt_event *e,
		     const struct container_info *c);
};

/* The name; a container whose runtime state was not found shows its
 * short id; the host shows nothing. */
static void cell_container(struct text *t, const struct tt_event *e,
			   const struct container_info *c)
{
	if (c && c->name[0])
		put_printable(t, c->name, strlen(c->name));
	else if (c)
		put_printable(t, c->id, strnlen(c->id, CONTAINER_SHORT_ID_LEN));
}

static void cell_src(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_endpoint(t, e->family, e->saddr, e->sport);
}

static void cell_dst(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_endpoint(t, e->family, e->daddr, e->dport);
}

static void cell_comm(struct text *t, const struct tt_event *e,
		      const struct container_info *c)
{
	put_printable(t, e->comm, comm_length(e->comm));
}

static void cell_pid(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_uint(t, e->pid);
}

static void cell_tid(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_uint(t, e->tid);
}

static void cell_uid(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_uint(t, e->uid);
}

static void cell_gid(struct text *t, const struct tt_event *e,
		     const struct container_info *c)
{
	put_uint(t, e->gid);
}

static void cell_type(struct text *t, const struct tt_event *e,
		      const struct container_info *c)
{
	put_type(t, e->type);
}

/* Empty on success. */
static void cell_error(struct text *t, const struct tt_event *e,
		       const struct container_info *c)
{
	put_error(t, e->error);
}

static const struct column columns[] = {
	{ "RUNTIME.CONTAINERNAME", 21, ALIGN_LEFT, cell_container },
	{ "SRC", 25, ALIGN_LEFT, cell_src },
	{ "DST", 25, ALIGN_LEFT, cell_dst },
	{ "COMM", TT_COMM_LEN, ALIGN_LEFT, cell_comm },
	{ "PID", 7, ALIGN_RIGHT, cell_pid },
	{ "TID", 7, ALIGN_RIGHT, cell_tid },
	{ "UID", 6, ALIGN_RIGHT, cell_uid },
	{ "GID", 6, ALIGN_RIGHT, cell_gid },
	{ "TYPE", 8, ALIGN_LEFT, cell_type },
	{ "ERROR", 0, ALIGN_LEFT, cell_error },
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/*
 * A line is laid over spaces: spaces go down ahead of the text, a chunk at
 * a time (one memset per line, not one per cell), and the cells are then
 * written over them. A cell's padding and the separator after it are
 * owed, not written, until more text follows, so a line never ends in
 * spaces (an empty last column adds nothing).
 */
#define SPACES_AHEAD 128

/* Where a line of text stands (kept apart from the text, which the cells
 * write to, so that it can live in registers). */
struct line {
	size_t owed;		/* spaces due before the next text */
	size_t spaced;		/* buf[len, spaced) of the text are spaces */
	size_t before_cell;	/* the text's length before this cell */
	size_t cell_start;	/* where this cell's own text starts */
};

/* Spaces from the end of the text to upto, as far as the buffer goes. */
static void lay_more_spaces(struct line *l, struct text *t, size_t upto)
{
	size_t from = l->spaced > t->len ? l->spaced : t->len;

	upto = upto < t->cap && t->cap - upto > SPACES_AHEAD ?
	       upto + SPACES_AHEAD : t->cap;
	if (from < upto)
		memset(t->buf + from, ' ', upto - from);
	l->spaced = upto;
}

TEXT_INLINE void lay_spaces(struct line *l, struct text *t, size_t upto)
{
	if (upto > l->spaced)
		lay_more_spaces(l, t, upto);
}

/* Make way for a cell: its text goes after the spaces owed. If they do
 * not fit, only an empty cell can follow: the text is marked full, so that
 * any byte written overflows. */
TEXT_INLINE void cell_begin(struct line *l, struct text *t,
			    const struct column *col)
{
	l->before_cell = t->len;
	if (l->owed <= t->cap - t->len) {
		lay_spaces(l, t, t->len + l->owed + col->width);
		t->len += l->owed;
	} else {
		t->len = t->cap;
	}
	l->cell_start = t->len;
}

/* A cell's n bytes at p moved right by pad, with spaces left behind (the
 * bytes past the cell are laid spaces already). A byte loop: right-aligned
 * cells are a few digits. */
static void shift_right(char *p, size_t n, size_t pad)
{
	for (size_t i = n; i-- > 0;) {
		p[i + pad] = p[i];
		p[i] = ' ';
	}
}

/* Align the cell's text; an empty cell is taken back out, its room owed. */
TEXT_INLINE void cell_end(struct line *l, struct text *t,
			  const struct column *col)
{
	size_t n = t->len - l->cell_start;
	size_t pad = n < col->width ? col->width - n : 0;

	if (n == 0) {
		t->len = l->before_cell;
		l->owed += pad + 1;
		return;
	}
	if (col->align == ALIGN_RIGHT && pad) {
		if (!text_room(t, pad))
			return;
		shift_right(t->buf + l->cell_start, n, pad);
		t->len += pad;
		pad = 0;
	}
	l->owed = pad + 1;
}

/* The cells of event e, or the titles when e is NULL. */
static int put_line(char *buf, size_t buflen, const struct tt_event *e,
		    const struct container_info *container)
{
	struct text t = text_init(buf, buflen);
	struct line l = { 0 };

	for (size_t i = 0; i < NCOLUMNS; i++) {
		cell_begin(&l, &t, &columns[i]);
		if (e)
			columns[i].fill(&t, e, container);
		else
			put_str(&t, columns[i].title);
		cell_end(&l, &t, &columns[i]);
	}
	return text_finish(&t);
}

int output_format_columns(const struct tt_event *e,
			  const struct container_info *container, char *buf,
			  size_t buflen)
{
	return put_line(buf, buflen, e, container);
}

const char *output_columns_header(void)
{
	/* Every title and width is under 32 (test_header checks the line). */
	static char header[NCOLUMNS * 32];

	if (!header[0] && put_line(header, sizeof(header), NULL, NULL) < 0)
		header[0] = '\0';
	return header;
}
