// SPDX-License-Identifier: GPL-2.0-only
/* --fields (see select.h). */
#include "output/select.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Inspektor Gadget's trace_tcp columns: ig's, then kubectl gadget's. */
static const unsigned char local_columns[] = {
	FIELD_CONTAINER_NAME, FIELD_SRC, FIELD_DST, FIELD_COMM, FIELD_PID,
	FIELD_TID, FIELD_UID, FIELD_GID, FIELD_TYPE, FIELD_ERROR,
};
static const unsigned char kubernetes_columns[] = {
	FIELD_K8S_NODE, FIELD_K8S_NAMESPACE, FIELD_K8S_POD,
	FIELD_K8S_CONTAINER, FIELD_SRC, FIELD_DST, FIELD_COMM, FIELD_PID,
	FIELD_TID, FIELD_UID, FIELD_GID, FIELD_TYPE, FIELD_ERROR,
};

#define BIT(id) ((uint64_t)1 << (id))

/* The JSON keys a column stands for: an endpoint is its object's keys. */
static uint64_t keys_of(enum field_id id)
{
	uint64_t keys = 0;

	if (!(field_table[id].flags & FIELD_COLUMN_ONLY))
		return BIT(id);
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (field_table[i].object == field_table[id].object &&
		    !(field_table[i].flags & FIELD_COLUMN_ONLY))
			keys |= BIT(i);
	}
	return keys;
}

void field_selection_default(struct field_selection *s,
			     enum fields_default which)
{
	if (which == FIELDS_KUBERNETES) {
		memcpy(s->columns, kubernetes_columns,
		       sizeof(kubernetes_columns));
		s->ncolumns = sizeof(kubernetes_columns);
	} else {
		memcpy(s->columns, local_columns, sizeof(local_columns));
		s->ncolumns = sizeof(local_columns);
	}
	s->keys = ~(uint64_t)0 >> (64 - FIELD_COUNT);
	s->given = 0;
}

static void add_column(struct field_selection *s, int id)
{
	for (unsigned int i = 0; i < s->ncolumns; i++) {
		if (s->columns[i] == id)
			return;
	}
	s->columns[s->ncolumns++] = (unsigned char)id;
}

static void remove_column(struct field_selection *s, int id)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < s->ncolumns; i++) {
		if (s->columns[i] != id)
			s->columns[kept++] = s->columns[i];
	}
	s->ncolumns = kept;
}

/* The fields an object name stands for (proc: proc.comm, proc.pid...),
 * as a mask; 0 if name is no object. */
static uint64_t object_fields(const char *name, size_t len)
{
	uint64_t fields = 0;

	for (int i = 0; i < FIELD_COUNT; i++) {
		const struct field_def *f = &field_table[i];

		if (!(f->flags & FIELD_COLUMN_ONLY) &&
		    strlen(f->path) > len && f->path[len] == '.' &&
		    !strncasecmp(f->path, name, len))
			fields |= BIT(i);
	}
	return fields;
}

static int unknown_field(const char *name, size_t len, struct tt_err *err)
{
	char names[1024];

	field_names(names, sizeof(names));
	return tt_fail(err, "unknown field \"%.*s\" in --fields; fields: %s",
		       (int)len, name, names);
}

/* Add (sign '+' or none) or remove ('-') the field or object name. */
static int apply_name(struct field_selection *s, char sign, const char *name,
		      size_t len, struct tt_err *err)
{
	int id = field_find(name, len);
	uint64_t fields = id >= 0 ? BIT(id) : object_fields(name, len);

	if (!len || !fields)
		return unknown_field(name, len, err);
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (!(fields & BIT(i)))
			continue;
		if (sign == '-') {
			remove_column(s, i);
			s->keys &= ~keys_of(i);
		} else {
			add_column(s, i);
			s->keys |= keys_of(i);
		}
	}
	return 0;
}

int field_selection_parse(struct field_selection *s, const char *spec,
			  struct tt_err *err)
{
	if (spec[0] != '+' && spec[0] != '-') {
		s->ncolumns = 0;
		s->keys = 0;
	}
	for (const char *p = spec;; p++) {
		size_t len = strcspn(p, ",");
		char sign = *p == '+' || *p == '-' ? *p : 0;

		if (apply_name(s, sign, p + !!sign, len - !!sign, err))
			return -1;
		p += len;
		if (!*p)
			break;
	}
	s->given = 1;
	return 0;
}

void field_names(char *buf, size_t buflen)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < FIELD_COUNT && used < buflen; i++) {
		const struct field_def *f = &field_table[i];
		int n = snprintf(buf + used, buflen - used, "%s%s%s%s%s",
				 i ? ", " : "", f->path,
				 f->alias ? " (" : "",
				 f->alias ? f->alias : "",
				 f->alias ? ")" : "");

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int field_selection_shows(const struct field_selection *s, int columns,
			  enum field_id field)
{
	if (!columns)
		return (int)(s->keys >> field & 1);
	for (unsigned int i = 0; i < s->ncolumns; i++)
		if (s->columns[i] == field)
			return 1;
	return 0;
}
