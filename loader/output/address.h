/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IP addresses and endpoints as text. An address is 16 bytes with its
 * family (4 or 6); IPv4 sits in the first 4 bytes. An IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) is shown, and counted, as IPv4.
 */
#ifndef TT_OUTPUT_ADDRESS_H
#define TT_OUTPUT_ADDRESS_H

#include <linux/types.h>

#include "output/text.h"

/* 127.0.0.1, or RFC 5952 IPv6 text: 2001:db8::1. Returns the IP version
 * the address is shown as: 4 or 6. */
int put_address(struct text *t, int family, const __u8 addr[16]);

/* addr:port, or [addr]:port for IPv6. */
void put_endpoint(struct text *t, int family, const __u8 addr[16],
		  unsigned int port);

#endif
