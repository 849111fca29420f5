// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for loader/load/dead_code.c: hand-made programs whose settled
 * jumps and removed code are known, and random programs run by a small
 * interpreter before and after pruning, which must agree on every input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/dead_code.h"
#include "unit.h"

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define LD64(d, v) \
	INSN(BPF_LD | BPF_IMM | BPF_DW, d, 0, 0, (int32_t)(uint32_t)(v)), \
	INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define MOV64(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ALU64K(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define LDXW(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define JK(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define J32K(op, d, i, o) INSN(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(i) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, i)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a tiny interpreter: ALU, JMP/JMP32, ld_imm64, 32-bit loads of ctx */

#define STEPS 10000

static uint64_t alu_op(unsigned int op, uint64_t a, uint64_t b, int wide)
{
	unsigned int m = wide ? 63 : 31;

	if (!wide) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_ADD: a += b; break;
	case BPF_SUB: a -= b; break;
	case BPF_MUL: a *= b; break;
	case BPF_OR: a |= b; break;
	case BPF_AND: a &= b; break;
	case BPF_XOR: a ^= b; break;
	case BPF_LSH: a <<= (b & m); break;
	case BPF_RSH: a >>= (b & m); break;
	case BPF_ARSH:
		a = wide ? (uint64_t)((int64_t)a >> (b & m))
			 : (uint32_t)((int32_t)a >> (b & m));
		break;
	case BPF_MOV: a = b; break;
	case BPF_NEG: a = -a; break;
	}
	return wide ? a : (uint32_t)a;
}

static int jmp_op(unsigned int op, uint64_t a, uint64_t b, int wide)
{
	int64_t sa = wide ? (int64_t)a : (int32_t)a,
		sb = wide ? (int64_t)b : (int32_t)b;

	if (!wide) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	case BPF_JSLE: return sa <= sb;
	}
	return 0;
}

/* r0 at exit; -1 (never a result here) if it ran off or too long. */
static int64_t run(const struct bpf_insn *p, size_t n, const uint32_t *ctx)
{
	uint64_t r[11] = { 0 };
	size_t pc = 0;

	r[1] = 0;	/* ctx "pointer": loads index ctx[off / 4] */
	for (int steps = 0; steps < STEPS && pc < n; steps++) {
		const struct bpf_insn *i = &p[pc];
		unsigned int class = BPF_CLASS(i->code), op = BPF_OP(i->code);
		int wide = class == BPF_ALU64 || class == BPF_JMP;
		uint64_t src = BPF_SRC(i->code) == BPF_X ? r[i->src_reg]
			       : wide ? (uint64_t)(int64_t)i->imm
			       : (uint32_t)i->imm;

		switch (class) {
		case BPF_LD:
			r[i->dst_reg] = (uint32_t)i[0].imm |
					(uint64_t)(uint32_t)i[1].imm << 32;
			pc += 2;
			continue;
		case BPF_LDX:
			r[i->dst_reg] = ctx[(i->off / 4) & 3];
			break;
		case BPF_ALU:
		case BPF_ALU64:
			r[i->dst_reg] = alu_op(op, r[i->dst_reg], src, wide);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_EXIT)
				return (int64_t)(r[0] & 0x7fffffff);
			if (op == BPF_CALL) {
				r[0] = (uint64_t)i->imm * 7;
				r[1] = r[2] = r[3] = r[4] = r[5] = 0x5555;
				break;
			}
			if (op == BPF_JA ||
			    jmp_op(op, r[i->dst_reg], src, wide))
				pc += (size_t)(long)i->off;
			break;
		}
		pc++;
	}
	return -1;
}

/* ---- hand-made programs ---------------------------------------------- */

static void test_constant_branch_settled(void)
{
	struct bpf_insn p[] = {
		/* a constant the loader put in */
		LD64(2, 5),
		JK(BPF_JEQ, 2, 5, 2),		/* always taken */
		MOV64(0, 1),			/* dead */
		EXIT,				/* dead */
		MOV64(0, 2),
		EXIT,
	};
	size_t n = dead_code_prune(p, N(p));

	CHECK(n == 4);	/* ld_imm64 (2), mov, exit: the jump went too */
	CHECK(p[2].code == (BPF_ALU64 | BPF_MOV | BPF_K) && p[2].imm == 2);
	CHECK(p[3].code == (BPF_JMP | BPF_EXIT));
}

static void test_never_taken_branch(void)
{
	struct bpf_insn p[] = {
		MOV64(3, 0),
		JK(BPF_JNE, 3, 0, 2),		/* never taken */
		MOV64(0, 1),
		EXIT,
		MOV64(0, 2),			/* dead */
		EXIT,				/* dead */
	};
	size_t n = dead_code_prune(p, N(p));

	CHECK(n == 3);
	CHECK(p[1].imm == 1 && p[2].code == (BPF_JMP | BPF_EXIT));
}

static void test_unknown_kept(void)
{
	struct bpf_insn p[] = {
		LDXW(2, 1, 0),			/* from the context: unknown */
		JK(BPF_JEQ, 2, 5, 2),
		MOV64(0, 1),
		EXIT,
		MOV64(0, 2),
		EXIT,
	};
	struct bpf_insn orig[N(p)];

	memcpy(orig, p, sizeof(p));
	CHECK(dead_code_prune(p, N(p)) == N(p));
	CHECK(!memcmp(orig, p, sizeof(p)));
}

static void test_join_points(void)
{
	/* r2 is 7 on both paths into the join: settled; r3 differs: not */
	struct bpf_insn p[] = {
		LDXW(4, 1, 0),
		JK(BPF_JEQ, 4, 0, 3),
		MOV64(2, 7),
		MOV64(3, 1),
		JA(2),
		MOV64(2, 7),
		MOV64(3, 2),
		JK(BPF_JNE, 2, 7, 3),		/* never taken */
		JK(BPF_JEQ, 3, 1, 1),		/* stays */
		MOV64(0, 9),
		EXIT,
		/* only the r2 jump led here: dead */
		MOV64(0, 8),
		EXIT,
	};
	uint32_t ctx[4] = { 0 };
	size_t n;

	n = dead_code_prune(p, N(p));
	CHECK(n == N(p) - 3);
	CHECK(run(p, n, ctx) == 9);	/* r3 2 */
	ctx[0] = 1;
	CHECK(run(p, n, ctx) == 0);	/* r3 1: r0 never set */
}

static void test_calls_clobber(void)
{
	struct bpf_insn p[] = {
		MOV64(1, 1),
		MOV64(6, 1),
		CALL(14),
		/* r1 is the helper's now: stays */
		JK(BPF_JEQ, 1, 1, 2),
		JK(BPF_JEQ, 6, 1, 1),		/* r6 survives calls: settled */
		MOV64(0, 3),
		EXIT,
	};
	size_t n = dead_code_prune(p, N(p));

	/* the r6 jump settled as always and went with what it skipped;
	 * then the r1 jump, kept, led to the next insn: a no-op, gone */
	CHECK(n == 4);
	CHECK(p[2].code == (BPF_JMP | BPF_CALL));
	CHECK(p[3].code == (BPF_JMP | BPF_EXIT));
}

static void test_jmp32_and_alu(void)
{
	/* 0xffffffff: -1 as a 32-bit signed value, positive as 64 */
	struct bpf_insn p[] = {
		LD64(2, 0xffffffffull),
		J32K(BPF_JSLT, 2, 0, 1),	/* always (w2 < 0) */
		EXIT,
		JK(BPF_JSLT, 2, 0, 1),		/* never (r2 > 0) */
		ALU64K(BPF_LSH, 2, 4),
		JK(BPF_JEQ, 2, 0xffffffff0ll & 0x7fffffff, 0),
		LD64(3, 0xffffffff0ull),
		INSN(BPF_JMP | BPF_JEQ | BPF_X, 2, 3, 1, 0),	/* always */
		EXIT,
		MOV64(0, 4),
		EXIT,
	};
	uint32_t ctx[4] = { 0 };
	size_t n = dead_code_prune(p, N(p));

	CHECK(n < N(p));
	CHECK(run(p, n, ctx) == 4);
	for (size_t i = 0; i < n; i++)	/* every test settled */
		CHECK(!(BPF_CLASS(p[i].code) == BPF_JMP &&
			BPF_OP(p[i].code) != BPF_EXIT &&
			BPF_OP(p[i].code) != BPF_JA &&
			BPF_OP(p[i].code) != BPF_CALL));
}

static void test_unmodelled_left_alone(void)
{
	struct bpf_insn sub[] = {
		/* a subprogram */
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 3),
		MOV64(2, 0),
		JK(BPF_JEQ, 2, 0, 1),
		EXIT,
		EXIT,
	};
	struct bpf_insn half[] = {
		MOV64(2, 0),
		JK(BPF_JEQ, 2, 1, 1),		/* into the second half */
		LD64(0, 1),
		EXIT,
	};
	struct bpf_insn out[] = {
		JA(5),				/* past the end */
		EXIT,
	};

	CHECK(dead_code_prune(sub, N(sub)) == N(sub));
	CHECK(dead_code_prune(half, N(half)) == N(half));
	CHECK(dead_code_prune(out, N(out)) == N(out));
	CHECK(dead_code_prune(out, 0) == 0);
}

