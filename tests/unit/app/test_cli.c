// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/app/cli.c. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "trace_tcp.h"
#include "unit.h"

static struct tt_err err;
static struct cli_options opts;

/* cli_parse over a NULL-terminated argument list after "trace_tcp". */
static enum cli_result parse_argv(char **args)
{
	char *argv[16] = { "trace_tcp" };
	int argc = 1;

	while (*args && argc < 15)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	err.msg[0] = '\0';
	return cli_parse(argc, argv, &opts, &err);
}

#define PARSE(...) parse_argv((char *[]){ __VA_ARGS__, NULL })

/* The same with stdout sent to /dev/null, for --help and --version. */
static enum cli_result parse_quietly(char **args)
{
	int saved, null_fd;
	enum cli_result r;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	dup2(null_fd, STDOUT_FILENO);
	close(null_fd);
	r = parse_argv(args);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return r;
}

#define PARSE_QUIETLY(...) parse_quietly((char *[]){ __VA_ARGS__, NULL })

/* An error whose message mentions want. */
static int error_mentions(enum cli_result r, const char *want)
{
	if (r != CLI_ERROR) {
		fprintf(stderr, "  accepted (want an error with \"%s\")\n",
			want);
		return 0;
	}
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "  err \"%s\" lacks \"%s\"\n", err.msg, want);
		return 0;
	}
	return 1;
}

static void test_defaults(void)
{
	char *no_args[] = { NULL };

	CHECK(parse_argv(no_args) == CLI_RUN);
	CHECK(opts.output == OUTPUT_COLUMNS);
	CHECK(opts.backend == BACKEND_AUTO);
	CHECK(!opts.btf.named);
	CHECK(opts.buffer_pages == 64);
	CHECK(opts.filter == 0);
	CHECK(opts.timeout_seconds == 0);
	CHECK(opts.verbose == 0);
}

static void test_output(void)
{
	CHECK(PARSE("-o", "json") == CLI_RUN && opts.output == OUTPUT_JSON);
	CHECK(PARSE("--output=json") == CLI_RUN && opts.output == OUTPUT_JSON);
	CHECK(PARSE("--output", "json") == CLI_RUN &&
	      opts.output == OUTPUT_JSON);
	CHECK(PARSE("-o", "json", "--output=columns") == CLI_RUN &&
	      opts.output == OUTPUT_COLUMNS);
	CHECK(error_mentions(PARSE("-o"), "-o"));
	CHECK(error_mentions(PARSE("--output"), "--output"));
	CHECK(error_mentions(PARSE("-o", "xml"), "xml"));
	CHECK(error_mentions(PARSE("--output="), "unknown output format"));
}

static void test_filters(void)
{
	CHECK(PARSE("--connect-only") == CLI_RUN &&
	      opts.filter == TT_ONLY_CONNECT);
	CHECK(PARSE("--accept-only") == CLI_RUN &&
	      opts.filter == TT_ONLY_ACCEPT);
	CHECK(PARSE("--failure-only") == CLI_RUN &&
	      opts.filter == TT_ONLY_FAILURE);
	CHECK(PARSE("--connect-only", "--failure-only") == CLI_RUN &&
	      opts.filter == (TT_ONLY_CONNECT | TT_ONLY_FAILURE));
	CHECK(error_mentions(PARSE("--accept-only", "--connect-only"),
			     "--connect-only"));
	CHECK(strstr(err.msg, "--accept-only") != NULL);
}

static void test_timeout(void)
{
	CHECK(PARSE("--timeout", "2.5") == CLI_RUN &&
	      opts.timeout_seconds == 2.5);
	CHECK(PARSE("--timeout=10") == CLI_RUN && opts.timeout_seconds == 10);
	CHECK(error_mentions(PARSE("--timeout", "0"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "-1"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "x"), "x"));
	CHECK(error_mentions(PARSE("--timeout", "2s"), "2s"));
	CHECK(error_mentions(PARSE("--timeout", "nan"), "--timeout"));
	CHECK(PARSE("--timeout", "0.25") == CLI_RUN &&
	      opts.timeout_seconds == 0.25);
	CHECK(PARSE("--timeout", ".5") == CLI_RUN &&
	      opts.timeout_seconds == 0.5);
	CHECK(PARSE("--timeout", "3.") == CLI_RUN && opts.timeout_seconds == 3);
	CHECK(PARSE("--timeout", "1000000000") == CLI_RUN);
	CHECK(error_mentions(PARSE("--timeout", "1000000000.5"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "."), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "1.2.3"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "1e3"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "99999999999999999999"),
			     "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", ""), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout", "inf"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout"), "--timeout"));
	CHECK(error_mentions(PARSE("--timeout="), "--timeout"));
}

static void test_backend(void)
{
	CHECK(PARSE("--backend", "kprobe") == CLI_RUN &&
	      opts.backend == BACKEND_KPROBE);
	CHECK(PARSE("--backend=tracepoint") == CLI_RUN &&
	      opts.backend == BACKEND_TRACEPOINT);
	CHECK(PARSE("--backend", "kprobe", "--backend", "auto") == CLI_RUN &&
	      opts.backend == BACKEND_AUTO);
	CHECK(error_mentions(PARSE("--backend", "bogus"), "bogus"));
	CHECK(error_mentions(PARSE("--backend"), "--backend"));
}

