// SPDX-License-Identifier: GPL-2.0-only
/*
 * POSIX extended regular expressions (see regex.h): the pattern is
 * parsed into a tree, the tree written out as a program of a few
 * instructions (repetitions copied out), and the program run on the
 * text as a set of states advanced one byte at a time, so that no text
 * costs more than its length times the program's.
 */
#include "filter/regex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum inst_op {
	OP_BYTE,	/* read this byte */
	OP_ANY,		/* read any byte */
	OP_SET,		/* read a byte of sets[x] */
	OP_BOL,		/* go on at the start of the text only */
	OP_EOL,		/* go on at its end only */
	OP_JMP,		/* go on at x */
	OP_SPLIT,	/* go on at both x and y */
	OP_MATCH,
};

struct tt_regex_inst {
	unsigned char op;	/* enum inst_op */
	unsigned char byte;	/* OP_BYTE */
	unsigned short x, y;
};

enum node_kind {
	NODE_EMPTY,
	NODE_BYTE,
	NODE_ANY,
	NODE_SET,
	NODE_BOL,
	NODE_EOL,
	NODE_CAT,	/* a then b */
	NODE_ALT,	/* a or b */
	NODE_REPEAT,	/* a, min to max times */
};

#define REPEAT_ANY 0xffff	/* no maximum */

struct node {
	unsigned char kind;	/* enum node_kind */
	unsigned char byte;	/* NODE_BYTE */
	unsigned char empty;	/* writes no instruction */
	unsigned short a, b;	/* nodes; NODE_SET: a is the set */
	unsigned short min, max;
};

/* Each pattern byte makes at most two nodes, and a bracket expression
 * takes at least three bytes. */
#define NODES_MAX (2 * TT_REGEX_PATTERN_MAX + 2)
#define SETS_MAX (TT_REGEX_PATTERN_MAX / 3 + 1)

struct compiler {
	const char *pattern;
	const char *p;		/* the next byte to parse */
	unsigned int depth;	/* groups open at p */
	struct tt_err *err;
	unsigned int node_count, set_count, length;
	struct node nodes[NODES_MAX];
	unsigned char sets[SETS_MAX][32];
	struct tt_regex_inst program[TT_REGEX_PROGRAM_MAX];
};

__attribute__((format(printf, 2, 3)))
static int bad(struct compiler *c, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return tt_fail(c->err, "%s in regular expression \"%s\"", why,
		       c->pattern);
}

/* A new node's index, or -1. */
static int new_node(struct compiler *c, enum node_kind kind,
		    unsigned int a, unsigned int b)
{
	struct node *n = &c->nodes[c->node_count];

	if (c->node_count == NODES_MAX)
		return bad(c, "too many parts");
	memset(n, 0, sizeof(*n));
	n->kind = (unsigned char)kind;
	n->a = (unsigned short)a;
	n->b = (unsigned short)b;
	n->empty = kind == NODE_EMPTY ||
		   (kind == NODE_CAT && c->nodes[a].empty && c->nodes[b].empty);
	return (int)c->node_count++;
}

static int parse_alternation(struct compiler *c);

static const struct {
	char name[8];
	int (*has)(int c);
} classes[] = {
	{ "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum },
	{ "upper", isupper }, { "lower", islower }, { "space", isspace },
	{ "punct", ispunct }, { "xdigit", isxdigit }, { "print", isprint },
	{ "graph", isgraph }, { "cntrl", iscntrl }, { "blank", isblank },
};

/* Add the class at c->p, "[:name:]", to set. */
static int add_class(struct compiler *c, unsigned char *set)
{
	const char *name = c->p + 2, *end = strstr(name, ":]");
	size_t len = end ? (size_t)(end - name) : 0;

	if (!end)
		return bad(c, "unterminated [: (a class is [:alpha:])");
	for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
		if (strlen(classes[i].name) != len ||
		    memcmp(classes[i].name, name, len))
			continue;
		for (int b = 0; b < 256; b++)
			if (classes[i].has(b))
				set[b / 8] |= (unsigned char)(1 << b % 8);
		c->p = end + 2;
		return 0;
	}
	return bad(c, "unknown class [:%.*s:]", (int)len, name);
}

static int is_bracket_symbol(const char *p)
{
	return p[0] == '[' && (p[1] == '.' || p[1] == '=' || p[1] == ':');
}

