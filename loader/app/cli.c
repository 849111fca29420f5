// SPDX-License-Identifier: GPL-2.0-only
/* The command line (see cli.h). */
#include "app/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/btf/btf.h"
#include "trace_tcp.h"

#ifndef TT_VERSION
#define TT_VERSION "dev"
#endif
#ifndef TT_CPU
#define TT_CPU "unknown CPU"
#endif

/* --help: descriptions start at this column; lines end by HELP_WIDTH. */
#define HELP_INDENT 25
#define HELP_WIDTH 76

/* "what: value (see --help)", or "what (see --help)" without a value. */
static int bad_value(struct tt_err *err, const char *what, const char *value)
{
	return tt_fail(err, "%s%s%s (see --help)", what, value ? ": " : "",
		       value ? value : "");
}

static int looks_like_option(const char *arg)
{
	return arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9');
}

static int missing_value(struct tt_err *err, const char *option)
{
	return bad_value(err, "missing value for", option);
}

static int parse_containers(void *field, const char *value,
			    const char *option, struct tt_err *err)
{
	struct tt_err why;

	if (!value)
		return missing_value(err, option);
	if (container_filter_add(field, value, &why))
		return bad_value(err, why.msg, NULL);
	return 0;
}

static int parse_output(void *field, const char *value, const char *option,
			struct tt_err *err)
{
	static const char *const names[] = {
		[OUTPUT_COLUMNS] = "columns",
		[OUTPUT_JSON] = "json",
		[OUTPUT_JSONPRETTY] = "jsonpretty",
		[OUTPUT_YAML] = "yaml",
	};

	if (!value)
		return missing_value(err, option);
	for (unsigned int i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!strcmp(value, names[i])) {
			*(enum output_mode *)field = i;
			return 0;
		}
	}
	return bad_value(err, "unknown output format (columns, json, "
			 "jsonpretty or yaml)", value);
}

/* Checked now (its names), applied by apply_fields. */
static int parse_fields(void *field, const char *value, const char *option,
			struct tt_err *err)
{
	struct fields_given *given = field;
	struct field_selection check;

	if (!value || !*value)
		return missing_value(err, option);
	if (given->count == CLI_FIELDS_MAX)
		return tt_fail(err, "--fields given more than %d times",
			       CLI_FIELDS_MAX);
	field_selection_default(&check, FIELDS_LOCAL);
	if (field_selection_parse(&check, value, err))
		return -1;
	given->spec[given->count++] = value;
	return 0;
}

/* The default columns (a node's, with --node), then each --fields. */
static void apply_fields(struct cli_options *o)
{
	struct tt_err unused;

	field_selection_default(&o->fields,
				o->node ? FIELDS_KUBERNETES : FIELDS_LOCAL);
	for (unsigned int i = 0; i < o->fields_given.count; i++)
		field_selection_parse(&o->fields, o->fields_given.spec[i],
				      &unused);
}

/* A Kubernetes node's name: a DNS name, 1 to 253 bytes. */
static int parse_node(void *field, const char *value, const char *option,
		      struct tt_err *err)
{
	size_t n = value ? strlen(value) : 0;

	if (!value)
		return missing_value(err, option);
	if (n == 0 || n > 253 ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != n)
		return bad_value(err, "--node needs a node name (letters, "
				 "digits, '.', '-', '_'; up to 253)", value);
	*(const char **)field = value;
	return 0;
}

#define K8S_PARSER(name, criterion)                                        \
	static int name(void *field, const char *value, const char *option,\
			struct tt_err *err)                                \
	{                                                                  \
		if (!value)                                                \
			return missing_value(err, option);                 \
		return container_filter_add_k8s(field, criterion, value,   \
						err);                      \
	}
K8S_PARSER(parse_k8s_namespaces, K8S_NAMESPACE)
K8S_PARSER(parse_k8s_pods, K8S_POD)
K8S_PARSER(parse_k8s_containers, K8S_CONTAINER)
K8S_PARSER(parse_k8s_selector, K8S_SELECTOR)

