// SPDX-License-Identifier: GPL-2.0-only
/* Container filters (see filter.h). */
#include "containers/filter.h"

#include <stdio.h>
#include <string.h>

int container_filter_add(struct container_filter *f, const char *list,
			 struct tt_err *err)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		int exclude = n > 0 && p[0] == '!';
		const char *name = p + exclude;
		size_t name_len = n - (size_t)exclude;

		if (name_len == 0) {
			return tt_fail(err, "empty container name in \"%s\"",
				       list);
		}
		if (name_len >= CONTAINER_NAME_MAX) {
			return tt_fail(err, "container name too long");
		}
		if (f->count == CONTAINER_FILTER_MAX) {
			return tt_fail(err, "more than %d container names",
				       CONTAINER_FILTER_MAX);
		}
		memcpy(f->names[f->count], name, name_len);
		f->names[f->count][name_len] = '\0';
		f->excluded[f->count] = (unsigned char)exclude;
		f->any_included |= !exclude;
		f->count++;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

int container_filter_active(const struct container_filter *f)
{
	return f->count > 0 || f->containers_only;
}

static int names_container(const char *pattern, const struct container_info *c)
{
	size_t n = strlen(pattern);

	if (c->name[0] && !strcmp(pattern, c->name))
		return 1;
	return n >= CONTAINER_SHORT_ID_LEN && n <= sizeof(c->id) - 1 &&
	       !strncmp(pattern, c->id, n);
}

int container_filter_shows(const struct container_filter *f,
			   const struct container_info *c)
{
	int included = 0;

	if (!c)		/* the host has no name: only "!NAME" lets it through */
		return !f->containers_only && !f->any_included;
	for (unsigned int i = 0; i < f->count; i++) {
		if (!names_container(f->names[i], c))
			continue;
		if (f->excluded[i])
			return 0;
		included = 1;
	}
	return included || !f->any_included;
}
