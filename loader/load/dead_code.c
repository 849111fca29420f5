// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dead code pruning (see dead_code.h): conditional constant propagation
 * over the registers, block by block. Each basic block gets the
 * registers known to hold one constant on every path reaching it; a jump
 * whose outcome they fix has one successor only, so code behind a
 * settled test is never reached. Then settled jumps are rewritten,
 * unreachable instructions dropped, and the remaining jumps' offsets
 * recomputed. States are kept per block, not per instruction: the
 * loader runs this on every program at start-up, where memory touched
 * is time (page faults), in a slow emulator above all.
 */
#include "load/dead_code.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* r0..r9: r10, the frame pointer, is never a constant */
#define TRACKED_REGS 10
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)

struct regs {
	uint16_t known;		/* bit r: val[r] holds */
	uint8_t reached;
	uint8_t queued;		/* its block is on the worklist */
	uint64_t val[TRACKED_REGS];
};

enum outcome { MAYBE, ALWAYS, NEVER };

static int is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == LD_IMM64;
}

static int is_cond_jump(const struct bpf_insn *insn)
{
	unsigned int class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	return (class == BPF_JMP || class == BPF_JMP32) && op != BPF_JA &&
	       op != BPF_CALL && op != BPF_EXIT;
}

/* A jump with a target: conditional, or ja. */
static int is_jump(const struct bpf_insn *insn)
{
	return is_cond_jump(insn) || insn->code == (BPF_JMP | BPF_JA);
}

/* Is this an instruction the analysis models? Anything else (subprogram
 * calls, packet loads, 32-bit long jumps, may_goto...) leaves the program
 * as it is. */
static int modelled(const struct bpf_insn *insns, size_t n, size_t i)
{
	const struct bpf_insn *insn = &insns[i];
	unsigned int class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	switch (class) {
	case BPF_LD:
		return is_ld_imm64(insn) && i + 1 < n;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
	case BPF_ALU:
	case BPF_ALU64:
		return 1;
	case BPF_JMP:
		if (op == BPF_CALL)
			return insn->src_reg != BPF_PSEUDO_CALL;
		return op == BPF_JA || op == BPF_EXIT || op <= BPF_JSLE;
	case BPF_JMP32:
		return op != BPF_JA && op != BPF_CALL && op != BPF_EXIT &&
		       op <= BPF_JSLE;
	}
	return 0;
}

static void forget(struct regs *r, unsigned int reg)
{
	r->known &= (uint16_t)~(1u << reg);
}

static void set(struct regs *r, unsigned int reg, uint64_t v)
{
	if (reg >= TRACKED_REGS)
		return;
	r->known |= (uint16_t)(1u << reg);
	r->val[reg] = v;
}

static int is_known(const struct regs *r, unsigned int reg)
{
	return reg < TRACKED_REGS && (r->known >> reg & 1);
}

/* dst op= operand, 64- or 32-bit; 0 if the op is not computed here. */
static int alu(unsigned int op, int wide, uint64_t dst, uint64_t src,
	       uint64_t *out)
{
	unsigned int shift_mask = wide ? 63 : 31;
	uint64_t v;

	switch (op) {
	case BPF_MOV: v = src; break;
	case BPF_ADD: v = dst + src; break;
	case BPF_SUB: v = dst - src; break;
	case BPF_MUL: v = dst * src; break;
	case BPF_OR:  v = dst | src; break;
	case BPF_AND: v = dst & src; break;
	case BPF_XOR: v = dst ^ src; break;
	case BPF_NEG: v = -dst; break;
	case BPF_LSH: v = dst << (src & shift_mask); break;
	case BPF_RSH:
		v = wide ? dst >> (src & 63) : (uint32_t)dst >> (src & 31);
		break;
	case BPF_ARSH:
		v = wide ? (uint64_t)((int64_t)dst >> (src & 63))
			 : (uint32_t)((int32_t)dst >> (src & 31));
		break;
	default:
		return 0;
	}
	*out = wide ? v : (uint32_t)v;
	return 1;
}

