/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dead code pruning: after relocation the loader knows every constant
 * the programs test (kernel features, field offsets, modes), so it can
 * settle those tests itself and drop the code no path reaches. The
 * verifier would find and remove the same code, but only after walking
 * and patching it: load time grows with the instructions handed to it.
 */
#ifndef DEAD_CODE_H
#define DEAD_CODE_H

#include <linux/bpf.h>
#include <stddef.h>

/* Settle the conditional jumps that constants decide and remove the
 * instructions no path reaches, in place. Returns the new instruction
 * count: n itself when nothing goes, or when the program holds an
 * instruction this pass does not model (then it is left untouched), or
 * when there is no memory for the analysis. */
size_t dead_code_prune(struct bpf_insn *insns, size_t n);

#endif
