// SPDX-License-Identifier: GPL-2.0-only
/*
 * One event as one JSON object, with Inspektor Gadget's trace_tcp key
 * names: {"timestamp":..., "runtime":{...}, "k8s":{...}, "type":...,
 * "error":..., "fd":..., "proc":{...}, "src":{...}, "dst":{...}}.
 */
#include "output/output.h"

#include <string.h>

#include "output/address.h"
#include "output/fields.h"
#include "output/text.h"

/*
 * Bytes as a JSON string body. Any byte may occur; control bytes and
 * bytes >= 0x80 become \u00XX so the output is always valid JSON (UTF-8).
 */
static void put_json_bytes(struct text *t, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			put_char(t, '\\');
			put_char(t, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			put_lit(t, "\\u00");
			put_char(t, hex[c >> 4]);
			put_char(t, hex[c & 0xf]);
		} else {
			put_char(t, (char)c);
		}
	}
}

static void put_json_comm(struct text *t, const char comm[TT_COMM_LEN])
{
	put_json_bytes(t, comm, comm_length(comm));
}

/* ,"key":"value" when value is not empty. */
static void put_json_member(struct text *t, int *first, const char *key,
			    const char *value)
{
	if (!value[0])
		return;
	put_str(t, *first ? "\"" : ",\"");
	*first = 0;
	put_str(t, key);
	put_lit(t, "\":\"");
	put_json_bytes(t, value, strlen(value));
	put_char(t, '"');
}

/* Inspektor Gadget's "runtime" and "k8s" objects, keys only where known;
 * host events have neither. */
static void put_json_container(struct text *t, const struct container_info *c)
{
	int first = 1;

	if (!c)
		return;
	put_lit(t, ",\"runtime\":{");
	put_json_member(t, &first, "containerName", c->name);
	put_json_member(t, &first, "containerId", c->id);
	put_json_member(t, &first, "runtimeName", c->runtime);
	put_json_member(t, &first, "containerImageName", c->image);
	put_char(t, '}');
	if (!c->k8s_namespace[0] && !c->k8s_pod[0] && !c->k8s_container[0])
		return;
	first = 1;
	put_lit(t, ",\"k8s\":{");
	put_json_member(t, &first, "namespace", c->k8s_namespace);
	put_json_member(t, &first, "podName", c->k8s_pod);
	put_json_member(t, &first, "containerName", c->k8s_container);
	put_char(t, '}');
}

/* {"addr":"127.0.0.1","port":80,"proto":"TCP","version":4} */
static void put_json_endpoint(struct text *t, int family, const __u8 addr[16],
			      unsigned int port)
{
	int version;

	put_lit(t, "{\"addr\":\"");
	version = put_address(t, family, addr);
	put_lit(t, "\",\"port\":");
	put_uint(t, port);
	put_lit(t, ",\"proto\":\"TCP\",\"version\":");
	put_char(t, (char)('0' + version));
	put_char(t, '}');
}

/* "type" to "accept_fd", and netns_id when known. */
static void put_json_call(struct text *t, const struct tt_event *e)
{
	put_lit(t, ",\"type\":\"");
	put_type(t, e->type);
	put_lit(t, "\",\"error\":\"");
	put_error(t, e->error);
	put_lit(t, "\",\"fd\":");
	put_int(t, e->fd);
	put_lit(t, ",\"accept_fd\":");
	put_int(t, e->accept_fd);
	if ((e->known & TT_KNOWN_NETNS) && e->netns_id) {
		put_lit(t, ",\"netns_id\":");
		put_uint(t, e->netns_id);
	}
}

/* "proc": the task, its credentials, mount namespace and parent. */
static void put_json_proc(struct text *t, const struct tt_event *e)
{
	put_lit(t, ",\"proc\":{\"comm\":\"");
	put_json_comm(t, e->comm);
	put_lit(t, "\",\"pid\":");
	put_uint(t, e->pid);
	put_lit(t, ",\"tid\":");
	put_uint(t, e->tid);
	put_lit(t, ",\"creds\":{\"uid\":");
	put_uint(t, e->uid);
	put_lit(t, ",\"gid\":");
	put_uint(t, e->gid);
	put_char(t, '}');
	if ((e->known & TT_KNOWN_MNTNS) && e->mntns_id) {
		put_lit(t, ",\"mntns_id\":");
		put_uint(t, e->mntns_id);
	}
	if (e->known & TT_KNOWN_PARENT) {
		put_lit(t, ",\"parent\":{\"comm\":\"");
		put_json_comm(t, e->pcomm);
		put_lit(t, "\",\"pid\":");
		put_uint(t, e->ppid);
		put_char(t, '}');
	}
	put_char(t, '}');
}

int output_format_json(const struct tt_event *e,
		       const struct container_info *container,
		       long long realtime_offset_ns, char *buf, size_t buflen)
{
	struct text t = text_init(buf, buflen);

	put_lit(&t, "{\"timestamp\":\"");
	/* Wrapping add: garbage input must not be signed overflow. */
	put_timestamp(&t, (long long)(e->timestamp_ns +
				      (unsigned long long)realtime_offset_ns));
	put_char(&t, '"');
	put_json_container(&t, container);
	put_json_call(&t, e);
	put_json_proc(&t, e);
	put_lit(&t, ",\"src\":");
	put_json_endpoint(&t, e->family, e->saddr, e->sport);
	put_lit(&t, ",\"dst\":");
	put_json_endpoint(&t, e->family, e->daddr, e->dport);
	put_char(&t, '}');
	return text_finish(&t);
}
