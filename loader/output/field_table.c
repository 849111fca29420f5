// SPDX-License-Identifier: GPL-2.0-only
/* The fields of an event (see field_table.h). */
#include "output/field_table.h"

#include <limits.h>
#include <strings.h>

#include "containers/container_id.h"
#include "output/address.h"
#include "output/fields.h"
#include "tt_filter.h"

/* How a field is read. */
enum field_kind {
	KIND_UNSIGNED,		/* an unsigned member of tt_event */
	KIND_SIGNED,		/* a signed one */
	KIND_COMM,		/* a comm member */
	KIND_CONTAINER,		/* a string member of container_info */
	KIND_NODE,		/* the node's name (--node) */
	KIND_TIMESTAMP,
	KIND_TYPE,
	KIND_ERROR,
	KIND_ADDRESS,		/* saddr or daddr */
	KIND_ENDPOINT,		/* saddr or daddr, and the port after it */
	KIND_PROTO,
	KIND_VERSION,
	KIND_DURATION,		/* an unsigned nanoseconds member */
};

#define EV(member) offsetof(struct tt_event, member)
#define CI(member) offsetof(struct container_info, member)
#define SIZE(member) sizeof(((struct tt_event *)0)->member)

#define NUMBER(member, signedness)                                         \
	.kind = signedness, .compare = COMPARE_NUMBER, .at = EV(member),   \
	.size = SIZE(member), .align = ALIGN_RIGHT

#define CONTAINER(member)                                                  \
	.kind = KIND_CONTAINER, .compare = COMPARE_STRING, .at = CI(member)

