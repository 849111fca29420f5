// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for --fields (output/select.c) and the document styles
 * (output/document.c): json, jsonpretty, yaml. */
#include <string.h>

#include "output/output.h"
#include "output/select.h"
#include "unit.h"

#define BIT(id) ((uint64_t)1 << (id))

static struct tt_event close_event(void)
{
	struct tt_event e;

	memset(&e, 0, sizeof(e));
	e.type = TT_EVENT_CLOSE;
	e.family = 4;
	e.fd = e.accept_fd = -1;
	e.pid = e.tid = 7;
	memcpy(e.comm, "a\"b\\c\001", 7);
	e.saddr[0] = 10;
	e.saddr[3] = 1;
	e.daddr[0] = 10;
	e.daddr[3] = 2;
	e.sport = 5000;
	e.dport = 80;
	e.known = TT_KNOWN_DURATION;
	e.duration_ns = 1234567;
	return e;
}

/* With --node: node set, kubectl gadget's default columns. */
static const char *node;

static const char *format(enum output_mode style, const char *fields,
			  const struct container_info *c)
{
	static char buf[2048];
	static struct tt_err err;
	static struct document_form form;
	struct tt_event e = close_event();
	struct field_event fe = { &e, c, 0, node };
	struct field_selection s;

	field_selection_default(&s, node ? FIELDS_KUBERNETES : FIELDS_LOCAL);
	if (fields && field_selection_parse(&s, fields, &err))
		return err.msg;
	if (style == OUTPUT_COLUMNS)
		return output_format_columns(&fe, &s, buf, sizeof(buf)) < 0 ?
		       "(overflow)" : buf;
	document_form_init(&form, style, s.keys);
	return output_format_document(&form, &fe, buf, sizeof(buf)) < 0 ?
	       "(overflow)" : buf;
}

static void test_styles(void)
{
	const char *fields = "comm,pid,dst,duration";

	CHECK_STR(format(OUTPUT_JSON, fields, NULL),
		  "{\"proc\":{\"comm\":\"a\\\"b\\\\c\\u0001\",\"pid\":7},"
		  "\"dst\":{\"addr\":\"10.0.0.2\",\"port\":80,"
		  "\"proto\":\"TCP\",\"version\":4},\"duration\":1234567}");
	CHECK_STR(format(OUTPUT_JSONPRETTY, fields, NULL),
		  "{\n  \"proc\": {\n    \"comm\": \"a\\\"b\\\\c\\u0001\",\n"
		  "    \"pid\": 7\n  },\n  \"dst\": {\n"
		  "    \"addr\": \"10.0.0.2\",\n    \"port\": 80,\n"
		  "    \"proto\": \"TCP\",\n    \"version\": 4\n  },\n"
		  "  \"duration\": 1234567\n}");
	CHECK_STR(format(OUTPUT_YAML, fields, NULL),
		  "---\nproc:\n  comm: \"a\\\"b\\\\c\\u0001\"\n  pid: 7\n"
		  "dst:\n  addr: \"10.0.0.2\"\n  port: 80\n  proto: \"TCP\"\n"
		  "  version: 4\nduration: 1234567");
	/* Columns in the order given; a duration in a human unit. */
	CHECK_STR(format(OUTPUT_COLUMNS, "duration,pid,comm", NULL),
		  "   1.234ms       7 a\"b\\c?");
}

/* Nothing selected that the event has: an empty object or document. */
static void test_empty(void)
{
	CHECK_STR(format(OUTPUT_JSON, "k8s", NULL), "{}");
	CHECK_STR(format(OUTPUT_JSONPRETTY, "k8s", NULL), "{}");
	CHECK_STR(format(OUTPUT_YAML, "k8s", NULL), "--- {}");
}

/* Objects open and close around the members present, at every depth. */
static void test_nesting(void)
{
	struct container_info c;

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "0123456789abcdef");
	strcpy(c.name, "web");
	strcpy(c.k8s_pod, "pod-1");
	CHECK_STR(format(OUTPUT_JSON, "runtime.containerName,k8s,uid,ppid,"
			 "error", &c),
		  "{\"runtime\":{\"containerName\":\"web\"},"
		  "\"k8s\":{\"podName\":\"pod-1\"},\"error\":\"\","
		  "\"proc\":{\"creds\":{\"uid\":0}}}");
	CHECK_STR(format(OUTPUT_YAML, "uid,gid,comm", &c),
		  "---\nproc:\n  comm: \"a\\\"b\\\\c\\u0001\"\n  creds:\n"
		  "    uid: 0\n    gid: 0");
}