/* One byte or range of a bracket expression at c->p into set. */
static int add_range(struct compiler *c, unsigned char *set, int first)
{
	unsigned char lo = (unsigned char)*c->p++, hi = lo;

	if (lo == '-' && !first && *c->p && *c->p != ']')
		return bad(c, "- inside a bracket expression (put it first "
			   "or last)");
	if (c->p[0] == '-' && c->p[1] && c->p[1] != ']') {
		c->p++;
		if (is_bracket_symbol(c->p))
			return bad(c, "range ending in a class");
		hi = (unsigned char)*c->p++;
		if (hi < lo)
			return bad(c, "backward range %c-%c", lo, hi);
	}
	for (unsigned int b = lo; b <= hi; b++)
		set[b / 8] |= (unsigned char)(1 << b % 8);
	return 0;
}

/* A bracket expression, c->p at its "[". */
static int parse_bracket(struct compiler *c)
{
	unsigned char *set = c->sets[c->set_count];
	int negate, rc;

	if (c->set_count == SETS_MAX)
		return bad(c, "too many bracket expressions");
	memset(set, 0, 32);
	negate = *++c->p == '^';
	c->p += negate;
	for (int first = 1; first || *c->p != ']'; first = 0) {
		if (!*c->p)
			return bad(c, "unbalanced [");
		if (c->p[0] == '[' && (c->p[1] == '.' || c->p[1] == '='))
			return bad(c, "collating element or equivalence "
				   "class %.2s (not supported)", c->p);
		rc = c->p[0] == '[' && c->p[1] == ':' ? add_class(c, set) :
			add_range(c, set, first);
		if (rc)
			return -1;
	}
	c->p++;
	for (int i = 0; negate && i < 32; i++)
		set[i] = (unsigned char)~set[i];
	return new_node(c, NODE_SET, c->set_count++, 0);
}

static int is_repetition(char ch)
{
	return ch == '*' || ch == '+' || ch == '?' || ch == '{';
}

static int parse_escape(struct compiler *c)
{
	char ch = *++c->p;
	int n;

	if (!ch)
		return bad(c, "trailing \\");
	if (ch >= '1' && ch <= '9')
		return bad(c, "back-reference \\%c (not supported)", ch);
	/* \< \> \` \' are GNU's word and text anchors: not taken as
	 * bytes, which would surprise */
	if (!ispunct((unsigned char)ch) || strchr("<>`'", ch))
		return bad(c, "unknown escape \\%c (a \\ makes any "
			   "punctuation but <>`' itself)", ch);
	n = new_node(c, NODE_BYTE, 0, 0);
	if (n >= 0)
		c->nodes[n].byte = (unsigned char)ch;
	c->p++;
	return n;
}

static int parse_group(struct compiler *c)
{
	int n;

	c->p++;
	c->depth++;
	n = parse_alternation(c);
	if (n < 0)
		return -1;
	if (*c->p != ')')
		return bad(c, "unbalanced (");
	c->p++;
	c->depth--;
	return n;
}

static int parse_atom(struct compiler *c)
{
	char ch = *c->p;
	int n;

	switch (ch) {
	case '(':
		return parse_group(c);
	case '[':
		return parse_bracket(c);
	case '\\':
		return parse_escape(c);
	case '.':
		c->p++;
		return new_node(c, NODE_ANY, 0, 0);
	case '^':
	case '$':
		c->p++;
		return new_node(c, ch == '^' ? NODE_BOL : NODE_EOL, 0, 0);
	}
	if (is_repetition(ch))
		return bad(c, "%c with nothing to repeat", ch);
	n = new_node(c, NODE_BYTE, 0, 0);
	if (n >= 0)
		c->nodes[n].byte = (unsigned char)ch;
	c->p++;
	return n;
}

/* A count of {m,n}: its value, or -1 if there is none. */
static int parse_count(struct compiler *c)
{
	int count = -1;

	for (; isdigit((unsigned char)*c->p); c->p++)
		if (count <= TT_REGEX_REPEAT_MAX)
			count = (count < 0 ? 0 : 10 * count) + (*c->p - '0');
	return count;
}

/* {m}, {m,} or {m,n}, c->p after the "{", into *min and *max. */
static int parse_interval(struct compiler *c, int *min, int *max)
{
	*min = parse_count(c);
	*max = *min;
	if (*c->p == ',') {
		c->p++;
		*max = parse_count(c);
		if (*max < 0)
			*max = REPEAT_ANY;
	}
	if (*min < 0 || *c->p != '}')
		return bad(c, "bad repetition: {m}, {m,} or {m,n} (\\{ is a "
			   "brace)");
	c->p++;
	if (*min > TT_REGEX_REPEAT_MAX ||
	    (*max > TT_REGEX_REPEAT_MAX && *max != REPEAT_ANY))
		return bad(c, "repetition count over %d",
			   TT_REGEX_REPEAT_MAX);
	if (*min > *max)
		return bad(c, "repetition {%d,%d} counting down", *min,
			   *max);
	return 0;
}