/* key_at: where the key starts in the path, after its object's. */
const struct field_def field_table[FIELD_COUNT] = {
	[FIELD_TIMESTAMP] = { .path = "timestamp", .title = "TIMESTAMP",
		.kind = KIND_TIMESTAMP, .compare = COMPARE_STRING,
		.width = 30 },
	[FIELD_CONTAINER_NAME] = { .path = "runtime.containerName",
		.title = "RUNTIME.CONTAINERNAME", .object = OBJECT_RUNTIME,
		.key_at = 8, CONTAINER(name), .width = 21 },
	[FIELD_CONTAINER_ID] = { .path = "runtime.containerId",
		.title = "RUNTIME.CONTAINERID", .object = OBJECT_RUNTIME,
		.key_at = 8, CONTAINER(id), .width = 12 },
	[FIELD_RUNTIME_NAME] = { .path = "runtime.runtimeName",
		.title = "RUNTIME.RUNTIMENAME", .object = OBJECT_RUNTIME,
		.key_at = 8, CONTAINER(runtime), .width = 10 },
	[FIELD_IMAGE_NAME] = { .path = "runtime.containerImageName",
		.title = "RUNTIME.CONTAINERIMAGENAME",
		.object = OBJECT_RUNTIME, .key_at = 8, CONTAINER(image),
		.width = 20 },
	[FIELD_K8S_NODE] = { .path = "k8s.node", .title = "K8S.NODE",
		.object = OBJECT_K8S, .key_at = 4, .kind = KIND_NODE,
		.compare = COMPARE_STRING, .width = 16 },
	[FIELD_K8S_NAMESPACE] = { .path = "k8s.namespace",
		.title = "K8S.NAMESPACE", .object = OBJECT_K8S, .key_at = 4,
		CONTAINER(k8s_namespace), .width = 16 },
	[FIELD_K8S_POD] = { .path = "k8s.podName", .title = "K8S.PODNAME",
		.object = OBJECT_K8S, .key_at = 4, CONTAINER(k8s_pod),
		.width = 16 },
	[FIELD_K8S_CONTAINER] = { .path = "k8s.containerName",
		.title = "K8S.CONTAINERNAME", .object = OBJECT_K8S,
		.key_at = 4, CONTAINER(k8s_container), .width = 17 },
	[FIELD_K8S_LABELS] = { .path = "k8s.podLabels",
		.title = "K8S.PODLABELS", .object = OBJECT_K8S, .key_at = 4,
		CONTAINER(k8s_labels), .width = 20 },
	[FIELD_TYPE] = { .path = "type", .title = "TYPE", .kind = KIND_TYPE,
		.compare = COMPARE_NAME, .kernel = TT_FF_TYPE, .width = 8 },
	[FIELD_ERROR] = { .path = "error", .title = "ERROR",
		.kind = KIND_ERROR, .compare = COMPARE_NAME,
		.kernel = TT_FF_ERROR },
	[FIELD_FD] = { .path = "fd", .title = "FD", NUMBER(fd, KIND_SIGNED),
		.width = 4 },
	[FIELD_ACCEPT_FD] = { .path = "accept_fd", .title = "ACCEPT_FD",
		NUMBER(accept_fd, KIND_SIGNED), .width = 9 },
	[FIELD_NETNS] = { .path = "netns_id", .title = "NETNS_ID",
		NUMBER(netns_id, KIND_UNSIGNED), .width = 10 },
	[FIELD_COMM] = { .path = "proc.comm", .alias = "comm",
		.title = "COMM", .object = OBJECT_PROC, .key_at = 5,
		.kind = KIND_COMM, .compare = COMPARE_STRING,
		.kernel = TT_FF_COMM, .at = EV(comm), .width = TT_COMM_LEN },
	[FIELD_PID] = { .path = "proc.pid", .alias = "pid", .title = "PID",
		.object = OBJECT_PROC, .key_at = 5,
		NUMBER(pid, KIND_UNSIGNED), .kernel = TT_FF_PID, .width = 7 },
	[FIELD_TID] = { .path = "proc.tid", .alias = "tid", .title = "TID",
		.object = OBJECT_PROC, .key_at = 5,
		NUMBER(tid, KIND_UNSIGNED), .kernel = TT_FF_TID, .width = 7 },
	[FIELD_UID] = { .path = "proc.creds.uid", .alias = "uid",
		.title = "UID", .object = OBJECT_CREDS, .key_at = 11,
		NUMBER(uid, KIND_UNSIGNED), .kernel = TT_FF_UID, .width = 6 },
	[FIELD_GID] = { .path = "proc.creds.gid", .alias = "gid",
		.title = "GID", .object = OBJECT_CREDS, .key_at = 11,
		NUMBER(gid, KIND_UNSIGNED), .kernel = TT_FF_GID, .width = 6 },
	[FIELD_MNTNS] = { .path = "proc.mntns_id", .alias = "mntns_id",
		.title = "MNTNS_ID", .object = OBJECT_PROC, .key_at = 5,
		NUMBER(mntns_id, KIND_UNSIGNED), .width = 10 },
	[FIELD_PARENT_COMM] = { .path = "proc.parent.comm", .alias = "pcomm",
		.title = "PCOMM", .object = OBJECT_PARENT, .key_at = 12,
		.kind = KIND_COMM, .compare = COMPARE_STRING, .at = EV(pcomm),
		.width = TT_COMM_LEN },
	[FIELD_PARENT_PID] = { .path = "proc.parent.pid", .alias = "ppid",
		.title = "PPID", .object = OBJECT_PARENT, .key_at = 12,
		NUMBER(ppid, KIND_UNSIGNED), .width = 7 },
	[FIELD_SRC] = { .path = "src", .title = "SRC", .object = OBJECT_SRC,
		.kind = KIND_ENDPOINT,
		.compare = COMPARE_NONE, .at = EV(saddr), .width = 25,
		.flags = FIELD_COLUMN_ONLY },
	[FIELD_SRC_ADDR] = { .path = "src.addr", .title = "SRC.ADDR",
		.object = OBJECT_SRC, .key_at = 4, .kind = KIND_ADDRESS,
		.compare = COMPARE_ADDRESS, .kernel = TT_FF_SADDR,
		.at = EV(saddr), .width = 15 },
	[FIELD_SRC_PORT] = { .path = "src.port", .title = "SRC.PORT",
		.object = OBJECT_SRC, .key_at = 4,
		NUMBER(sport, KIND_UNSIGNED), .kernel = TT_FF_SPORT,
		.width = 8 },
	[FIELD_SRC_PROTO] = { .path = "src.proto", .title = "SRC.PROTO",
		.object = OBJECT_SRC, .key_at = 4, .kind = KIND_PROTO,
		.compare = COMPARE_STRING, .width = 9 },
	[FIELD_SRC_VERSION] = { .path = "src.version", .title = "SRC.VERSION",
		.object = OBJECT_SRC, .key_at = 4, .kind = KIND_VERSION,
		.compare = COMPARE_NUMBER, .align = ALIGN_RIGHT, .width = 11 },
	[FIELD_DST] = { .path = "dst", .title = "DST", .object = OBJECT_DST,
		.kind = KIND_ENDPOINT,
		.compare = COMPARE_NONE, .at = EV(daddr), .width = 25,
		.flags = FIELD_COLUMN_ONLY },
	[FIELD_DST_ADDR] = { .path = "dst.addr", .title = "DST.ADDR",
		.object = OBJECT_DST, .key_at = 4, .kind = KIND_ADDRESS,
		.compare = COMPARE_ADDRESS, .kernel = TT_FF_DADDR,
		.at = EV(daddr), .width = 15 },
	[FIELD_DST_PORT] = { .path = "dst.port", .title = "DST.PORT",
		.object = OBJECT_DST, .key_at = 4,
		NUMBER(dport, KIND_UNSIGNED), .kernel = TT_FF_DPORT,
		.width = 8 },
	[FIELD_DST_PROTO] = { .path = "dst.proto", .title = "DST.PROTO",
		.object = OBJECT_DST, .key_at = 4, .kind = KIND_PROTO,
		.compare = COMPARE_STRING, .width = 9 },
	[FIELD_DST_VERSION] = { .path = "dst.version", .title = "DST.VERSION",
		.object = OBJECT_DST, .key_at = 4, .kind = KIND_VERSION,
		.compare = COMPARE_NUMBER, .align = ALIGN_RIGHT, .width = 11 },
	[FIELD_DURATION] = { .path = "duration", .title = "DURATION",
		NUMBER(duration_ns, KIND_DURATION), .width = 10 },
	[FIELD_SENT_BYTES] = { .path = "sent_bytes", .title = "SENT_BYTES",
		NUMBER(sent_bytes, KIND_UNSIGNED), .width = 10 },
	[FIELD_RECEIVED_BYTES] = { .path = "received_bytes",
		.title = "RECEIVED_BYTES",
		NUMBER(received_bytes, KIND_UNSIGNED), .width = 14 },
};

