/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every value the loader writes into the programs at load time (see
 * KCONST in bpf/bpf_api.h and loader/load/kconst.c, which lists the same
 * names). Offsets of tracepoint fields come from tracefs `format` files;
 * offsets of struct members from BTF; modes from the chosen backend.
 */
#ifndef TT_KCONST_H
#define TT_KCONST_H

#include "bpf_api.h"
#include "kconst_names.h"

#endif
