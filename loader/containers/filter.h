/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which containers' events are shown: -c/--containername NAME[,NAME...]
 * (a leading '!' excludes NAME) and --containers-only, as in ig.
 * NAME matches a container's name, its full id, or an id prefix of 12 or
 * more digits (what `docker ps` shows).
 */
#ifndef TT_CONTAINERS_FILTER_H
#define TT_CONTAINERS_FILTER_H

#include <stddef.h>

#include "common/err.h"
#include "containers/runtime_state.h"

#define CONTAINER_FILTER_MAX 32
#define CONTAINER_NAME_MAX 256

struct container_filter {
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

/* 1 if any filter is set (then the kernel's verdict map is used). */
int container_filter_active(const struct container_filter *f);

/* 1 if events of this container (NULL: the host) are shown. */
int container_filter_shows(const struct container_filter *f,
			   const struct container_info *c);

#endif