const struct field_object_def field_objects[OBJECT_COUNT] = {
	[OBJECT_ROOT] = { NULL, OBJECT_ROOT, 0 },
	[OBJECT_RUNTIME] = { "runtime", OBJECT_ROOT, 1 },
	[OBJECT_K8S] = { "k8s", OBJECT_ROOT, 1 },
	[OBJECT_PROC] = { "proc", OBJECT_ROOT, 1 },
	[OBJECT_CREDS] = { "creds", OBJECT_PROC, 2 },
	[OBJECT_PARENT] = { "parent", OBJECT_PROC, 2 },
	[OBJECT_SRC] = { "src", OBJECT_ROOT, 1 },
	[OBJECT_DST] = { "dst", OBJECT_ROOT, 1 },
};

static int name_is(const char *want, const char *name, size_t len)
{
	return want && strlen(want) == len && !strncasecmp(want, name, len);
}

int field_find(const char *name, size_t len)
{
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (name_is(field_table[i].path, name, len) ||
		    name_is(field_table[i].alias, name, len))
			return i;
	}
	return -1;
}

static const char *container_string(const struct field_def *f,
				    const struct field_event *fe)
{
	return fe->c ? (const char *)fe->c + f->at : "";
}

static unsigned long long member(const struct field_def *f,
				 const struct tt_event *e)
{
	const char *p = (const char *)e + f->at;

	switch (f->size) {
	case 2:
		return *(const __u16 *)p;
	case 4:
		return f->kind == KIND_SIGNED ?
		       (unsigned long long)(long long)*(const __s32 *)p :
		       *(const __u32 *)p;
	default:
		return *(const __u64 *)p;
	}
}

int field_always_present(enum field_id id)
{
	switch (id) {
	case FIELD_NETNS:
	case FIELD_MNTNS:
	case FIELD_PARENT_COMM:
	case FIELD_PARENT_PID:
	case FIELD_DURATION:
	case FIELD_SENT_BYTES:
	case FIELD_RECEIVED_BYTES:
	case FIELD_K8S_NODE:
		return 0;
	default:
		return field_table[id].kind != KIND_CONTAINER;
	}
}

int field_present(enum field_id id, const struct field_event *fe)
{
	const struct field_def *f = &field_table[id];
	const struct tt_event *e = fe->e;

	switch (id) {
	case FIELD_NETNS:
		return (e->known & TT_KNOWN_NETNS) && e->netns_id;
	case FIELD_MNTNS:
		return (e->known & TT_KNOWN_MNTNS) && e->mntns_id;
	case FIELD_PARENT_COMM:
	case FIELD_PARENT_PID:
		return e->known & TT_KNOWN_PARENT;
	case FIELD_DURATION:
		return e->known & TT_KNOWN_DURATION;
	case FIELD_SENT_BYTES:
	case FIELD_RECEIVED_BYTES:
		return e->known & TT_KNOWN_BYTES;
	case FIELD_K8S_NODE:
		return fe->node && fe->node[0];
	default:
		return f->kind != KIND_CONTAINER ||
		       container_string(f, fe)[0];
	}
}

/* The shown IP version: a v4-mapped address is IPv4. */
static int shown_version(const struct tt_event *e)
{
	static const __u8 v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

	return e->family == 6 && memcmp(e->saddr, v4_mapped, 12) ? 6 : 4;
}

long long field_number(enum field_id id, const struct field_event *fe)
{
	const struct field_def *f = &field_table[id];

	switch (f->kind) {
	case KIND_TYPE:
		return fe->e->type;
	case KIND_ERROR:
		return fe->e->error;
	case KIND_VERSION:
		return shown_version(fe->e);
	default:
		return (long long)member(f, fe->e);
	}
}