/* ---- random programs: pruning keeps what they compute ------------------ */

static uint32_t rng = 12345;

static uint32_t rnd(uint32_t below)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % below;
}

static const unsigned int alu_ops[] = {
	BPF_ADD, BPF_SUB, BPF_MUL, BPF_OR, BPF_AND, BPF_XOR, BPF_LSH,
	BPF_RSH, BPF_ARSH, BPF_MOV, BPF_MOV, BPF_NEG
};
static const unsigned int jmp_ops[] = {
	BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE, BPF_JSET,
	BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE
};
static const int32_t imms[] = {
	0, 1, -1, 2, 7, 0x7fffffff, (int32_t)0x80000000, 31, 63
};

/* Forward jumps only, so every run ends; the last insn is exit. */
static size_t random_program(struct bpf_insn *p, size_t max)
{
	unsigned char half[64] = { 0 };	/* an ld_imm64's second slot */
	size_t n = 0, len = 8 + rnd((uint32_t)max - 10);

	while (n < len - 1) {
		unsigned int kind = rnd(10), reg = 2 + rnd(3);
		int32_t imm = imms[rnd(N(imms))];
		size_t room = len - 1 - n;

		if (kind < 2 && room > 2) {
			p[n] = INSN(BPF_LD | BPF_IMM | BPF_DW, reg, 0, 0, imm);
			p[n + 1] = INSN(0, 0, 0, 0, (int32_t)rnd(3) - 1);
			half[n + 1] = 1;
			n += 2;
		} else if (kind < 5) {
			p[n++] = INSN((rnd(2) ? BPF_ALU64 : BPF_ALU) |
				      alu_ops[rnd(N(alu_ops))] |
				      (rnd(3) ? BPF_K : BPF_X),
				      reg, 2 + rnd(4), 0, imm);
		} else if (kind < 6) {
			p[n++] = LDXW(reg, 1, (int16_t)(4 * rnd(4)));
		} else if (kind < 7) {
			p[n++] = CALL(1 + (int32_t)rnd(5));
		} else if (room > 1) {
			unsigned int op = rnd(8) ? jmp_ops[rnd(N(jmp_ops))]
						 : BPF_JA;

			p[n] = INSN((rnd(2) ? BPF_JMP : BPF_JMP32) | op |
				    (rnd(3) ? BPF_K : BPF_X),
				    reg, 2 + rnd(4),
				    (int16_t)rnd((uint32_t)(len - n - 1)), imm);
			if (op == BPF_JA)
				p[n].code = BPF_JMP | BPF_JA;
			n++;
		} else {
			p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, reg,
				      0, 0);
		}
	}
	p[n++] = EXIT;
	/* a jump into a second slot lands on its first one instead */
	for (size_t i = 0; i < n; i++)
		if (BPF_CLASS(p[i].code) == BPF_JMP ||
		    BPF_CLASS(p[i].code) == BPF_JMP32)
			if (BPF_OP(p[i].code) != BPF_CALL &&
			    BPF_OP(p[i].code) != BPF_EXIT &&
			    half[i + 1 + (size_t)p[i].off])
				p[i].off--;
	return n;
}

