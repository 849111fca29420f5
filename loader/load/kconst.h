/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The load-time constants (include/kconst_names.h): what the running
 * kernel dictates, gathered before the relocator writes it into the
 * programs.
 */
#ifndef KCONST_H
#define KCONST_H

#include <stdint.h>

#include "kconst_names.h"

#define TT_ABSENT 0xffffffffULL

enum kconst_id {
#define KCONST_ENUM(name) KC_##name,
	TT_KCONST_LIST(KCONST_ENUM)
#undef KCONST_ENUM
	KC_COUNT
};

struct kconst_table {
	uint64_t value[KC_COUNT];
	unsigned char is_set[KC_COUNT];
};

void kconst_init(struct kconst_table *kt);
void kconst_set(struct kconst_table *kt, enum kconst_id id, uint64_t value);
uint64_t kconst_get(const struct kconst_table *kt, enum kconst_id id);
/* The relocator's resolver: 0 and *value if name is set, else -1. */
int kconst_lookup(void *table, const char *name, uint64_t *value);

#endif
