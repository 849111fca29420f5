/* SPDX-License-Identifier: GPL-2.0-only */
/* The running kernel's version, as LINUX_VERSION_CODE encodes it. */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))

/* From uname(2); 0 when it cannot be parsed. Kprobe programs must carry
 * it on kernels before 5.0; features are gated on it elsewhere. */
unsigned int kernel_version(void);

#endif