/* An atom and the repetitions after it. */
static int parse_piece(struct compiler *c)
{
	int anchor = *c->p == '^' || *c->p == '$', n = parse_atom(c), min, max;
	char ch;

	while (n >= 0 && is_repetition(ch = *c->p)) {
		if (anchor)	/* (^)* is fine: a group is repeated */
			return bad(c, "%c after an anchor (^ or $)", ch);
		c->p++;
		min = ch == '+';
		max = ch == '?' ? 1 : REPEAT_ANY;
		if (ch == '{' && parse_interval(c, &min, &max))
			return -1;
		n = new_node(c, NODE_REPEAT, (unsigned int)n, 0);
		if (n < 0)
			return -1;
		c->nodes[n].min = (unsigned short)min;
		c->nodes[n].max = (unsigned short)max;
		c->nodes[n].empty = !max || c->nodes[c->nodes[n].a].empty;
	}
	return n;
}

static int parse_concatenation(struct compiler *c)
{
	int n = -1, piece;

	while (*c->p && *c->p != '|' && !(*c->p == ')' && c->depth)) {
		piece = parse_piece(c);
		if (piece < 0)
			return -1;
		n = n < 0 ? piece : new_node(c, NODE_CAT, (unsigned int)n,
					     (unsigned int)piece);
		if (n < 0)
			return -1;
	}
	return n < 0 ? new_node(c, NODE_EMPTY, 0, 0) : n;
}

static int parse_alternation(struct compiler *c)
{
	int n = parse_concatenation(c), other;

	while (n >= 0 && *c->p == '|') {
		c->p++;
		other = parse_concatenation(c);
		if (other < 0)
			return -1;
		n = new_node(c, NODE_ALT, (unsigned int)n,
			     (unsigned int)other);
	}
	return n;
}

/* Append an instruction; its index, or -1 if the program is full. */
static int emit(struct compiler *c, enum inst_op op, unsigned int x,
		unsigned int y)
{
	struct tt_regex_inst *in = &c->program[c->length];

	if (c->length == TT_REGEX_PROGRAM_MAX)
		return bad(c, "program over %d instructions (repetitions "
			   "written out)", TT_REGEX_PROGRAM_MAX);
	in->op = (unsigned char)op;
	in->byte = 0;
	in->x = (unsigned short)x;
	in->y = (unsigned short)y;
	return (int)c->length++;
}

/* Point the SPLIT at "at" to the next instruction and to here. */
static void patch_split(struct compiler *c, int at)
{
	c->program[at].x = (unsigned short)(at + 1);
	c->program[at].y = (unsigned short)c->length;
}

static int generate(struct compiler *c, unsigned int node);

/* e{min,max}: min copies of e, then a loop or max - min optional ones.
 * An empty e writes nothing, however repeated. */
static int generate_repeat(struct compiler *c, const struct node *n)
{
	unsigned int last = c->length;
	int split;

	if (n->empty)
		return 0;
	for (unsigned int i = 0; i < n->min; i++) {
		last = c->length;
		if (generate(c, n->a))
			return -1;
	}
	if (n->max == REPEAT_ANY && n->min)	/* again from the last copy */
		return emit(c, OP_SPLIT, last, c->length + 1) < 0 ? -1 : 0;
	if (n->max == REPEAT_ANY) {
		split = emit(c, OP_SPLIT, 0, 0);
		if (split < 0 || generate(c, n->a) ||
		    emit(c, OP_JMP, (unsigned int)split, 0) < 0)
			return -1;
		patch_split(c, split);
		return 0;
	}
	for (unsigned int i = n->min; i < n->max; i++) {
		split = emit(c, OP_SPLIT, 0, 0);
		if (split < 0 || generate(c, n->a))
			return -1;
		patch_split(c, split);
	}
	return 0;
}

static int generate(struct compiler *c, unsigned int node)
{
	const struct node *n = &c->nodes[node];
	int split, jump;

	switch (n->kind) {
	case NODE_EMPTY:
		return 0;
	case NODE_BYTE:
		if (emit(c, OP_BYTE, 0, 0) < 0)
			return -1;
		c->program[c->length - 1].byte = n->byte;
		return 0;
	case NODE_CAT:
		return generate(c, n->a) || generate(c, n->b) ? -1 : 0;
	case NODE_ALT:
		split = emit(c, OP_SPLIT, 0, 0);
		if (split < 0 || generate(c, n->a))
			return -1;
		jump = emit(c, OP_JMP, 0, 0);
		if (jump < 0)
			return -1;
		patch_split(c, split);
		if (generate(c, n->b))
			return -1;
		c->program[jump].x = (unsigned short)c->length;
		return 0;
	case NODE_REPEAT:
		return generate_repeat(c, n);
	}
	/* NODE_ANY, NODE_SET, NODE_BOL, NODE_EOL: one instruction */
	return emit(c, n->kind == NODE_ANY ? OP_ANY : n->kind == NODE_SET ?
		    OP_SET : n->kind == NODE_BOL ? OP_BOL : OP_EOL, n->a,
		    0) < 0 ? -1 : 0;
}

