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

static const char *const k8s_options[K8S_CRITERIA] = {
	[K8S_NAMESPACE] = "--k8s-namespace",
	[K8S_POD] = "--k8s-podname",
	[K8S_CONTAINER] = "--k8s-containername",
	[K8S_SELECTOR] = "--k8s-selector",
};

/* A selector's pair: KEY=VALUE, a key before the '=' and no second '='
 * (label keys and values hold none). */
static int is_label_pair(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);

	return eq && eq > p && !memchr(eq + 1, '=', n - (size_t)(eq - p) - 1);
}

int container_filter_add_k8s(struct container_filter *f,
			     enum k8s_criterion criterion, const char *list,
			     struct tt_err *err)
{
	const char *option = k8s_options[criterion];

	if (f->k8s_lists[criterion] == K8S_LISTS_MAX)
		return tt_fail(err, "%s given more than %d times", option,
			       K8S_LISTS_MAX);
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");

		if (n == 0)
			return tt_fail(err, "%s: an empty value in \"%s\"",
				       option, list);
		if (criterion == K8S_SELECTOR && !is_label_pair(p, n))
			return tt_fail(err, "%s: \"%.*s\" is not KEY=VALUE",
				       option, (int)n, p);
		p += n;
		if (!*p)
			break;
	}
	f->k8s[criterion][f->k8s_lists[criterion]++] = list;
	return 0;
}

static int k8s_active(const struct container_filter *f)
{
	for (int i = 0; i < K8S_CRITERIA; i++)
		if (f->k8s_lists[i])
			return 1;
	return 0;
}

int container_filter_active(const struct container_filter *f)
{
	return f->count > 0 || f->containers_only || k8s_active(f);
}

/* Is the n bytes at item one of the comma-separated values of list? */
static int list_has(const char *list, const char *item, size_t n)
{
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");

		if (len == n && !memcmp(p, item, n))
			return 1;
		p += len;
		if (!*p)
			return 0;
	}
}

/* Is value one of the criterion's values (selector: is every pair of
 * the lists among the labels, "k=v,k=v")? */
static int k8s_holds(const struct container_filter *f,
		     enum k8s_criterion criterion, const char *value)
{
	for (unsigned int i = 0; i < f->k8s_lists[criterion]; i++) {
		const char *list = f->k8s[criterion][i];

		if (criterion != K8S_SELECTOR) {
			if (list_has(list, value, strlen(value)))
				return 1;
			continue;
		}
		for (const char *p = list;; p++) {
			size_t n = strcspn(p, ",");

			if (!value[0] || !list_has(value, p, n))
				return 0;
			p += n;
			if (!*p)
				break;
		}
	}
	return criterion == K8S_SELECTOR;
}

static int k8s_shows(const struct container_filter *f,
		     const struct container_info *c)
{
	const char *values[K8S_CRITERIA] = {
		[K8S_NAMESPACE] = c->k8s_namespace,
		[K8S_POD] = c->k8s_pod,
		[K8S_CONTAINER] = c->k8s_container,
		[K8S_SELECTOR] = c->k8s_labels,
	};

	for (int i = 0; i < K8S_CRITERIA; i++)
		if (f->k8s_lists[i] &&
		    !k8s_holds(f, (enum k8s_criterion)i, values[i]))
			return 0;
	return 1;
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
		return !f->containers_only && !f->any_included &&
		       !k8s_active(f);
	if (!k8s_shows(f, c))
		return 0;
	for (unsigned int i = 0; i < f->count; i++) {
		if (!names_container(f->names[i], c))
			continue;
		if (f->excluded[i])
			return 0;
		included = 1;
	}
	return included || !f->any_included;
}