static void test_random_programs_agree(void)
{
	static const uint32_t inputs[][4] = {
		{ 0, 0, 0, 0 }, { 1, 2, 3, 4 },
		{ 0xffffffff, 7, 0x80000000, 1 }, { 5, 0xffff, 63, 31 },
	};
	int pruned = 0;

	for (int t = 0; t < 3000; t++) {
		struct bpf_insn p[64], q[64];
		size_t n = random_program(p, 64), m;

		memcpy(q, p, sizeof(p));
		m = dead_code_prune(q, n);
		pruned += m < n;
		CHECK(m <= n);
		for (size_t k = 0; k < N(inputs); k++) {
			int64_t before = run(p, n, inputs[k]),
				after = run(q, m, inputs[k]);

			if (before != after) {
				fprintf(stderr, "  program %d input %zu: %lld "
					"before, %lld after\n", t, k,
					(long long)before, (long long)after);
				unit_failed_checks++;
				return;
			}
		}
	}
	fprintf(stderr, "  %d of 3000 random programs pruned\n", pruned);
	/* the test exercises the pass, not only refusals */
	CHECK(pruned > 1000);
}

int main(void)
{
	RUN(test_constant_branch_settled);
	RUN(test_never_taken_branch);
	RUN(test_unknown_kept);
	RUN(test_join_points);
	RUN(test_calls_clobber);
	RUN(test_jmp32_and_alu);
	RUN(test_unmodelled_left_alone);
	RUN(test_random_programs_agree);
	return unit_failed_checks != 0;
}
