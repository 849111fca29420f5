// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the -F rules and the --pid... lists. The input is split
 * at NUL bytes; each piece whose first byte is 1 to 5 is the list of
 * --comm, --pid, --tid, --uid or --gid (that byte dropped), any other a
 * -F value. The rules then go through the in-kernel filter's compiler
 * and judge one event.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/kernel.h"
#include "filter/match.h"
#include "filter/rules.h"
#include "trace_tcp.h"

static const enum field_id lists[] = {
	FIELD_COMM, FIELD_PID, FIELD_TID, FIELD_UID, FIELD_GID,
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static struct filter rules;
static struct tt_filter kernel_share;
static const struct tt_event event = {
	.pid = 42, .tid = 42, .uid = 1000, .type = TT_EVENT_CONNECT,
	.family = 4, .sport = 40000, .dport = 443, .comm = "curl",
	.saddr = { 127, 0, 0, 1 }, .daddr = { 10, 1, 2, 3 },
};

/* Add one piece, NUL-terminated; the rest is its length. */
static void add_piece(char *piece)
{
	unsigned char first = (unsigned char)piece[0];
	struct tt_err err;

	if (first >= 1 && first <= NLISTS)
		filter_add_list(&rules, lists[first - 1], piece + 1, &err);
	else
		filter_add_rules(&rules, piece, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct field_event fe = { .e = &event };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&rules, 0, sizeof(rules));
	for (char *piece = text; piece <= text + size;
	     piece += strlen(piece) + 1)
		add_piece(piece);
	filter_compile_kernel(&rules, &kernel_share);
	filter_match_all(&rules, &fe);
	filter_free(&rules);
	free(text);
	return 0;
}
