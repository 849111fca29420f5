/* SPDX-License-Identifier: GPL-2.0-only */
/* The command line. */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

#include "common/err.h"
#include "containers/filter.h"
#include "plan/plan.h"
#include "output/output.h"
#include "containers/runtime_state.h"

struct cli_options {
	unsigned int filter;		/* enum tt_filter bits */
	enum output_mode output;
	double timeout_seconds;		/* 0: run until a signal */
	enum backend_choice backend;
	const char *btf_path;		/* NULL: no BTF */
	unsigned int buffer_pages;	/* perf ring pages per CPU */
	int verbose;
	struct container_filter containers;	/* -c, --containers-only */
	struct runtime_roots roots;	/* where the runtimes keep state */
};

/* CLI_ERROR is the -1 of the error convention. */
enum cli_result { CLI_ERROR = -1, CLI_RUN, CLI_EXIT_OK };

/* Parse argv. CLI_EXIT_OK after --help/--version (printed to stdout);
 * CLI_ERROR with err. */
enum cli_result cli_parse(int argc, char **argv, struct cli_options *opts,
			  struct tt_err *err);

#endif
