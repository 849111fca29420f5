// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/load/kconst.c: every constant found by its name. */
#include <stdint.h>
#include <string.h>

#include "kconst_names.h"
#include "load/kconst.h"
#include "unit.h"

static const char *const names[] = {
#define KCONST_STRING(name) #name,
	TT_KCONST_LIST(KCONST_STRING)
#undef KCONST_STRING
};

static void test_every_name_found(void)
{
	struct kconst_table kt;
	uint64_t v = 0;

	kconst_init(&kt);
	for (int i = 0; i < KC_COUNT; i++)
		kconst_set(&kt, (enum kconst_id)i, 1000 + (uint64_t)i);
	for (int i = 0; i < KC_COUNT; i++) {
		CHECK(kconst_lookup(&kt, names[i], &v) == 0);
		CHECK(v == 1000 + (uint64_t)i);
	}
}

static void test_unknown_and_unset(void)
{
	struct kconst_table kt;
	uint64_t v = 7;

	kconst_init(&kt);
	CHECK(kconst_lookup(&kt, names[0], &v) == -1);	/* not set */
	kconst_set(&kt, (enum kconst_id)0, 5);
	CHECK(kconst_lookup(&kt, names[0], &v) == 0 && v == 5);
	CHECK(kconst_lookup(&kt, "tt_k_no_such_constant", &v) == -1);
	CHECK(kconst_lookup(&kt, "", &v) == -1);
	CHECK(kconst_lookup(&kt, "zz", &v) == -1);	/* after the last */
	CHECK(kconst_lookup(&kt, "a", &v) == -1);	/* before the first */
}

int main(void)
{
	RUN(test_every_name_found);
	RUN(test_unknown_and_unset);
	return unit_failed_checks != 0;
}
