// SPDX-License-Identifier: GPL-2.0-only
/* Which map each declaration becomes on a given kernel (loader/load/maps.c). */
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>

#include "load/maps.h"
#include "unit.h"

extern const unsigned char tt_bpf_object[], tt_bpf_object_end[];

static const struct map_policy since_6_1 = { .possible_cpus = 4,
					     .runtime_alloc = 1 };
static const struct map_policy before_6_1 = { .possible_cpus = 4 };
static const struct map_policy no_destroy = { .possible_cpus = 4,
					      .runtime_alloc = 1,
					      .entries_may_leak = 1 };

static struct tt_map_def declared(uint32_t type, uint32_t flags,
				  uint32_t entries)
{
	struct tt_map_def def = { .type = type, .key_size = 8,
				  .value_size = 56, .max_entries = entries,
				  .map_flags = flags };
	return def;
}

static void test_map_connection_tables(void)
{
	struct tt_map_def d = declared(BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC |
				       TT_MAP_F_LRU_FALLBACK, 65536);
	struct tt_map_def got;

	/* 6.1+ with tcp_destroy_sock: allocated on use, as declared. */
	got = map_def_for_kernel(&d, &since_6_1);
	CHECK(got.type == BPF_MAP_TYPE_HASH);
	CHECK(got.map_flags == BPF_F_NO_PREALLOC);
	CHECK(got.max_entries == 65536 && got.value_size == 56);
	/* Before 6.1: preallocated LRU, never NO_PREALLOC (WARN / EINVAL). */
	got = map_def_for_kernel(&d, &before_6_1);
	CHECK(got.type == BPF_MAP_TYPE_LRU_HASH && got.map_flags == 0);
	/* Entries could leak: LRU evicts them. */
	got = map_def_for_kernel(&d, &no_destroy);
	CHECK(got.type == BPF_MAP_TYPE_LRU_HASH && got.map_flags == 0);
}

static void test_map_on_use_hash_without_fallback(void)
{
	struct tt_map_def d = declared(BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC,
				       8192);
	struct tt_map_def got;

	got = map_def_for_kernel(&d, &since_6_1);
	CHECK(got.type == BPF_MAP_TYPE_HASH &&
	      got.map_flags == BPF_F_NO_PREALLOC);
	got = map_def_for_kernel(&d, &before_6_1);
	CHECK(got.type == BPF_MAP_TYPE_HASH && got.map_flags == 0);
	/* Only maps that ask for the fallback become LRU. */
	got = map_def_for_kernel(&d, &no_destroy);
	CHECK(got.type == BPF_MAP_TYPE_HASH &&
	      got.map_flags == BPF_F_NO_PREALLOC);
}

static void test_map_others_unchanged(void)
{
	struct tt_map_def lru = declared(BPF_MAP_TYPE_LRU_HASH, 0, 4096);
	struct tt_map_def perf = declared(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 0, 0);
	struct tt_map_def got;

	got = map_def_for_kernel(&lru, &before_6_1);
	CHECK(!memcmp(&got, &lru, sizeof(got)));
	got = map_def_for_kernel(&lru, &no_destroy);
	CHECK(!memcmp(&got, &lru, sizeof(got)));
	/* The perf array gets one slot per possible CPU. */
	got = map_def_for_kernel(&perf, &since_6_1);
	CHECK(got.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	      got.max_entries == 4);
}

/* A map the plan does not use becomes a one-slot array; the rest are
 * what map_def_for_kernel makes them. */
static void test_map_unused_placeholder(void)
{
	static const char *const unused[] = { "listeners", "exiting" };
	struct map_policy policy = since_6_1;
	struct tt_map_def d = declared(BPF_MAP_TYPE_LRU_HASH, 0, 1024);
	struct tt_map_def got;

	policy.unused = unused;
	policy.nunused = 2;
	got = map_def_for_plan(&d, "exiting", &policy);
	CHECK(got.type == BPF_MAP_TYPE_ARRAY && got.max_entries == 1 &&
	      got.key_size == 4 && got.value_size == 4 && got.map_flags == 0);
	got = map_def_for_plan(&d, "close_calls", &policy);
	CHECK(!memcmp(&got, &d, sizeof(got)));
	/* No ring buffer: the ring map is a placeholder too. */
	d = declared(BPF_MAP_TYPE_RINGBUF, 0, 0);
	got = map_def_for_plan(&d, "ring", &policy);
	CHECK(got.type == BPF_MAP_TYPE_ARRAY && got.max_entries == 1);
	policy.ring_bytes = 1u << 20;
	got = map_def_for_plan(&d, "ring", &policy);
	CHECK(got.type == BPF_MAP_TYPE_RINGBUF && got.max_entries == 1u << 20);
}

/* The real object: the loader-only flag never reaches the kernel, no
 * map allocates at run time before 6.1, and the two connection tables
 * are the ones that fall back to LRU. */
static void test_map_real_object(void)
{
	static const struct map_policy *const policies[] = {
		&since_6_1, &before_6_1, &no_destroy,
	};
	struct elf_object obj;
	struct tt_err err;
	int sec, fallbacks = 0;

	CHECK(elf_open(&obj, tt_bpf_object,
		       (size_t)(tt_bpf_object_end - tt_bpf_object), &err) == 0);
	sec = elf_find_section(&obj, TT_MAPS_SECTION);
	CHECK(sec > 0);
	if (sec <= 0)
		return;
	for (size_t off = 0; off + sizeof(struct tt_map_def) <=
			     obj.sections[sec].size;
	     off += sizeof(struct tt_map_def)) {
		struct tt_map_def d;

		memcpy(&d, obj.sections[sec].data + off, sizeof(d));
		fallbacks += !!(d.map_flags & TT_MAP_F_LRU_FALLBACK);
		for (size_t p = 0; p < 3; p++) {
			struct tt_map_def got = map_def_for_kernel(&d,
								   policies[p]);

			CHECK(!(got.map_flags & TT_MAP_F_LRU_FALLBACK));
			if (!policies[p]->runtime_alloc)
				CHECK(!(got.map_flags & BPF_F_NO_PREALLOC));
		}
	}
	CHECK(fallbacks == 2);	/* pending and sockets */
	elf_close(&obj);
}

int main(void)
{
	RUN(test_map_connection_tables);
	RUN(test_map_on_use_hash_without_fallback);
	RUN(test_map_others_unchanged);
	RUN(test_map_unused_placeholder);
	RUN(test_map_real_object);
	return unit_failed_checks != 0;
}
