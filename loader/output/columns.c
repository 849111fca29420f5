// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event as a line of aligned columns: the selected fields' cells
 * (field_put_column), or their titles for the header, at the widths and
 * alignments of the field table.
 */
#include "output/output.h"

#include <string.h>

#include "output/select.h"
#include "output/text.h"

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
			    const struct field_def *col)
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
			  const struct field_def *col)
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

/* The cells of event fe, or the titles when fe is NULL. */
static int put_line(char *buf, size_t buflen, const struct field_event *fe,
		    const struct field_selection *s)
{
	struct text t = text_init(buf, buflen);
	struct line l = { 0 };

	for (unsigned int i = 0; i < s->ncolumns; i++) {
		const struct field_def *col = &field_table[s->columns[i]];

		cell_begin(&l, &t, col);
		if (fe)
			field_put_column(&t, s->columns[i], fe);
		else
			put_str(&t, col->title);
		cell_end(&l, &t, col);
	}
	return text_finish(&t);
}

int output_format_columns(const struct field_event *fe,
			  const struct field_selection *s, char *buf,
			  size_t buflen)
{
	return put_line(buf, buflen, fe, s);
}

int output_columns_header(const struct field_selection *s, char *buf,
			  size_t buflen)
{
	return put_line(buf, buflen, NULL, s);
}
