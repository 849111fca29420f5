/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every field an event has, in one table: its name (the JSON path, as
 * Inspektor Gadget spells it, and a short alias), its column, and how
 * its value is read, written and compared. The columns, the JSON and
 * YAML writers, --fields and -F all work from this table.
 */
#ifndef TT_OUTPUT_FIELD_TABLE_H
#define TT_OUTPUT_FIELD_TABLE_H

#include <linux/types.h>
#include <stddef.h>

#include "containers/runtime_state.h"
#include "output/text.h"
#include "trace_tcp.h"

/* One event and what user space knows about it. */
struct field_event {
	const struct tt_event *e;
	const struct container_info *c;		/* NULL: the host */
	long long realtime_offset_ns;		/* monotonic -> epoch */
	const char *node;	/* --node: this node's name; NULL: none */
};

/* In output order: the JSON key order of Inspektor Gadget's trace_tcp. */
enum field_id {
	FIELD_TIMESTAMP,
	FIELD_CONTAINER_NAME,
	FIELD_CONTAINER_ID,
	FIELD_RUNTIME_NAME,
	FIELD_IMAGE_NAME,
	FIELD_K8S_NODE,		/* --node's, for every event */
	FIELD_K8S_NAMESPACE,
	FIELD_K8S_POD,
	FIELD_K8S_CONTAINER,
	FIELD_K8S_LABELS,	/* "key=value,..." */
	FIELD_TYPE,
	FIELD_ERROR,
	FIELD_FD,
	FIELD_ACCEPT_FD,
	FIELD_NETNS,
	FIELD_COMM,
	FIELD_PID,
	FIELD_TID,
	FIELD_UID,
	FIELD_GID,
	FIELD_MNTNS,
	FIELD_PARENT_COMM,
	FIELD_PARENT_PID,
	FIELD_SRC,		/* columns only: "addr:port" */
	FIELD_SRC_ADDR,
	FIELD_SRC_PORT,
	FIELD_SRC_PROTO,
	FIELD_SRC_VERSION,
	FIELD_DST,		/* columns only */
	FIELD_DST_ADDR,
	FIELD_DST_PORT,
	FIELD_DST_PROTO,
	FIELD_DST_VERSION,
	FIELD_DURATION,
	FIELD_SENT_BYTES,
	FIELD_RECEIVED_BYTES,
	FIELD_COUNT
};

/* How a field's value is compared by -F. */
enum field_compare {
	COMPARE_NUMBER,		/* field_number(), signed 64-bit */
	COMPARE_STRING,		/* field_put_text(), byte order */
	COMPARE_ADDRESS,	/* field_address(): equal or in a CIDR */
	COMPARE_NAME,		/* a name (type, error): equal or not */
	COMPARE_NONE,		/* not a value (src, dst: use .addr, .port) */
};

/* The JSON objects that hold fields; an object's parent comes first. */
enum field_object {
	OBJECT_ROOT,
	OBJECT_RUNTIME,
	OBJECT_K8S,
	OBJECT_PROC,
	OBJECT_CREDS,		/* proc.creds */
	OBJECT_PARENT,		/* proc.parent */
	OBJECT_SRC,
	OBJECT_DST,
	OBJECT_COUNT
};

struct field_object_def {
	const char *key;
	unsigned char parent;	/* enum field_object */
	unsigned char depth;	/* the root's members are at depth 1 */
};

enum field_align { ALIGN_LEFT, ALIGN_RIGHT };

/* field_def.flags */
#define FIELD_COLUMN_ONLY (1 << 0)	/* not a JSON key (src, dst) */

struct field_def {
	const char *path;	/* "proc.creds.uid" */
	const char *alias;	/* "uid", or NULL */
	const char *title;	/* its column's title */
	unsigned char object;	/* enum field_object holding its key (a
				 * column-only field: that it shows) */
	unsigned char key_at;	/* path + key_at is its key */
	unsigned char kind;	/* how it is read (field_table.c) */
	unsigned char compare;	/* enum field_compare */
	unsigned char kernel;	/* enum tt_filter_field, 0 if none */
	unsigned char width;	/* column width, at least */
	unsigned char align;	/* enum field_align */
	unsigned char flags;	/* FIELD_* */
	unsigned short at;	/* offset in tt_event or container_info */
	unsigned char size;	/* of a number member, in bytes */
};

extern const struct field_def field_table[FIELD_COUNT];
extern const struct field_object_def field_objects[OBJECT_COUNT];

/* The field named by path or alias (case-insensitive), or -1. */
int field_find(const char *name, size_t len);

/* Is it a container's (runtime.*, k8s.*: none for the host's events)? */
int field_of_container(enum field_id id);

/* Does every event have the field? */
int field_always_present(enum field_id id);

/* Does this event have the field? (A close's duration, a container's
 * name, a namespace id the kernel could read...) */
int field_present(enum field_id id, const struct field_event *fe);

/* COMPARE_NUMBER fields; also a type's enum tt_event_type value and an
 * error's tt_event.error. */
long long field_number(enum field_id id, const struct field_event *fe);

/* COMPARE_ADDRESS fields: the address as shown, 4 (IPv4 in the first 4
 * bytes, v4-mapped IPv6 included) or 6, into addr. */
int field_address(enum field_id id, const struct field_event *fe,
		  __u8 addr[16]);

/* The value as text, unescaped: what -F's string and regular expression
 * rules see, and (escaped) what JSON holds as a string. Columns show a
 * duration in a human unit (field_put_column). */
void field_put_text(struct text *t, enum field_id id,
		    const struct field_event *fe);

/* Is the JSON value a string (quoted), or a number? */
int field_is_string(enum field_id id);

/* Can its text hold any byte (a comm, a container's strings), so that a
 * JSON string of it must be escaped? */
int field_is_free_text(enum field_id id);

/* The values a COMPARE_NUMBER field can hold: 0 and [*min, *max], or
 * -1 if it is not a member of fixed size (an IP version). */
int field_number_range(enum field_id id, long long *min, long long *max);

/* The most bytes a value of the field holds (a command name: the
 * kernel's 15), 0 for no limit. */
size_t field_text_max(enum field_id id);

/* A column's cell: field_put_text for a terminal (unprintable bytes
 * '?'), an endpoint as addr:port, a duration as 1.234ms. */
void field_put_column(struct text *t, enum field_id id,
		      const struct field_event *fe);

#endif
