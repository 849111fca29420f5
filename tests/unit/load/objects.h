/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF objects the load/ tests run on: the embedded one, in this CPU's
 * byte order, and its big-endian twin (the Makefile's UNIT_BPFEB: the
 * same sources and flags, -target bpfeb). The readers here take an
 * object's fields byte by byte in its own order, independently of the
 * loader's code under test.
 */
#ifndef TEST_LOAD_OBJECTS_H
#define TEST_LOAD_OBJECTS_H

#include <elf.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

extern const unsigned char tt_bpf_object[], tt_bpf_object_end[];
extern const unsigned char tt_bpfeb_object[], tt_bpfeb_object_end[];

struct test_object {
	const char *name;
	const uint8_t *image;
	size_t size;
	int big_endian;		/* EI_DATA */
};

/* The native object (twin 0) or the big-endian twin (1). */
static inline struct test_object test_object(int twin)
{
	struct test_object o = {
		.name = twin ? "big-endian twin" : "native object",
		.image = twin ? tt_bpfeb_object : tt_bpf_object,
		.size = (size_t)(twin ? tt_bpfeb_object_end - tt_bpfeb_object
				      : tt_bpf_object_end - tt_bpf_object),
	};

	o.big_endian = o.image[EI_DATA] == ELFDATA2MSB;
	return o;
}

/* The width-byte field at p, stored big- or little-endian. */
static inline uint64_t field_get(const uint8_t *p, int width, int big_endian)
{
	uint64_t v = 0;

	for (int i = 0; i < width; i++)
		v = v << 8 | p[big_endian ? i : width - 1 - i];
	return v;
}

static inline void field_put(uint8_t *p, int width, uint64_t v,
			     int big_endian)
{
	for (int i = 0; i < width; i++, v >>= 8)
		p[big_endian ? width - 1 - i : i] = (uint8_t)v;
}

/* The 8 bytes of an instruction as stored in an object of that byte
 * order: off and imm in that order, and dst_reg in the register byte's
 * low nibble (little-endian) or high nibble (big-endian). */
static inline struct bpf_insn insn_decode(const uint8_t *b, int big_endian)
{
	struct bpf_insn insn = { .code = b[0] };

	insn.dst_reg = big_endian ? b[1] >> 4 : b[1] & 0xf;
	insn.src_reg = big_endian ? b[1] & 0xf : b[1] >> 4;
	insn.off = (int16_t)field_get(b + 2, 2, big_endian);
	insn.imm = (int32_t)field_get(b + 4, 4, big_endian);
	return insn;
}

/* n instructions stored at raw, decoded into a new buffer (free() it). */
static inline struct bpf_insn *insns_decode(const void *raw, size_t n,
					    int big_endian)
{
	struct bpf_insn *insns = calloc(n ? n : 1, sizeof(*insns));

	for (size_t i = 0; i < n; i++)
		insns[i] = insn_decode((const uint8_t *)raw + 8 * i,
				       big_endian);
	return insns;
}

#endif
