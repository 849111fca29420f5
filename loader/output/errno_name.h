/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ERRNO_NAME_H
#define ERRNO_NAME_H

/*
 * The symbolic name of a Linux errno value as the kernel reports it, in
 * the numbering of the CPU trace_tcp is built for (its asm/errno.h):
 * 111 -> "ECONNREFUSED" on x86_64, 146 on MIPS. 0 -> "", and NULL for a
 * value with no name. Independent of the C library's own table.
 */
const char *errno_name(int err);

/* The other way: the number of an errno name (any case), 0 if none. */
int errno_number(const char *name);

#endif