static void step_alu(const struct bpf_insn *insn, struct regs *r)
{
	int wide = BPF_CLASS(insn->code) == BPF_ALU64;
	unsigned int op = BPF_OP(insn->code), dst = insn->dst_reg;
	int from_reg = BPF_SRC(insn->code) == BPF_X;
	uint64_t src = wide ? (uint64_t)(int64_t)insn->imm
			    : (uint32_t)insn->imm;
	uint64_t v;

	if (dst >= TRACKED_REGS)
		return;		/* r10 is read-only */
	if (from_reg) {
		if (!is_known(r, insn->src_reg))
			goto unknown;
		src = r->val[insn->src_reg];
	}
	/* off != 0: the sign-extending moves and signed divisions (v4) */
	if (insn->off == 0 && (op == BPF_MOV || is_known(r, dst)) &&
	    alu(op, wide, r->val[dst], src, &v)) {
		set(r, dst, v);
		return;
	}
unknown:
	forget(r, dst);
}

/* The state after insn (the state before it in *r). */
static void step(const struct bpf_insn *insn, struct regs *r)
{
	unsigned int class = BPF_CLASS(insn->code);

	switch (class) {
	case BPF_LD:	/* ld_imm64: a plain constant only when src_reg is 0 */
		if (insn->src_reg == 0)
			set(r, insn->dst_reg,
			    (uint32_t)insn[0].imm |
			    (uint64_t)(uint32_t)insn[1].imm << 32);
		else
			forget(r, insn->dst_reg);
		break;
	case BPF_LDX:
		forget(r, insn->dst_reg);
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC) {
			if (insn->imm & BPF_FETCH)
				forget(r, insn->src_reg);
			if (insn->imm == BPF_CMPXCHG)
				forget(r, BPF_REG_0);
		}
		break;
	case BPF_ALU:
	case BPF_ALU64:
		step_alu(insn, r);
		break;
	case BPF_JMP:
		if (BPF_OP(insn->code) == BPF_CALL)
			for (unsigned int i = BPF_REG_0; i <= BPF_REG_5; i++)
				forget(r, i);
		break;
	}
}

static enum outcome compare(unsigned int op, uint64_t a, uint64_t b)
{
	int taken;

	switch (op) {
	case BPF_JEQ:  taken = a == b; break;
	case BPF_JNE:  taken = a != b; break;
	case BPF_JGT:  taken = a > b; break;
	case BPF_JGE:  taken = a >= b; break;
	case BPF_JLT:  taken = a < b; break;
	case BPF_JLE:  taken = a <= b; break;
	case BPF_JSET: taken = (a & b) != 0; break;
	case BPF_JSGT: taken = (int64_t)a > (int64_t)b; break;
	case BPF_JSGE: taken = (int64_t)a >= (int64_t)b; break;
	case BPF_JSLT: taken = (int64_t)a < (int64_t)b; break;
	case BPF_JSLE: taken = (int64_t)a <= (int64_t)b; break;
	default: return MAYBE;
	}
	return taken ? ALWAYS : NEVER;
}

static int is_signed_compare(unsigned int op)
{
	return op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT ||
	       op == BPF_JSLE;
}

/* The low half of a JMP32 operand, extended as its compare reads it. */
static uint64_t low_half(uint64_t v, int is_signed)
{
	return is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
}

/* What a conditional jump does given the registers before it. */
static enum outcome decide(const struct bpf_insn *insn, const struct regs *r)
{
	unsigned int op = BPF_OP(insn->code);
	uint64_t a, b = (uint64_t)(int64_t)insn->imm;

	if (!is_known(r, insn->dst_reg))
		return MAYBE;
	if (BPF_SRC(insn->code) == BPF_X) {
		if (!is_known(r, insn->src_reg))
			return MAYBE;
		b = r->val[insn->src_reg];
	}
	a = r->val[insn->dst_reg];
	if (BPF_CLASS(insn->code) == BPF_JMP32) {
		a = low_half(a, is_signed_compare(op));
		b = low_half(b, is_signed_compare(op));
	}
	return compare(op, a, b);
}

/* Merge the registers of `in` into a block's entry state `to`; 1 if
 * that changed it. */
