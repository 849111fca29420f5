// SPDX-License-Identifier: GPL-2.0-only
/* The command line (see cli.h). */
#include "app/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/btf/btf.h"
#include "trace_tcp.h"

#ifndef TT_VERSION
#define TT_VERSION "dev"
#endif

#define DEFAULT_BUFFER_PAGES 64

static const char usage[] =
	"Usage: trace_tcp [OPTIONS]\n"
	"Trace TCP connect, accept and close events, one line per event.\n"
	"\n"
	"  --connect-only         only connect events\n"
	"  --accept-only          only accept events\n"
	"  --failure-only         only events with an error (failed connects)\n"
	"  -c, --containername NAME[,NAME...]\n"
	"                         only these containers (name, id or 12+ digit\n"
	"                         id prefix); !NAME hides NAME instead\n"
	"  --containers-only      only events from containers, none from the host\n"
	"  -o, --output FORMAT    columns (default) or json\n"
	"  --timeout SECONDS      stop after SECONDS\n"
	"  --backend NAME         auto (default), kprobe or tracepoint\n"
	"  --btf PATH|none        kernel BTF to use (default " BTF_VMLINUX_PATH ")\n"
	"  --buffer-pages N       event buffer pages per CPU, a power of two\n"
	"                         (default 64)\n"
	"  --docker-root DIR      Docker's data root (default /var/lib/docker;\n"
	"                         env TRACE_TCP_DOCKER_ROOT)\n"
	"  --storage-root DIR     Podman/CRI-O storage root (default\n"
	"                         /var/lib/containers/storage; env\n"
	"                         TRACE_TCP_STORAGE_ROOT)\n"
	"  --storage-runroot DIR  their run root (default /run/containers/storage;\n"
	"                         env TRACE_TCP_STORAGE_RUNROOT)\n"
	"  --containerd-tasks DIR containerd's runtime-v2 task state (default\n"
	"                         /run/containerd/io.containerd.runtime.v2.task;\n"
	"                         env TRACE_TCP_CONTAINERD_TASKS)\n"
	"  -v, --verbose          say more on stderr\n"
	"  -h, --help             this help\n"
	"  --version              print the version\n";

static int fail(struct tt_err *err, const char *what, const char *arg)
{
	return tt_fail(err, "%s%s%s (see --help)", what, arg ? ": " : "",
		       arg ? arg : "");
}

static int parse_seconds(const char *text, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || *end || !(v > 0) || v > 1e9)
		return -1;
	*out = v;
	return 0;
}

static int parse_pages(const char *text, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (end == text || *end || v == 0 || v > 65536 || (v & (v - 1)))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* The value of an option: "--opt=value" or the next argument. */
static const char *option_value(int argc, char **argv, int *i,
				const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq && !strncmp(arg, "--", 2))
		return eq + 1;
	/* A following option is a missing value, not a value. */
	if (*i + 1 >= argc || argv[*i + 1][0] == '-')
		return NULL;
	return argv[++*i];
}

static int is_option(const char *arg, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(arg, name, len) && (arg[len] == '\0' || arg[len] == '=');
}

/* The runtime state directories: option, environment variable, field. */
#define ROOT_OPTIONS(X)                                                  \
	X("--docker-root", "TRACE_TCP_DOCKER_ROOT", docker_root)         \
	X("--storage-root", "TRACE_TCP_STORAGE_ROOT", storage_root)      \
	X("--storage-runroot", "TRACE_TCP_STORAGE_RUNROOT", storage_runroot) \
	X("--containerd-tasks", "TRACE_TCP_CONTAINERD_TASKS", containerd_tasks)

/* 1 and *field set if arg is one of the root options. */
static int root_option(const char *arg, struct runtime_roots *r,
		       const char ***field)
{
#define MATCH(option, env, member)                                       \
	if (is_option(arg, option)) {                                     \
		*field = &r->member;                                      \
		return 1;                                                 \
	}
	ROOT_OPTIONS(MATCH)
#undef MATCH
	return 0;
}