int tt_regex_compile(struct tt_regex *re, const char *pattern,
		     struct tt_err *err)
{
	struct compiler c;	/* only its counts need to start at 0 */
	size_t program_size, sets_size;
	unsigned char (*sets)[32];
	int root;

	memset(re, 0, sizeof(*re));
	c.pattern = c.p = pattern;
	c.err = err;
	c.depth = c.node_count = c.set_count = c.length = 0;
	if (strlen(pattern) >= TT_REGEX_PATTERN_MAX)
		return tt_fail(err, "regular expression of more than %d "
			       "bytes", TT_REGEX_PATTERN_MAX - 1);
	root = parse_alternation(&c);
	if (root < 0 || generate(&c, (unsigned int)root) ||
	    emit(&c, OP_MATCH, 0, 0) < 0)
		return -1;
	program_size = c.length * sizeof(*c.program);
	sets_size = c.set_count * sizeof(*c.sets);
	re->program = malloc(program_size + sets_size);
	if (!re->program)
		return tt_fail(err, "out of memory for regular expression "
			       "\"%s\"", pattern);
	memcpy(re->program, c.program, program_size);
	sets = (unsigned char (*)[32])(re->program + c.length);
	memcpy(sets, c.sets, sets_size);
	re->sets = (const unsigned char (*)[32])sets;
	re->length = c.length;
	return 0;
}

void tt_regex_free(struct tt_regex *re)
{
	free(re->program);
	memset(re, 0, sizeof(*re));
}

/* The states at one position of the text: the reading instructions,
 * and a bit for every instruction reached. */
struct states {
	unsigned int count;
	unsigned short pc[TT_REGEX_PROGRAM_MAX];
	unsigned char seen[TT_REGEX_PROGRAM_MAX / 8];
};

static void clear_states(struct states *s, unsigned int length)
{
	s->count = 0;
	memset(s->seen, 0, (length + 7) / 8);
}

/* Add pc, and all it reaches at position at without reading a byte, to
 * s. 1 if that reaches OP_MATCH. */
static int add_state(const struct tt_regex *re, struct states *s,
		     unsigned int pc, size_t at, size_t len)
{
	unsigned short todo[TT_REGEX_PROGRAM_MAX];
	unsigned int n = 0;

#define PUSH(to)							\
	do {								\
		unsigned int to_ = (to);				\
		if (!(s->seen[to_ / 8] & (1 << to_ % 8))) {		\
			s->seen[to_ / 8] |= (unsigned char)(1 << to_ % 8); \
			todo[n++] = (unsigned short)to_;		\
		}							\
	} while (0)

	PUSH(pc);
	while (n) {
		const struct tt_regex_inst *in = &re->program[todo[--n]];

		switch (in->op) {
		case OP_MATCH:
			return 1;
		case OP_JMP:
			PUSH(in->x);
			break;
		case OP_SPLIT:
			PUSH(in->y);
			PUSH(in->x);
			break;
		case OP_BOL:
		case OP_EOL:
			if (at == (in->op == OP_BOL ? 0 : len))
				PUSH((unsigned int)(in - re->program) + 1);
			break;
		default:
			s->pc[s->count++] = (unsigned short)(in - re->program);
		}
	}
#undef PUSH
	return 0;
}

static int reads(const struct tt_regex *re, const struct tt_regex_inst *in,
		 unsigned char b)
{
	switch (in->op) {
	case OP_BYTE:
		return in->byte == b;
	case OP_SET:
		return re->sets[in->x][b / 8] >> b % 8 & 1;
	default:
		return 1;	/* OP_ANY */
	}
}

int tt_regex_search(const struct tt_regex *re, const char *text,
		    size_t len)
{
	struct states both[2], *now = &both[0], *next = &both[1], *swap;

	if (!re->program)
		return 0;
	clear_states(now, re->length);
	for (size_t at = 0;; at++) {
		/* a match may start anywhere, but ^... only at 0 */
		if (add_state(re, now, 0, at, len))
			return 1;
		if (at == len || (!now->count && re->program[0].op == OP_BOL))
			return 0;
		clear_states(next, re->length);
		for (unsigned int i = 0; i < now->count; i++) {
			unsigned int pc = now->pc[i];

			if (reads(re, &re->program[pc], (unsigned char)text[at])
			    && add_state(re, next, pc + 1, at + 1, len))
				return 1;
		}
		swap = now;
		now = next;
		next = swap;
	}
}