/*
 * DIGITS[.DIGITS] into *v; -1 if s is anything else. By hand, not
 * strtod: musl's float scanner is 8 KB of code on 64-bit MIPS (its long
 * double is soft-float), for this one option.
 */
static int parse_decimal(const char *s, double *v)
{
	double scale = 1;
	int digits = 0, dot = 0;

	*v = 0;
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || *v >= 1e12)
			return -1;
		if (dot) {
			scale /= 10;
			*v += scale * (*s - '0');
		} else {
			*v = *v * 10 + (*s - '0');
		}
		digits++;
	}
	return digits ? 0 : -1;
}

static int parse_seconds(void *field, const char *value, const char *option,
			 struct tt_err *err)
{
	double v;

	if (!value || parse_decimal(value, &v) || !(v > 0) || v > 1e9)
		return bad_value(err, "--timeout needs a positive number of "
				 "seconds", value);
	*(double *)field = v;
	return 0;
}

static int parse_backend(void *field, const char *value, const char *option,
			 struct tt_err *err)
{
	static const char *const names[] = {
		[BACKEND_AUTO] = "auto",
		[BACKEND_KPROBE] = "kprobe",
		[BACKEND_TRACEPOINT] = "tracepoint",
	};

	for (unsigned int i = 0; value && i < sizeof(names) / sizeof(*names);
	     i++) {
		if (!strcmp(value, names[i])) {
			*(enum backend_choice *)field = i;
			return 0;
		}
	}
	return bad_value(err, "--backend must be auto, kprobe or tracepoint",
			 value);
}

/* A path, or "none" for no BTF at all. */
static int parse_btf(void *field, const char *value, const char *option,
		     struct tt_err *err)
{
	struct btf_choice *choice = field;

	if (!value || !*value)
		return missing_value(err, option);
	choice->path = strcmp(value, "none") ? value : NULL;
	choice->named = 1;
	return 0;
}

static int parse_pages(void *field, const char *value, const char *option,
		       struct tt_err *err)
{
	char *end;
	unsigned long v = value ? strtoul(value, &end, 10) : 0;

	if (!value || end == value || *end || v == 0 || v > 65536 ||
	    (v & (v - 1)))
		return bad_value(err, "--buffer-pages needs a power of two "
				 "from 1 to 65536", value);
	*(unsigned int *)field = (unsigned int)v;
	return 0;
}

/* An absolute path; one named on the command line (defaults and the
 * environment are parsed without err) must be a directory that is
 * there: a mistyped one would go unnoticed, its containers unnamed. */
static int parse_directory(void *field, const char *value,
			   const char *option, struct tt_err *err)
{
	struct stat st;

	if (!value || value[0] != '/')
		return bad_value(err, "needs an absolute directory", option);
	if (err && stat(value, &st))
		return tt_fail(err, "%s %s: %s", option, value,
			       strerror(errno));
	if (err && !S_ISDIR(st.st_mode))
		return tt_fail(err, "%s %s: not a directory", option, value);
	*(const char **)field = value;
	return 0;
}

static int parse_rules(void *field, const char *value, const char *option,
		       struct tt_err *err)
{
	if (!value)
		return missing_value(err, option);
	return filter_add_rules(field, value, err);
}

/* --pid, --tid, --uid, --gid, --comm: a list for one field each. */
#define LIST_PARSER(name, field_id)                                        \
	static int name(void *field, const char *value, const char *option,\
			struct tt_err *err)                                \
	{                                                                  \
		if (!value)                                                \
			return missing_value(err, option);                 \
		return filter_add_list(field, field_id, value, err);       \
	}
LIST_PARSER(parse_pids, FIELD_PID)
LIST_PARSER(parse_tids, FIELD_TID)
LIST_PARSER(parse_uids, FIELD_UID)
LIST_PARSER(parse_gids, FIELD_GID)
LIST_PARSER(parse_comms, FIELD_COMM)

