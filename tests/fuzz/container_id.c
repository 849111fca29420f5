// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: a cgroup path (the input, cut at its first NUL) to a
 * container id, which must then be a valid one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "containers/container_id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct container_ref ref;
	char *path = malloc(size + 1);

	if (!path)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	if (container_from_cgroup_path(path, &ref) == 1 &&
	    (!container_id_valid(ref.id) ||
	     !memchr(ref.ns, '\0', sizeof(ref.ns)) ||
	     !memchr(ref.pod_uid, '\0', sizeof(ref.pod_uid))))
		__builtin_trap();
	container_runtime_name(ref.runtime);
	free(path);
	return 0;
}
