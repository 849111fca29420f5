// SPDX-License-Identifier: GPL-2.0-only
/* The shape trace_tcp promises: keys, types, order, value forms. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "events.h"

static const struct schema_key {
	const char *key;
	char kind;		/* 's' string, 'i' integer */
	char required;
} schema[] = {		/* in output order */
	{ "timestamp", 's', 1 }, { "type", 's', 1 }, { "error", 's', 1 },
	{ "fd", 'i', 1 }, { "accept_fd", 'i', 1 }, { "netns_id", 'i', 0 },
	{ "proc.comm", 's', 1 }, { "proc.pid", 'i', 1 }, { "proc.tid", 'i', 1 },
	{ "proc.creds.uid", 'i', 1 }, { "proc.creds.gid", 'i', 1 },
	{ "proc.mntns_id", 'i', 0 }, { "proc.parent.comm", 's', 0 },
	{ "proc.parent.pid", 'i', 0 },
	{ "src.addr", 's', 1 }, { "src.port", 'i', 1 }, { "src.proto", 's', 1 },
	{ "src.version", 'i', 1 },
	{ "dst.addr", 's', 1 }, { "dst.port", 'i', 1 }, { "dst.proto", 's', 1 },
	{ "dst.version", 'i', 1 },
	{ "duration", 'i', 0 }, { "sent_bytes", 'i', 0 },
	{ "received_bytes", 'i', 0 },
};
#define SCHEMA_KEYS ((int)(sizeof schema / sizeof schema[0]))

static int schema_index(const char *key)
{
	int i;

	for (i = 0; i < SCHEMA_KEYS; i++)
		if (!strcmp(schema[i].key, key))
			return i;
	return -1;
}

static long long event_int(const struct event *ev, const char *key)
{
	const char *v = event_get(ev, key);

	return v ? strtoll(v, NULL, 10) : 0;
}

/* "2026-11-25T01:02:03.123456789Z" */
static int timestamp_ok(const char *ts)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddddZ";
	size_t i;

	if (strlen(ts) != sizeof shape - 1)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)ts[i]) : ts[i] != shape[i])
			return 0;
	return 1;
}

/* "" (success), an errno name, or "unknown": a failure whose errno the
 * kernel did not tell (TT_ERROR_UNKNOWN). */
static int error_name_ok(const char *e)
{
	if (!*e || !strcmp(e, "unknown"))
		return 1;
	if (e[0] != 'E' || !e[1])
		return 0;
	for (e++; *e; e++)
		if (!isupper((unsigned char)*e) && !isdigit((unsigned char)*e))
			return 0;
	return 1;
}

static const char *endpoint_problem(const struct event *ev, const char *side)
{
	char key[32];
	const char *addr, *proto;
	unsigned char buf[16];
	long long version, port;

	snprintf(key, sizeof key, "%s.addr", side);
	addr = event_get(ev, key);
	snprintf(key, sizeof key, "%s.proto", side);
	proto = event_get(ev, key);
	snprintf(key, sizeof key, "%s.version", side);
	version = event_int(ev, key);
	snprintf(key, sizeof key, "%s.port", side);
	port = event_int(ev, key);
	if (strcmp(proto, "TCP"))
		return "proto is not \"TCP\"";
	if (port < 0 || port > 65535)
		return "port out of range";
	if (version == 4)
		return inet_pton(AF_INET, addr, buf) == 1 ? NULL : "not an IPv4 address";
	if (version != 6)
		return "version is neither 4 nor 6";
	if (inet_pton(AF_INET6, addr, buf) != 1)
		return "not an IPv6 address";
	if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)buf))
		return "IPv4-mapped address reported as version 6";
	return NULL;
}

/* Each key of the schema with its type, in order; the required ones there. */
static const char *keys_problem(const struct event *ev, char *buf, size_t cap)
{
	int i, idx, last = -1;

	for (i = 0; i < ev->n_fields; i++) {
		idx = schema_index(ev->fields[i].key);
		if (idx < 0)
			continue;
		if ((schema[idx].kind == 's') != ev->fields[i].is_string) {
			snprintf(buf, cap, "%s should be %s", schema[idx].key,
				 schema[idx].kind == 's' ? "a string" : "an integer");
			return buf;
		}
		if (idx < last) {
			snprintf(buf, cap, "%s out of order", schema[idx].key);
			return buf;
		}
		last = idx;
	}
	for (i = 0; i < SCHEMA_KEYS; i++)
		if (schema[i].required && !event_field(ev, schema[i].key)) {
			snprintf(buf, cap, "missing %s", schema[i].key);
			return buf;
		}
	return NULL;
}

/* A close's duration and bytes: on closes only, not negative, the two
 * byte counts together. */
static const char *lifetime_problem(const struct event *ev, const char *type)
{
	int sent = event_field(ev, "sent_bytes") != NULL;
	int received = event_field(ev, "received_bytes") != NULL;

	if (strcmp(type, "close") &&
	    (event_field(ev, "duration") || sent || received))
		return "duration and bytes belong to close events only";
	if (sent != received)
		return "sent_bytes and received_bytes go together";
	if (event_int(ev, "duration") < 0 || event_int(ev, "sent_bytes") < 0 ||
	    event_int(ev, "received_bytes") < 0)
		return "duration or bytes negative";
	return NULL;
}

/* The values outside src and dst; every required key is there. */
static const char *values_problem(const struct event *ev)
{
	const char *type = event_get(ev, "type");
	/* -1 on accept: the fallback's, or an accept blocked before the
	 * start whose sys_exit never came (its expectation says which) */
	int accept_fd_min = fallback_mode || blocked_accept_fd_unknown ? -1 : 0;

	if (strcmp(type, "connect") && strcmp(type, "accept") && strcmp(type, "close"))
		return "unknown type";
	if (!timestamp_ok(event_get(ev, "timestamp")))
		return "timestamp not like 2026-11-25T01:02:03.123456789Z";
	if (!error_name_ok(event_get(ev, "error")))
		return "error is neither \"\", an errno name nor \"unknown\"";
	if (event_int(ev, "fd") < -1)
		return "fd below -1";
	if (strcmp(type, "accept") ? event_int(ev, "accept_fd") != -1
				   : event_int(ev, "accept_fd") < accept_fd_min)
		return "accept_fd must be -1 except on accept, where it is an fd";
	if (event_int(ev, "proc.pid") <= 0 || event_int(ev, "proc.tid") <= 0)
		return "pid or tid not positive";
	if (!event_field(ev, "proc.parent.pid") != !event_field(ev, "proc.parent.comm"))
		return "proc.parent needs both comm and pid";
	return lifetime_problem(ev, type);
}

/* NULL if ev has the promised shape, else what is wrong (in buf). */
const char *schema_problem(const struct event *ev, char *buf, size_t cap)
{
	const char *problem;

	if ((problem = keys_problem(ev, buf, cap)) != NULL ||
	    (problem = values_problem(ev)) != NULL)
		return problem;
	if ((problem = endpoint_problem(ev, "src")) != NULL) {
		snprintf(buf, cap, "src: %s", problem);
		return buf;
	}
	if ((problem = endpoint_problem(ev, "dst")) != NULL) {
		snprintf(buf, cap, "dst: %s", problem);
		return buf;
	}
	return NULL;
}