#define FIELD(member) offsetof(struct cli_options, member)
#define FLAG(long_name, letter, member, flag_bit, text)                    \
	.name = long_name, .short_name = letter, .action = CLI_SET_BIT,    \
	.field = FIELD(member), .bit = flag_bit, .help = text
#define VALUE(long_name, letter, member, parser, value, text)              \
	.name = long_name, .short_name = letter, .action = CLI_PARSE,      \
	.field = FIELD(member), .parse = parser, .value_name = value,      \
	.help = text
#define DIRECTORY(long_name, member, default_dir, env_name, text)          \
	VALUE(long_name, 0, roots.member, parse_directory, "DIR", text),   \
	.default_value = default_dir, .env = env_name

const char cli_summary[] =
	"Trace TCP connect, accept and close events, one line per event.";

/* In the order of --help. */
const struct cli_spec cli_table[] = {
	{ FLAG("connect-only", 0, filter, TT_ONLY_CONNECT,
	       "only connect events") },
	{ FLAG("accept-only", 0, filter, TT_ONLY_ACCEPT,
	       "only accept events") },
	{ FLAG("failure-only", 0, filter, TT_ONLY_FAILURE,
	       "only events with an error (failed connects)") },
	{ VALUE("filter", 'F', rules, parse_rules, "RULE[,RULE...]",
		"only events where every RULE holds: FIELD==VALUE, or !=, <, "
		"<=, >, >=, ~ (a regular expression), !~; \\, is a comma in "
		"VALUE; may be given again; FIELD: see below") },
	{ VALUE("pid", 0, rules, parse_pids, "PID[,PID...]",
		"only these processes") },
	{ VALUE("tid", 0, rules, parse_tids, "TID[,TID...]",
		"only these threads") },
	{ VALUE("uid", 0, rules, parse_uids, "UID[,UID...]",
		"only these users") },
	{ VALUE("gid", 0, rules, parse_gids, "GID[,GID...]",
		"only these groups") },
	{ VALUE("comm", 0, rules, parse_comms, "COMM[,COMM...]",
		"only these command names (their first 15 bytes, as "
		"the kernel keeps them)") },
	{ VALUE("containername", 'c', containers, parse_containers,
		"NAME[,NAME...]",
		"only these containers (name, id or 12+ digit id prefix); "
		"!NAME hides NAME instead") },
	{ FLAG("containers-only", 0, containers.containers_only, 1,
	       "only events from containers, none from the host") },
	{ VALUE("node", 0, node, parse_node, "NAME",
		"Kubernetes mode: NAME is this node's (as the DaemonSet "
		"sets it); k8s.node in every event, K8S columns first"),
	  .env = "TRACE_TCP_NODE" },
	{ VALUE("k8s-namespace", 'n', containers, parse_k8s_namespaces,
		"NS[,NS...]", "only pods of these namespaces") },
	{ VALUE("k8s-podname", 'p', containers, parse_k8s_pods,
		"POD[,POD...]", "only these pods") },
	{ VALUE("k8s-containername", 0, containers, parse_k8s_containers,
		"NAME[,NAME...]", "only these containers of pods") },
	{ VALUE("k8s-selector", 'l', containers, parse_k8s_selector,
		"KEY=VALUE[,...]", "only pods with all these labels (where "
		"the runtime's files keep them: CRI-O, Docker)") },
	{ VALUE("output", 'o', output, parse_output, "FORMAT",
		"columns (default), json (one line per event), jsonpretty or "
		"yaml (one document per event)") },
	{ VALUE("fields", 0, fields_given, parse_fields, "[+|-]FIELD[,...]",
		"the columns to show, in order; +FIELD adds to the default "
		"ones, -FIELD removes; with json or yaml, the keys to print "
		"(default all); see Fields below") },
	{ VALUE("timeout", 0, timeout_seconds, parse_seconds, "SECONDS",
		"stop after SECONDS") },
	{ VALUE("backend", 0, backend, parse_backend, "NAME",
		"auto (default), kprobe or tracepoint") },
	{ VALUE("btf", 0, btf, parse_btf, "PATH|none",
		"kernel BTF to use (default " BTF_VMLINUX_PATH ", if the "
		"kernel has it); a PATH named must be read") },
	{ VALUE("buffer-pages", 0, buffer_pages, parse_pages, "N",
		"event buffer pages per CPU, a power of two"),
	  .default_value = "64" },
	{ DIRECTORY("docker-root", docker_root, "/var/lib/docker",
		    "TRACE_TCP_DOCKER_ROOT", "Docker's data root") },
	{ DIRECTORY("storage-root", storage_root,
		    "/var/lib/containers/storage", "TRACE_TCP_STORAGE_ROOT",
		    "Podman/CRI-O storage root") },
	{ DIRECTORY("storage-runroot", storage_runroot,
		    "/run/containers/storage", "TRACE_TCP_STORAGE_RUNROOT",
		    "their run root") },
	{ DIRECTORY("containerd-tasks", containerd_tasks,
		    "/run/containerd/io.containerd.runtime.v2.task",
		    "TRACE_TCP_CONTAINERD_TASKS",
		    "containerd's runtime-v2 task state") },
	{ FLAG("no-sandbox", 0, no_sandbox, 1,
	       "keep all privileges and system calls while tracing (by "
	       "default, once attached: a seccomp filter, no_new_privs, only "
	       "the capabilities still needed); for debugging") },
	{ FLAG("verbose", 'v', verbose, 1, "say more on stderr") },
	{ .name = "help", .short_name = 'h', .action = CLI_HELP,
	  .help = "this help" },
	{ .name = "version", .action = CLI_VERSION,
	  .help = "print the version" },
	{ 0 }
};

