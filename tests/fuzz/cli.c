// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the command line. The input split at NUL bytes is argv
 * after "trace_tcp" (at most MAX_ARGS arguments). --help and --version
 * print to stdout, sent to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"

#define MAX_ARGS 64

static struct cli_options opts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!freopen("/dev/null", "w", stdout)) {
		perror("/dev/null");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2] = { "trace_tcp" };
	char *text = malloc(size + 1);
	struct tt_err err;
	int argc = 1;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *arg = text; arg <= text + size && argc <= MAX_ARGS;
	     arg += strlen(arg) + 1)
		argv[argc++] = arg;
	argv[argc] = NULL;
	cli_parse(argc, argv, &opts, &err);
	filter_free(&opts.rules);
	free(text);
	return 0;
}
