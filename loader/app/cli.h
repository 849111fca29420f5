/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line. One table, cli_table, says every option: how it is
 * spelled, what value it takes, what it does and how it is described.
 * The parser, --help and the defaults are all read from it, and a man
 * page can be printed from it, so they cannot disagree.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

#include "common/err.h"
#include "containers/filter.h"
#include "containers/runtime_state.h"
#include "filter/rules.h"
#include "output/output.h"
#include "output/select.h"
#include "plan/plan.h"

/* --btf PATH|none, or nothing said: the kernel's own if it has one. */
struct btf_choice {
	const char *path;	/* NULL: none */
	int named;		/* --btf given: a PATH must be read */
};

#define CLI_FIELDS_MAX 8	/* --fields given this many times */

/* The --fields values, applied once the default columns are known
 * (--node's differ). */
struct fields_given {
	const char *spec[CLI_FIELDS_MAX];
	unsigned int count;
};

struct cli_options {
	unsigned int filter;		/* enum tt_type_filter bits */
	enum output_mode output;
	struct fields_given fields_given;	/* --fields */
	struct field_selection fields;	/* the columns and keys shown */
	const char *node;		/* --node: Kubernetes' node name */
	double timeout_seconds;		/* 0: run until a signal */
	enum backend_choice backend;
	struct btf_choice btf;		/* --btf */
	unsigned int buffer_pages;	/* perf ring pages per CPU */
	int verbose;
	int no_sandbox;			/* --no-sandbox */
	struct container_filter containers;	/* -c, --containers-only,
						 * -n, -p, -l... */
	struct runtime_roots roots;	/* where the runtimes keep state */
	struct filter rules;		/* -F, --pid, --tid, --uid, --gid,
					 * --comm */
};

/* What an option does. */
enum cli_action {
	CLI_SET_BIT,	/* a flag: OR bit into the unsigned int at field */
	CLI_PARSE,	/* a value: parse() it into field */
	CLI_HELP,	/* print the help and stop */
	CLI_VERSION,	/* print the version and stop */
};

/* Parse value (NULL: none was given) into field. option is the argument
 * as typed, for the message. 0, or -1 with err. */
typedef int cli_parse_fn(void *field, const char *value, const char *option,
			 struct tt_err *err);

/*
 * One option. A value option is spelled "--name=VALUE", "--name VALUE"
 * or "-s VALUE"; a next argument starting with '-' is not taken as the
 * value (the value is missing). A flag takes no "=VALUE".
 */
struct cli_spec {
	const char *name;		/* long name, without "--" */
	char short_name;		/* the letter of -s, or 0 */
	unsigned char action;		/* enum cli_action */
	unsigned short field;		/* offsetof(struct cli_options, ...) */
	unsigned int bit;		/* CLI_SET_BIT */
	cli_parse_fn *parse;		/* CLI_PARSE */
	const char *value_name;		/* "SECONDS"; NULL for a flag */
	const char *help;		/* a phrase; --help wraps it */
	const char *default_value;	/* CLI_PARSE: parsed before argv;
					 * NULL: the field stays zero */
	const char *env;		/* CLI_PARSE: environment variable
					 * parsed after the default (a bad
					 * value is ignored), or NULL */
};

extern const char cli_summary[];		/* what trace_tcp does */
extern const struct cli_spec cli_table[];	/* ends with name NULL */

/* CLI_ERROR is the -1 of the error convention. */
enum cli_result { CLI_ERROR = -1, CLI_RUN, CLI_EXIT_OK };

/* Parse argv. CLI_EXIT_OK after --help/--version (printed to stdout);
 * CLI_ERROR with err. */
enum cli_result cli_parse(int argc, char **argv, struct cli_options *opts,
			  struct tt_err *err);

#endif