static void test_btf(void)
{
	CHECK(PARSE("--btf", "none") == CLI_RUN && opts.btf.named &&
	      opts.btf.path == NULL);
	CHECK(PARSE("--btf=/tmp/vmlinux") == CLI_RUN && opts.btf.named &&
	      opts.btf.path && !strcmp(opts.btf.path, "/tmp/vmlinux"));
	CHECK(error_mentions(PARSE("--btf"), "--btf"));
	CHECK(error_mentions(PARSE("--btf="), "--btf"));
}

static void test_buffer_pages(void)
{
	CHECK(PARSE("--buffer-pages", "8") == CLI_RUN &&
	      opts.buffer_pages == 8);
	CHECK(PARSE("--buffer-pages=1") == CLI_RUN && opts.buffer_pages == 1);
	CHECK(PARSE("--buffer-pages=65536") == CLI_RUN &&
	      opts.buffer_pages == 65536);
	CHECK(error_mentions(PARSE("--buffer-pages", "3"), "3"));
	CHECK(error_mentions(PARSE("--buffer-pages", "0"), "--buffer-pages"));
	CHECK(error_mentions(PARSE("--buffer-pages", "131072"), "131072"));
	CHECK(error_mentions(PARSE("--buffer-pages", "-8"), "--buffer-pages"));
	CHECK(error_mentions(PARSE("--buffer-pages", "8k"), "8k"));
	CHECK(error_mentions(PARSE("--buffer-pages"), "--buffer-pages"));
}

static void test_unknown(void)
{
	CHECK(error_mentions(PARSE("--bogus"), "--bogus"));
	CHECK(error_mentions(PARSE("-x"), "-x"));
	CHECK(error_mentions(PARSE("positional"), "positional"));
	CHECK(error_mentions(PARSE("--timeoutx=1"), "--timeoutx=1"));
	CHECK(error_mentions(PARSE("-o=json"), "-o=json"));
	CHECK(error_mentions(PARSE("--connect-only=1"), "--connect-only=1"));
	/* Parsing stops at the first error. */
	CHECK(error_mentions(PARSE("--bogus", "--help"), "--bogus"));
}

static void test_help_version(void)
{
	CHECK(PARSE_QUIETLY("--help") == CLI_EXIT_OK);
	CHECK(PARSE_QUIETLY("-h") == CLI_EXIT_OK);
	CHECK(PARSE_QUIETLY("--version") == CLI_EXIT_OK);
	CHECK(PARSE_QUIETLY("--connect-only", "--help") == CLI_EXIT_OK);
	CHECK(PARSE("-v") == CLI_RUN && opts.verbose == 1);
	CHECK(PARSE("--verbose") == CLI_RUN && opts.verbose == 1);
}

static void test_containers(void)
{
	CHECK(PARSE("-v") == CLI_RUN &&
	      !container_filter_active(&opts.containers));
	CHECK(PARSE("-c", "web,!db", "--containername=api") == CLI_RUN);
	CHECK(opts.containers.count == 3 && opts.containers.excluded[1]);
	CHECK_STR(opts.containers.names[2], "api");
	CHECK(PARSE("--containername", "!db") == CLI_RUN);
	CHECK(opts.containers.count == 1 && opts.containers.excluded[0]);
	CHECK(PARSE("--containers-only") == CLI_RUN &&
	      opts.containers.containers_only);
	CHECK(error_mentions(PARSE("-c"), "-c"));
	CHECK(error_mentions(PARSE("-c", "a,,b"), "empty container name"));
	CHECK(error_mentions(PARSE("--containername="),
			     "empty container name"));
}

static int column_is(unsigned int i, enum field_id id)
{
	return i < opts.fields.ncolumns && opts.fields.columns[i] == id;
}

/* --node (or TRACE_TCP_NODE): kubectl gadget's columns first, whatever
 * the order of --node and --fields; the pod filters. */
