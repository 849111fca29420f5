/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which containers' events are shown: -c/--containername NAME[,NAME...]
 * (a leading '!' excludes NAME) and --containers-only, as in ig.
 * NAME matches a container's name, its full id, or an id prefix of 12 or
 * more digits (what `docker ps` shows).
 *
 * And the pod's, as kubectl gadget's: -n/--k8s-namespace NS[,NS...],
 * -p/--k8s-podname POD[,...], --k8s-containername NAME[,...] (one of the
 * values; the same option again adds values), -l/--k8s-selector
 * KEY=VALUE[,...] (every pair among the pod's labels; again: more
 * pairs). Any of them hides the host, whose processes are in no pod.
 */
#ifndef TT_CONTAINERS_FILTER_H
#define TT_CONTAINERS_FILTER_H

#include <stddef.h>

#include "common/err.h"
#include "containers/runtime_state.h"

#define CONTAINER_FILTER_MAX 32
#define CONTAINER_NAME_MAX 256

enum k8s_criterion {
	K8S_NAMESPACE,
	K8S_POD,
	K8S_CONTAINER,
	K8S_SELECTOR,
	K8S_CRITERIA
};

#define K8S_LISTS_MAX 8		/* times one option may be given */

struct container_filter {
	/* Each option's comma-separated lists, as given (argv's strings). */
	const char *k8s[K8S_CRITERIA][K8S_LISTS_MAX];
	unsigned char k8s_lists[K8S_CRITERIA];
	unsigned int count;
	int containers_only;		/* host events hidden */
	int any_included;		/* some NAME without '!' */
	char names[CONTAINER_FILTER_MAX][CONTAINER_NAME_MAX];
	unsigned char excluded[CONTAINER_FILTER_MAX];
};

/* Add the names of one -c argument. 0, or -1 with err (empty name,
 * too many or too long names). */
int container_filter_add(struct container_filter *f, const char *list,
			 struct tt_err *err);

/* Add one list of criterion's values (checked: no empty value; KEY=VALUE
 * pairs for the selector). list must outlive f. 0, or -1 with err. */
int container_filter_add_k8s(struct container_filter *f,
			     enum k8s_criterion criterion, const char *list,
			     struct tt_err *err);

/* 1 if any filter is set (then the kernel's verdict map is used). */
int container_filter_active(const struct container_filter *f);

/* 1 if events of this container (NULL: the host) are shown. */
int container_filter_shows(const struct container_filter *f,
			   const struct container_info *c);

#endif