static int merge(struct regs *to, const struct regs *in)
{
	uint16_t known;

	if (!to->reached) {
		to->reached = 1;
		to->known = in->known;
		memcpy(to->val, in->val, sizeof(to->val));
		return 1;
	}
	known = to->known & in->known;
	for (unsigned int reg = 0; reg < TRACKED_REGS; reg++)
		if ((known >> reg & 1) && to->val[reg] != in->val[reg])
			known &= (uint16_t)~(1u << reg);
	if (known == to->known)
		return 0;
	to->known = known;
	return 1;
}

static int valid_targets(const struct bpf_insn *insns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long target = (long)i + 1 + insns[i].off;

		if (!modelled(insns, n, i))
			return 0;
		if (is_ld_imm64(&insns[i])) {
			i++;
			continue;
		}
		/* a jump outside, or into an ld_imm64's half */
		if (is_jump(&insns[i]) &&
		    (target < 0 || (size_t)target >= n ||
		     (target > 0 && is_ld_imm64(&insns[target - 1]))))
			return 0;
	}
	return 1;
}

static int ends_block(const struct bpf_insn *insn)
{
	return is_jump(insn) || insn->code == (BPF_JMP | BPF_EXIT);
}

static size_t jump_target(const struct bpf_insn *insns, size_t i)
{
	return i + 1 + (size_t)(long)insns[i].off;
}

/* The basic blocks: leader[i] set where one starts (the entry, a jump's
 * target, what follows a jump or exit); first[b] is block b's first
 * insn, block_at[i] the block starting at i. Returns the block count. */
static uint32_t find_blocks(const struct bpf_insn *insns, size_t n,
			    unsigned char *leader, uint32_t *first,
			    uint32_t *block_at)
{
	uint32_t count = 0;

	leader[0] = 1;
	for (size_t i = 0; i < n; i += is_ld_imm64(&insns[i]) ? 2 : 1) {
		if (!ends_block(&insns[i]))
			continue;
		if (insns[i].code != (BPF_JMP | BPF_EXIT))
			leader[jump_target(insns, i)] = 1;
		if (i + 1 < n)
			leader[i + 1] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!leader[i])
			continue;
		first[count] = (uint32_t)i;
		block_at[i] = count++;
	}
	return count;
}

struct blocks {
	const struct bpf_insn *insns;
	size_t n;
	unsigned char *leader;
	uint32_t *first, *block_at, *work;
	struct regs *in;	/* by block: the registers on entry */
	uint32_t top;		/* of work */
};

static void flow_into(struct blocks *bl, size_t to, const struct regs *out)
{
	struct regs *in;

	if (to >= bl->n)
		return;		/* ran off the end: the verifier says so */
	in = &bl->in[bl->block_at[to]];
	if (merge(in, out) && !in->queued) {
		in->queued = 1;
		bl->work[bl->top++] = bl->block_at[to];	/* each block once */
	}
}

/* Run block b from its entry state; *last: its final insn, whose state
 * before it is left in *r. */
static void run_block(const struct blocks *bl, uint32_t b, struct regs *r,
		      size_t *last)
{
	size_t i = bl->first[b];

	*r = bl->in[b];
	for (;;) {
		size_t next = i + (is_ld_imm64(&bl->insns[i]) ? 2 : 1);

		if (ends_block(&bl->insns[i]) || next >= bl->n ||
		    bl->leader[next])
			break;
		step(&bl->insns[i], r);
		i = next;
	}
	*last = i;
}

/* Propagate from the entry until nothing changes. Each merge only
 * shrinks a known set (or reaches a block once), so this ends. */
static void propagate(struct blocks *bl)
{
	bl->in[0].reached = bl->in[0].queued = 1;
	bl->work[bl->top++] = 0;
	while (bl->top) {
		uint32_t b = bl->work[--bl->top];
		const struct bpf_insn *insn;
		struct regs r;
		size_t last;
		enum outcome o;

		bl->in[b].queued = 0;
		run_block(bl, b, &r, &last);
		insn = &bl->insns[last];
		if (insn->code == (BPF_JMP | BPF_EXIT))
			continue;
		if (insn->code == (BPF_JMP | BPF_JA)) {
			flow_into(bl, jump_target(bl->insns, last), &r);
			continue;
		}
		o = is_cond_jump(insn) ? decide(insn, &r) : NEVER;
		step(insn, &r);
		if (o != ALWAYS)
			flow_into(bl, last + (is_ld_imm64(insn) ? 2 : 1), &r);
		if (o != NEVER)
			flow_into(bl, jump_target(bl->insns, last), &r);
	}
}

