// SPDX-License-Identifier: GPL-2.0-only
/* The rules the in-kernel filter can judge, as its tests (see kernel.h). */
#include "filter/kernel.h"

#include <string.h>

/* The first bits of mask set, the rest clear. */
static void prefix_mask(__u8 mask[16], int bits)
{
	for (int i = 0; i < 16; i++, bits -= 8)
		mask[i] = bits >= 8 ? 0xff :
			  bits > 0 ? (__u8)(0xff << (8 - bits)) : 0;
}

/* A network (masked, as IPv6): its test on family 6 events, and where
 * it holds IPv4 addresses (::ffff:0:0/96), one on family 4 events. */
static unsigned int address_tests(const struct filter_value *v,
				  enum tt_filter_field field,
				  struct tt_filter_test *t)
{
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	__u8 mask[16];
	int v4_bits = v->prefix > 96 ? v->prefix - 96 : 0;

	prefix_mask(mask, v->prefix);
	t[0].field = (__u8)field;
	t[0].value = 6;
	memcpy(t[0].bytes, v->addr, 16);
	memcpy(t[0].mask, mask, 16);
	for (int i = 0; i < 12; i++)
		if ((mapped[i] & mask[i]) != v->addr[i])
			return 1;
	t[1].field = (__u8)field;
	t[1].value = 4;
	if (v4_bits)
		memcpy(t[1].bytes, v->addr + 12, 4);
	prefix_mask(t[1].mask, v4_bits);
	return 2;
}

/* comm == value: its bytes and NUL; 0 if they are more than comm's. */
static unsigned int comm_test(const struct filter *f,
			      const struct filter_value *v,
			      struct tt_filter_test *t)
{
	if (v->text_len >= TT_COMM_LEN)
		return 0;
	t->field = TT_FF_COMM;
	memcpy(t->bytes, f->text + v->text_at, v->text_len);
	memset(t->mask, 0xff, v->text_len + 1u);
	return 1;
}

static const __u8 kernel_ops[] = {
	[FILTER_LT] = TT_FOP_LT, [FILTER_LE] = TT_FOP_LE,
	[FILTER_GT] = TT_FOP_GT, [FILTER_GE] = TT_FOP_GE,
};

/* The group of tests of rule r into t (room for TT_FILTER_TESTS), or
 * 0 if the kernel cannot judge it. */
static unsigned int rule_tests(const struct filter *f,
			       const struct filter_rule *r,
			       struct tt_filter_test *t)
{
	const struct field_def *d = &field_table[r->field];
	unsigned int n = 0, k;

	if (!d->kernel || r->op == FILTER_MATCH || r->op == FILTER_NOT_MATCH)
		return 0;
	if (r->op != FILTER_EQ && r->op != FILTER_NE) {
		if (d->compare != COMPARE_NUMBER)
			return 0;
		t->field = d->kernel;
		t->op = kernel_ops[r->op];
		t->value = f->values[r->first_value].number;
		return 1;
	}
	for (unsigned int i = 0; i < r->value_count; i++) {
		const struct filter_value *v = &f->values[r->first_value + i];

		if (n + 2 > TT_FILTER_TESTS)
			return 0;
		if (d->compare == COMPARE_ADDRESS) {
			n += address_tests(v, d->kernel, t + n);
			continue;
		}
		if (d->compare == COMPARE_STRING) {
			k = comm_test(f, v, t + n);
			if (!k)
				return 0;
			n += k;
			continue;
		}
		t[n].field = d->kernel;
		t[n++].value = v->number;
	}
	return n;
}

unsigned int filter_compile_kernel(struct filter *f, struct tt_filter *kf)
{
	struct tt_filter_test group[TT_FILTER_TESTS];
	unsigned int used = 0;

	memset(kf, 0, sizeof(*kf));
	for (unsigned int i = 0; i < f->rule_count; i++) {
		struct filter_rule *r = &f->rules[i];
		unsigned int n;

		r->in_kernel = 0;
		memset(group, 0, sizeof(group));
		n = rule_tests(f, r, group);
		if (!n || n > TT_FILTER_TESTS - used)
			continue;
		group[n - 1].flags = TT_FTEST_GROUP_END |
				     (r->op == FILTER_NE ? TT_FTEST_NEGATE : 0);
		memcpy(&kf->tests[used], group, n * sizeof(group[0]));
		used += n;
		r->in_kernel = 1;
	}
	return used;
}