/* Defaults, overridden by the environment (absolute paths only). */
static void roots_from_environment(struct runtime_roots *r)
{
	const char *v;

	*r = runtime_roots_default;
#define FROM_ENV(option, env, member)                                     \
	v = getenv(env);                                                   \
	if (v && v[0] == '/')                                              \
		r->member = v;
	ROOT_OPTIONS(FROM_ENV)
#undef FROM_ENV
}

static enum cli_result parse_one(int argc, char **argv, int *i,
				 struct cli_options *o, struct tt_err *err)
{
	const char *arg = argv[*i], *val, **root;

	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		fputs(usage, stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(arg, "--version")) {
		puts("trace_tcp " TT_VERSION);
		return CLI_EXIT_OK;
	}
	if (!strcmp(arg, "--connect-only")) {
		o->filter |= TT_ONLY_CONNECT;
	} else if (!strcmp(arg, "--accept-only")) {
		o->filter |= TT_ONLY_ACCEPT;
	} else if (!strcmp(arg, "--failure-only")) {
		o->filter |= TT_ONLY_FAILURE;
	} else if (!strcmp(arg, "--containers-only")) {
		o->containers.containers_only = 1;
	} else if (!strcmp(arg, "-c") || is_option(arg, "--containername")) {
		struct tt_err why;

		val = option_value(argc, argv, i, arg);
		if (!val)
			return fail(err, "missing value for", arg);
		if (container_filter_add(&o->containers, val, &why))
			return fail(err, why.msg, NULL);
	} else if (root_option(arg, &o->roots, &root)) {
		val = option_value(argc, argv, i, arg);
		if (!val || val[0] != '/')
			return fail(err, "needs an absolute directory", arg);
		*root = val;
	} else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
		o->verbose = 1;
	} else if (!strcmp(arg, "-o") || is_option(arg, "--output")) {
		val = option_value(argc, argv, i, arg);
		if (!val)
			return fail(err, "missing value for", arg);
		if (!strcmp(val, "json"))
			o->output = OUTPUT_JSON;
		else if (!strcmp(val, "columns"))
			o->output = OUTPUT_COLUMNS;
		else
			return fail(err, "unknown output format", val);
	} else if (is_option(arg, "--timeout")) {
		val = option_value(argc, argv, i, arg);
		if (!val || parse_seconds(val, &o->timeout_seconds))
			return fail(err, "--timeout needs a positive "
				    "number of seconds", val);
	} else if (is_option(arg, "--backend")) {
		val = option_value(argc, argv, i, arg);
		if (val && !strcmp(val, "auto"))
			o->backend = BACKEND_AUTO;
		else if (val && !strcmp(val, "kprobe"))
			o->backend = BACKEND_KPROBE;
		else if (val && !strcmp(val, "tracepoint"))
			o->backend = BACKEND_TRACEPOINT;
		else
			return fail(err, "--backend must be auto, "
				    "kprobe or tracepoint", val);
	} else if (is_option(arg, "--btf")) {
		val = option_value(argc, argv, i, arg);
		if (!val || !*val)
			return fail(err, "missing value for", arg);
		o->btf_path = strcmp(val, "none") ? val : NULL;
	} else if (is_option(arg, "--buffer-pages")) {
		val = option_value(argc, argv, i, arg);
		if (!val || parse_pages(val, &o->buffer_pages))
			return fail(err, "--buffer-pages needs a power "
				    "of two from 1 to 65536", val);
	} else {
		return fail(err, "unknown option", arg);
	}
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct cli_options *o,
			  struct tt_err *err)
{
	memset(o, 0, sizeof(*o));
	o->output = OUTPUT_COLUMNS;
	o->btf_path = BTF_VMLINUX_PATH;
	o->buffer_pages = DEFAULT_BUFFER_PAGES;
	roots_from_environment(&o->roots);
	for (int i = 1; i < argc; i++) {
		enum cli_result r = parse_one(argc, argv, &i, o, err);

		if (r != CLI_RUN)
			return r;
	}
	if ((o->filter & TT_ONLY_CONNECT) && (o->filter & TT_ONLY_ACCEPT))
		return tt_fail(err, "--connect-only and --accept-only "
			       "exclude each other");
	return CLI_RUN;
}