/* One option's lines of --help, laid out as they are added and written
 * with one puts (printf and putchar would link two more libc functions
 * into the binary). */
struct help_text {
	char lines[1536];
	int len;	/* bytes in lines */
	int col;	/* column of the next byte */
};

static void add(struct help_text *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct help_text *h, const char *fmt, ...)
{
	int room = (int)sizeof(h->lines) - h->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(h->lines + h->len, (size_t)room, fmt, ap);
	va_end(ap);
	if (n >= room)
		n = room - 1;
	h->len += n;
	h->col += n;
}

/* len bytes of text in the description column: after a space, or on the
 * next line if they would end beyond HELP_WIDTH. */
static void put_text(struct help_text *h, const char *text, int len)
{
	if (h->col > HELP_INDENT && h->col + 1 + len > HELP_WIDTH) {
		add(h, "\n");
		h->col = 0;
	}
	add(h, "%*s%.*s", h->col > HELP_INDENT ? 1 : HELP_INDENT - h->col, "",
	    len, text);
}

static void put_words(struct help_text *h, const char *text)
{
	while (*text) {
		int len = (int)strcspn(text, " ");

		put_text(h, text, len);
		text += len + (text[len] == ' ');
	}
}

/* A phrase is not broken across lines where one line can hold it. */
static void put_phrase(struct help_text *h, const char *phrase)
{
	int len = (int)strlen(phrase);

	if (HELP_INDENT + len > HELP_WIDTH)
		put_words(h, phrase);
	else
		put_text(h, phrase, len);
}

/* "  -s, --name VALUE", then the help, its default and its variable. */
static void print_option(const struct cli_spec *s)
{
	struct help_text h;
	char phrase[128];

	h.len = h.col = 0;
	add(&h, "  ");
	if (s->short_name)
		add(&h, "-%c, ", s->short_name);
	add(&h, "--%s", s->name);
	if (s->value_name)
		add(&h, " %s", s->value_name);
	if (h.col >= HELP_INDENT) {
		add(&h, "\n");
		h.col = 0;
	}
	put_words(&h, s->help);
	if (s->default_value) {
		snprintf(phrase, sizeof(phrase), "(default %s%s",
			 s->default_value, s->env ? ";" : ")");
		put_phrase(&h, phrase);
	}
	if (s->env) {
		snprintf(phrase, sizeof(phrase), "%senv %s)",
			 s->default_value ? "" : "(", s->env);
		put_phrase(&h, phrase);
	}
	puts(h.lines);
}

