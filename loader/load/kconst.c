// SPDX-License-Identifier: GPL-2.0-only
/* The load-time constant table (see kconst.h). */
#include "load/kconst.h"

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

/* The ids in name order, for a binary search: the relocator asks by
 * name for every constant reference (hundreds a program). */
static enum kconst_id by_name[KC_COUNT];

/* Insertion sort, once: qsort would add more code than this saves. */
static void sort_names(void)
{
	for (int i = 0; i < KC_COUNT; i++) {
		enum kconst_id id = (enum kconst_id)i;
		int j = i;

		for (; j > 0 && strcmp(kconst_names[by_name[j - 1]],
				       kconst_names[id]) > 0; j--)
			by_name[j] = by_name[j - 1];
		by_name[j] = id;
	}
}

static int find_name(const char *name)
{
	static int sorted;
	size_t lo = 0, hi = KC_COUNT;

	if (!sorted) {
		sort_names();
		sorted = 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, kconst_names[by_name[mid]]);

		if (!c)
			return (int)by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int kconst_lookup(void *table, const char *name, uint64_t *value)
{
	const struct kconst_table *kt = table;
	int i = find_name(name);

	if (i < 0 || !kt->is_set[i])
		return -1;
	*value = kt->value[i];
	return 0;
}
