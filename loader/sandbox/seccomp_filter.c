// SPDX-License-Identifier: GPL-2.0-only
/* The seccomp filter's instructions (see seccomp_filter.h). */
#include "sandbox/seccomp_filter.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>

#define REFUSE (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
/* The longest forward jump classic BPF's conditional jumps can make. */
#define MAX_JUMP 255

struct program {
	struct sock_filter *insns;
	unsigned int len, max;
};

static void emit(struct program *p, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k)
{
	if (p->len < p->max)
		p->insns[p->len] = (struct sock_filter){ code, jt, jf, k };
	p->len++;
}

static void load(struct program *p, uint32_t offset)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offset);
}

static void ret(struct program *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, 0, 0, action);
}

/* Instructions one allowed call takes. */
static unsigned int call_length(const struct allowed_call *c)
{
	return c->nvalues ? 3 + c->nvalues : 1;
}

/* A jump from the next instruction to the last one (allow), which is
 * `total` instructions into the program; 0 if too long. */
static int jump_to_allow(const struct program *p, unsigned int total,
			 uint8_t *offset)
{
	unsigned int distance = total - 1 - (p->len + 1);

	*offset = (uint8_t)distance;
	return distance <= MAX_JUMP;
}

/* Where the low 32 bits of argument arg are in struct seccomp_data. */
static uint32_t arg_low(const struct seccomp_target *target, unsigned int arg)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) +
			  arg * sizeof(uint64_t) + (target->big_endian ? 4 : 0));
}

static int emit_call(struct program *p, const struct allowed_call *c,
		     unsigned int total, const struct seccomp_target *target)
{
	uint8_t to_allow;
	int fits = 1;

	if (!c->nvalues) {
		fits = jump_to_allow(p, total, &to_allow);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, to_allow, 0, c->nr);
		return fits;
	}
	/* not this call: on past its argument checks, nr still loaded */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(c->nvalues + 2),
	     c->nr);
	load(p, arg_low(target, c->arg));
	for (unsigned int i = 0; i < c->nvalues; i++) {
		fits &= jump_to_allow(p, total, &to_allow);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, to_allow, 0, c->values[i]);
	}
	ret(p, REFUSE);
	return fits && c->arg < 6 && c->nvalues + 2 <= MAX_JUMP;
}

int seccomp_filter_build(const struct seccomp_target *target,
			 const struct allowed_call *calls, unsigned int ncalls,
			 struct sock_filter *out, unsigned int max,
			 struct tt_err *err)
{
	struct program p = { out, 0, max };
	/* arch: load, test, refuse; nr: load; the end: refuse, allow */
	unsigned int total = 6 + (target->nr_limit ? 2 : 0);
	int fits = 1;

	for (unsigned int i = 0; i < ncalls; i++)
		total += call_length(&calls[i]);
	if (total > max)
		return tt_fail(err, "the seccomp filter needs %u instructions, "
			       "more than %u", total, max);
	load(&p, offsetof(struct seccomp_data, arch));
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, target->arch);
	ret(&p, REFUSE);
	load(&p, offsetof(struct seccomp_data, nr));
	if (target->nr_limit) {
		emit(&p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, target->nr_limit);
		ret(&p, REFUSE);
	}
	for (unsigned int i = 0; i < ncalls; i++)
		fits &= emit_call(&p, &calls[i], total, target);
	ret(&p, REFUSE);
	ret(&p, SECCOMP_RET_ALLOW);
	if (!fits || p.len != total)
		return tt_fail(err, "the seccomp filter's jumps are too long "
			       "for classic BPF (%u instructions)", total);
	return (int)p.len;
}