/* Rewrite settled jumps; keep[i]: insn i stays. */
static void settle(struct bpf_insn *insns, const struct blocks *bl,
		   uint32_t nblocks, unsigned char *keep)
{
	for (uint32_t b = 0; b < nblocks; b++) {
		size_t end = b + 1 < nblocks ? bl->first[b + 1] : bl->n, last;
		struct bpf_insn *insn;
		struct regs r;

		memset(keep + bl->first[b], bl->in[b].reached,
		       end - bl->first[b]);
		if (!bl->in[b].reached)
			continue;
		run_block(bl, b, &r, &last);
		insn = &insns[last];
		if (!is_cond_jump(insn))
			continue;
		switch (decide(insn, &r)) {
		case NEVER:
			keep[last] = 0;	/* falls through: a no-op */
			break;
		case ALWAYS:
			insn->code = BPF_JMP | BPF_JA;
			insn->dst_reg = insn->src_reg = 0;
			insn->imm = 0;
			break;
		case MAYBE:
			break;
		}
	}
}

/* Drop what goes, pointing each jump at its old target's new place
 * (where a dropped target was, the next kept instruction: what it fell
 * through to). */
static size_t compact(struct bpf_insn *insns, size_t n,
		      const unsigned char *keep, uint32_t *new_index)
{
	uint32_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		new_index[i] = kept;
		kept += keep[i];
	}
	new_index[n] = kept;
	for (size_t i = 0; i < n; i += is_ld_imm64(&insns[i]) ? 2 : 1) {
		struct bpf_insn *insn = &insns[i];

		if (keep[i] && is_jump(insn)) {
			long to = new_index[jump_target(insns, i)];

			insn->off = (__s16)(to - (long)new_index[i] - 1);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			insns[new_index[i]] = insns[i];
	return kept;
}

/* Jumps to the next instruction (what a removal left, taken or not):
 * marked to go; 0 if there are none. */
static int mark_jumps_to_next(const struct bpf_insn *insns, size_t n,
			      unsigned char *keep)
{
	int found = 0;

	memset(keep, 1, n);
	for (size_t i = 0; i < n; i += is_ld_imm64(&insns[i]) ? 2 : 1) {
		const struct bpf_insn *insn = &insns[i];

		if (is_jump(insn) && insn->off == 0) {
			keep[i] = 0;
			found = 1;
		}
	}
	return found;
}

size_t dead_code_prune(struct bpf_insn *insns, size_t n)
{
	struct blocks bl = { .insns = insns, .n = n };
	uint32_t nblocks, *new_index;
	unsigned char *keep;

	if (!n || n > UINT32_MAX - 1 || !valid_targets(insns, n))
		return n;
	bl.leader = calloc(n, 1);
	bl.first = calloc(n, sizeof(*bl.first));
	bl.block_at = calloc(n, sizeof(*bl.block_at));
	keep = calloc(n, 1);
	new_index = calloc(n + 1, sizeof(*new_index));
	if (!bl.leader || !bl.first || !bl.block_at || !keep || !new_index)
		goto out;
	nblocks = find_blocks(insns, n, bl.leader, bl.first, bl.block_at);
	bl.in = calloc(nblocks, sizeof(*bl.in));
	bl.work = calloc(nblocks, sizeof(*bl.work));
	if (!bl.in || !bl.work)
		goto out;
	propagate(&bl);
	settle(insns, &bl, nblocks, keep);
	n = compact(insns, n, keep, new_index);
	while (mark_jumps_to_next(insns, n, keep))
		n = compact(insns, n, keep, new_index);
out:
	free(bl.leader);
	free(bl.first);
	free(bl.block_at);
	free(bl.in);
	free(bl.work);
	free(keep);
	free(new_index);
	return n;
}