static void test_kubernetes(void)
{
	CHECK(PARSE("-v") == CLI_RUN && !opts.node &&
	      column_is(0, FIELD_CONTAINER_NAME));
	CHECK(PARSE("--node", "worker-1") == CLI_RUN);
	CHECK_STR(opts.node, "worker-1");
	CHECK(column_is(0, FIELD_K8S_NODE) &&
	      column_is(1, FIELD_K8S_NAMESPACE) &&
	      column_is(2, FIELD_K8S_POD) &&
	      column_is(3, FIELD_K8S_CONTAINER) && column_is(4, FIELD_SRC) &&
	      opts.fields.ncolumns == 13);
	CHECK(PARSE("--fields=-k8s.node,+k8s.podLabels", "--node", "n") ==
	      CLI_RUN);
	CHECK(column_is(0, FIELD_K8S_NAMESPACE) &&
	      column_is(12, FIELD_K8S_LABELS) && opts.fields.ncolumns == 13);
	setenv("TRACE_TCP_NODE", "from-env", 1);
	CHECK(PARSE("-v") == CLI_RUN);
	CHECK_STR(opts.node, "from-env");
	CHECK(PARSE("--node=flag") == CLI_RUN);
	CHECK_STR(opts.node, "flag");
	setenv("TRACE_TCP_NODE", "", 1);	/* unset by the DaemonSet */
	CHECK(PARSE("-v") == CLI_RUN && !opts.node);
	unsetenv("TRACE_TCP_NODE");
	CHECK(error_mentions(PARSE("--node", "a b"), "--node needs a node "
			     "name"));
	CHECK(error_mentions(PARSE("--node"), "missing value for: --node"));
	CHECK(PARSE("-n", "shop", "-p", "web-1,db-0", "--k8s-containername",
		    "nginx", "-l", "app=web") == CLI_RUN);
	CHECK(opts.containers.k8s_lists[K8S_NAMESPACE] == 1 &&
	      opts.containers.k8s_lists[K8S_POD] == 1 &&
	      opts.containers.k8s_lists[K8S_CONTAINER] == 1 &&
	      opts.containers.k8s_lists[K8S_SELECTOR] == 1);
	CHECK(error_mentions(PARSE("-l", "app"), "--k8s-selector: \"app\" "
			     "is not KEY=VALUE"));
	CHECK(error_mentions(PARSE("--k8s-namespace="), "an empty value"));
}

static void test_filter_rules(void)
{
	CHECK(PARSE("-v") == CLI_RUN && opts.rules.rule_count == 0);
	CHECK(PARSE("-F", "pid==1,comm~^c", "--filter=uid>0", "--pid", "1,2",
		    "--tid=3", "--pid", "4", "--uid", "0", "--gid", "0",
		    "--comm", "a\\,b,c") == CLI_RUN);
	CHECK(opts.rules.rule_count == 8 && opts.rules.value_count == 10);
	filter_free(&opts.rules);
	CHECK(error_mentions(PARSE("-F", "dst.port>=x"),
			     "bad filter rule \"dst.port>=x\": \"x\" is not "
			     "a number"));
	CHECK(error_mentions(PARSE("-F"), "missing value for: -F"));
	CHECK(error_mentions(PARSE("--pid", "1,x"), "\"x\" is not a number"));
	CHECK(error_mentions(PARSE("--comm"), "missing value for: --comm"));
	/* a negative number is a value, an option is not */
	CHECK(error_mentions(PARSE("--uid", "-1"), "-1 is outside "
			     "proc.creds.uid's 0 to 4294967295"));
	CHECK(error_mentions(PARSE("--uid", "-v"), "missing value for: --uid"));
	CHECK(PARSE("-F", "fd>-1") == CLI_RUN);
	filter_free(&opts.rules);
}

static void test_runtime_roots(void)
{
	unsetenv("TRACE_TCP_DOCKER_ROOT");
	CHECK(PARSE("-v") == CLI_RUN);
	CHECK_STR(opts.roots.docker_root, "/var/lib/docker");
	CHECK_STR(opts.roots.containerd_tasks,
		  "/run/containerd/io.containerd.runtime.v2.task");
	setenv("TRACE_TCP_DOCKER_ROOT", "/srv/docker", 1);
	setenv("TRACE_TCP_STORAGE_ROOT", "relative", 1);	/* ignored */
	CHECK(PARSE("-v") == CLI_RUN);
	CHECK_STR(opts.roots.docker_root, "/srv/docker");
	CHECK_STR(opts.roots.storage_root, "/var/lib/containers/storage");
	/* Named ones must be directories that are there. */
	CHECK(PARSE("--docker-root", "/tmp", "--storage-root=/",
		    "--storage-runroot", "/dev", "--containerd-tasks", "/proc") ==
	      CLI_RUN);
	CHECK_STR(opts.roots.docker_root, "/tmp");
	CHECK_STR(opts.roots.storage_root, "/");
	CHECK_STR(opts.roots.storage_runroot, "/dev");
	CHECK_STR(opts.roots.containerd_tasks, "/proc");
	CHECK(error_mentions(PARSE("--docker-root", "/nonexistent/docker"),
			     "No such file or directory"));
	CHECK(error_mentions(PARSE("--storage-root", "/dev/null"),
			     "not a directory"));
	CHECK(error_mentions(PARSE("--docker-root", "rel"), "--docker-root"));
	CHECK(error_mentions(PARSE("--docker-root"), "--docker-root"));
	unsetenv("TRACE_TCP_DOCKER_ROOT");
	unsetenv("TRACE_TCP_STORAGE_ROOT");
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_output);
	RUN(test_filters);
	RUN(test_timeout);
	RUN(test_backend);
	RUN(test_btf);
	RUN(test_buffer_pages);
	RUN(test_unknown);
	RUN(test_help_version);
	RUN(test_containers);
	RUN(test_filter_rules);
	RUN(test_kubernetes);
	RUN(test_runtime_roots);
	UNIT_EXIT();
}