int field_address(enum field_id id, const struct field_event *fe,
		  __u8 addr[16])
{
	const __u8 *a = (const __u8 *)fe->e + field_table[id].at;

	memset(addr, 0, 16);
	if (fe->e->family == 6 && shown_version(fe->e) == 6) {
		memcpy(addr, a, 16);
		return 6;
	}
	memcpy(addr, fe->e->family == 6 ? a + 12 : a, 4);
	return 4;
}

int field_is_string(enum field_id id)
{
	return field_table[id].compare != COMPARE_NUMBER;
}

int field_of_container(enum field_id id)
{
	return field_table[id].kind == KIND_CONTAINER;
}

int field_is_free_text(enum field_id id)
{
	return field_table[id].kind == KIND_COMM ||
	       field_table[id].kind == KIND_CONTAINER;
}

int field_number_range(enum field_id id, long long *min, long long *max)
{
	const struct field_def *f = &field_table[id];
	int bits = 8 * f->size;

	if (f->compare != COMPARE_NUMBER || !f->size)
		return -1;
	if (f->kind == KIND_SIGNED) {
		*max = (long long)(~0ULL >> (65 - bits));
		*min = -*max - 1;
	} else {
		*max = bits >= 64 ? LLONG_MAX : (long long)(~0ULL >> (64 - bits));
		*min = 0;
	}
	return 0;
}

size_t field_text_max(enum field_id id)
{
	return field_table[id].kind == KIND_COMM ? TT_COMM_LEN - 1 : 0;
}

void field_put_text(struct text *t, enum field_id id,
		    const struct field_event *fe)
{
	const struct field_def *f = &field_table[id];
	const struct tt_event *e = fe->e;
	const char *s;

	switch (f->kind) {
	case KIND_COMM:
		s = (const char *)e + f->at;
		put_bytes(t, s, comm_length(s));
		break;
	case KIND_CONTAINER:
		put_str(t, container_string(f, fe));
		break;
	case KIND_NODE:
		put_str(t, fe->node ? fe->node : "");
		break;
	case KIND_TIMESTAMP:
		/* Wrapping add: garbage input must not be signed overflow. */
		put_timestamp(t, (long long)(e->timestamp_ns +
				(unsigned long long)fe->realtime_offset_ns));
		break;
	case KIND_TYPE:
		put_type(t, e->type);
		break;
	case KIND_ERROR:
		put_error(t, e->error);
		break;
	case KIND_ADDRESS:
		put_address(t, e->family, (const __u8 *)e + f->at);
		break;
	case KIND_ENDPOINT:
		put_endpoint(t, e->family, (const __u8 *)e + f->at,
			     f->at == EV(saddr) ? e->sport : e->dport);
		break;
	case KIND_PROTO:
		put_lit(t, "TCP");
		break;
	case KIND_SIGNED:
		put_int(t, (long long)member(f, e));
		break;
	case KIND_VERSION:
		put_char(t, (char)('0' + shown_version(e)));
		break;
	default:	/* KIND_UNSIGNED, KIND_DURATION */
		put_uint(t, member(f, e));
	}
}

/* 1.234ms: three decimals of the largest unit that is at least 1. */
static void put_duration(struct text *t, unsigned long long ns)
{
	static const char units[][3] = { "ns", "us", "ms", "s" };
	unsigned long long scale = 1;
	unsigned int u = 0;

	while (u < 3 && ns / scale >= 1000) {
		scale *= 1000;
		u++;
	}
	put_uint(t, ns / scale);
	if (u) {
		put_char(t, '.');
		put_uint_width(t, (ns % scale) / (scale / 1000), 3);
	}
	put_str(t, units[u]);
}

void field_put_column(struct text *t, enum field_id id,
		      const struct field_event *fe)
{
	const struct field_def *f = &field_table[id];
	size_t start = t->len;

	if (!field_present(id, fe)) {
		/* A container not found in any runtime's state: its id. */
		if (id == FIELD_CONTAINER_NAME && fe->c)
			put_printable(t, fe->c->id,
				      strnlen(fe->c->id,
					      CONTAINER_SHORT_ID_LEN));
		return;
	}
	if (f->kind == KIND_DURATION) {
		put_duration(t, fe->e->duration_ns);
		return;
	}
	field_put_text(t, id, fe);
	if (field_is_free_text(id) && !t->overflow) {
		/* For a terminal: unprintable bytes as '?'. */
		for (size_t i = start; i < t->len; i++) {
			unsigned char c = (unsigned char)t->buf[i];

			if (c < 0x20 || c >= 0x7f)
				t->buf[i] = '?';
		}
	}
}