/* Fields: their names, wrapped at HELP_WIDTH. */
static void print_fields(void)
{
	struct help_text h = { .len = 0, .col = 0 };
	char names[1024];

	field_names(names, sizeof(names));
	puts("\nFields (--fields, -F; paths as in the JSON, short names in "
	     "parentheses):");
	add(&h, " ");
	for (const char *name = names; *name;) {
		int len = (int)strcspn(name, ",");
		int comma = name[len] == ',';

		if (h.col + 1 + len + comma > HELP_WIDTH) {
			add(&h, "\n ");
			h.col = 1;
		}
		add(&h, " %.*s%s", len, name, comma ? "," : "");
		name += len + comma;
		name += strspn(name, " ");
	}
	puts(h.lines);
}

static void print_help(void)
{
	fprintf(stdout, "Usage: trace_tcp [OPTIONS]\n%s\n\n", cli_summary);
	for (const struct cli_spec *s = cli_table; s->name; s++)
		print_option(s);
	print_fields();
}

/* The option arg names, or NULL. *inline_value: what follows the '=' of
 * "--name=value", else NULL. */
static const struct cli_spec *find_option(const char *arg,
					  const char **inline_value)
{
	*inline_value = NULL;
	if (arg[0] != '-' || !arg[1])
		return NULL;
	for (const struct cli_spec *s = cli_table; s->name; s++) {
		size_t len = strlen(s->name);

		if (arg[1] != '-') {
			if (arg[1] == s->short_name && !arg[2])
				return s;
		} else if (!strncmp(arg + 2, s->name, len)) {
			if (!arg[2 + len])
				return s;
			if (arg[2 + len] == '=' && s->value_name) {
				*inline_value = arg + 3 + len;
				return s;
			}
		}
	}
	return NULL;
}

/* The defaults of the table, each overridden by its environment variable
 * if that parses (a bad one is ignored). */
static void set_defaults(struct cli_options *o)
{
	memset(o, 0, sizeof(*o));
	for (const struct cli_spec *s = cli_table; s->name; s++) {
		void *field = (char *)o + s->field;
		const char *env = s->env ? getenv(s->env) : NULL;

		if (s->default_value)
			s->parse(field, s->default_value, s->name, NULL);
		if (env)
			s->parse(field, env, s->env, NULL);
	}
}

/* Apply argv[*i] (and its value, which may be argv[*i + 1]). */
static enum cli_result apply_option(int argc, char **argv, int *i,
				    struct cli_options *o,
				    struct tt_err *err)
{
	const char *arg = argv[*i], *value;
	const struct cli_spec *s = find_option(arg, &value);
	void *field;

	if (!s)
		return bad_value(err, "unknown option", arg);
	field = (char *)o + s->field;
	switch (s->action) {
	case CLI_HELP:
		print_help();
		return CLI_EXIT_OK;
	case CLI_VERSION:
		puts("trace_tcp " TT_VERSION " (" TT_CPU ")");
		return CLI_EXIT_OK;
	case CLI_SET_BIT:
		*(unsigned int *)field |= s->bit;
		return CLI_RUN;
	}
	/* A following option is a missing value, not a value; a negative
	 * number is a value (for its parser to judge). */
	if (!value && *i + 1 < argc && !looks_like_option(argv[*i + 1]))
		value = argv[++*i];
	return s->parse(field, value, arg, err);
}

enum cli_result cli_parse(int argc, char **argv, struct cli_options *o,
			  struct tt_err *err)
{
	set_defaults(o);
	for (int i = 1; i < argc; i++) {
		enum cli_result r = apply_option(argc, argv, &i, o, err);

		if (r != CLI_RUN)
			return r;
	}
	if ((o->filter & TT_ONLY_CONNECT) && (o->filter & TT_ONLY_ACCEPT))
		return tt_fail(err, "--connect-only and --accept-only "
			       "exclude each other");
	apply_fields(o);
	return CLI_RUN;
}
