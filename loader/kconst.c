// SPDX-License-Identifier: GPL-2.0-only
/* The load-time constant table (see kconst.h). */
#include "kconst.h"

#include <string.h>

static const char *const kconst_names[KC_COUNT] = {
#define KCONST_NAME(name) #name,
	TT_KCONST_LIST(KCONST_NAME)
#undef KCONST_NAME
};

/* Everything starts out "absent" and 0-valued flags: a constant the
 * layout stage does not set makes relocation fail loudly, except the
 * optional ones it marks absent itself. */
void kconst_init(struct kconst_table *kt)
{
	memset(kt, 0, sizeof(*kt));
}

void kconst_set(struct kconst_table *kt, enum kconst_id id, uint64_t value)
{
	kt->value[id] = value;
	kt->is_set[id] = 1;
}

uint64_t kconst_get(const struct kconst_table *kt, enum kconst_id id)
{
	return kt->is_set[id] ? kt->value[id] : 0;
}

int kconst_lookup(void *table, const char *name, uint64_t *value)
{
	const struct kconst_table *kt = table;

	for (int i = 0; i < KC_COUNT; i++) {
		if (strcmp(kconst_names[i], name))
			continue;
		if (!kt->is_set[i])
			return -1;
		*value = kt->value[i];
		return 0;
	}
	return -1;
}