/* --node: k8s.node in every event, the host's too; the K8S columns
 * first. */
static void test_node(void)
{
	struct container_info c;

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "0123456789abcdef");
	strcpy(c.name, "nginx");
	strcpy(c.k8s_namespace, "shop");
	strcpy(c.k8s_pod, "web-1");
	strcpy(c.k8s_container, "nginx");
	strcpy(c.k8s_labels, "app=web,tier=frontend");
	node = "worker-1";
	CHECK_STR(format(OUTPUT_JSON, "k8s,pid", NULL),
		  "{\"k8s\":{\"node\":\"worker-1\"},\"proc\":{\"pid\":7}}");
	CHECK_STR(format(OUTPUT_JSON, "k8s", &c),
		  "{\"k8s\":{\"node\":\"worker-1\",\"namespace\":\"shop\","
		  "\"podName\":\"web-1\",\"containerName\":\"nginx\","
		  "\"podLabels\":\"app=web,tier=frontend\"}}");
	CHECK_STR(format(OUTPUT_YAML, "k8s.node", &c),
		  "---\nk8s:\n  node: \"worker-1\"");
	CHECK_STR(format(OUTPUT_COLUMNS, "+k8s.podLabels,-src,-dst,-comm,"
			 "-pid,-tid,-uid,-gid,-type,-error", &c),
		  "worker-1         shop             web-1            "
		  "nginx             app=web,tier=frontend");
	CHECK_STR(format(OUTPUT_COLUMNS, "-src,-dst,-comm,-pid,-tid,-uid,"
			 "-gid,-type,-error", NULL),
		  "worker-1");
	node = NULL;
	CHECK_STR(format(OUTPUT_JSON, "k8s", &c),
		  "{\"k8s\":{\"namespace\":\"shop\",\"podName\":\"web-1\","
		  "\"containerName\":\"nginx\","
		  "\"podLabels\":\"app=web,tier=frontend\"}}");
}

static void test_selection(void)
{
	struct field_selection s;
	struct tt_err err;

	field_selection_default(&s, FIELDS_LOCAL);
	CHECK(!s.given && s.ncolumns == 10 && s.columns[0] ==
	      FIELD_CONTAINER_NAME && s.columns[9] == FIELD_ERROR);
	CHECK(field_selection_parse(&s, "-error,+uid,+timestamp", &err) == 0);
	CHECK(s.given && s.ncolumns == 10 && s.columns[8] == FIELD_TYPE &&
	      s.columns[9] == FIELD_TIMESTAMP);
	/* JSON's default is every key: the edit removes one. */
	CHECK(s.keys == ((~(uint64_t)0 >> (64 - FIELD_COUNT)) &
			 ~BIT(FIELD_ERROR)));
	CHECK(field_selection_parse(&s, "PROC.Comm,Pid", &err) == 0);
	CHECK(s.ncolumns == 2 && s.columns[0] == FIELD_COMM &&
	      s.columns[1] == FIELD_PID);
	CHECK(s.keys == (BIT(FIELD_COMM) | BIT(FIELD_PID)));
	/* An endpoint column stands for its object's keys. */
	CHECK(field_selection_parse(&s, "src", &err) == 0);
	CHECK(s.ncolumns == 1 && s.columns[0] == FIELD_SRC);
	CHECK(s.keys == (BIT(FIELD_SRC_ADDR) | BIT(FIELD_SRC_PORT) |
			 BIT(FIELD_SRC_PROTO) | BIT(FIELD_SRC_VERSION)));
	/* An object: all of its fields, in table order. */
	CHECK(field_selection_parse(&s, "proc.parent", &err) == 0);
	CHECK(s.ncolumns == 2 && s.columns[0] == FIELD_PARENT_COMM &&
	      s.columns[1] == FIELD_PARENT_PID);
	CHECK(field_selection_parse(&s, "comm,nosuch", &err) == -1);
	CHECK(strstr(err.msg, "unknown field \"nosuch\" in --fields") &&
	      strstr(err.msg, "proc.creds.uid (uid)"));
	CHECK(field_selection_parse(&s, "comm,,pid", &err) == -1);
	CHECK(field_selection_parse(&s, "+", &err) == -1);
	CHECK(field_selection_parse(&s, "proc.", &err) == -1);
}

int main(void)
{
	RUN(test_styles);
	RUN(test_empty);
	RUN(test_nesting);
	RUN(test_node);
	RUN(test_selection);
	UNIT_EXIT();
}
