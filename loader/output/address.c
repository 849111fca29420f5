// SPDX-License-Identifier: GPL-2.0-only
/* IP addresses and endpoints as text (see address.h). */
#include "output/address.h"

#include <string.h>

/* v in lowercase hex without leading zeros, at p; returns the end. */
static char *write_hex16(char *p, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex[(v >> shift) & 0xf];
	return p;
}

/* v (0 to 255) in decimal at p; returns the end. */
static char *write_octet(char *p, unsigned int v)
{
	if (v >= 100) {
		*p++ = (char)('0' + v / 100);
		v %= 100;
		*p++ = (char)('0' + v / 10);
	} else if (v >= 10) {
		*p++ = (char)('0' + v / 10);
	}
	*p++ = (char)('0' + v % 10);
	return p;
}

static void put_ipv4(struct text *t, const __u8 b[4])
{
	char text[16], *p = text;	/* "255.255.255.255" */

	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = write_octet(p, b[i]);
	}
	put_bytes(t, text, (size_t)(p - text));
}

/* Where the longest run (leftmost on ties) of two or more zero groups
 * starts, its length in *run_len; -1 and 0 if there is none. */
static int longest_zero_run(const unsigned int group[8], int *run_len)
{
	int i, run_start = -1, best_start = -1, best_len = 0;

	for (i = 0; i <= 8; i++) {
		if (i < 8 && group[i] == 0) {
			if (run_start < 0)
				run_start = i;
			continue;
		}
		if (run_start >= 0 && i - run_start > best_len) {
			best_start = run_start;
			best_len = i - run_start;
		}
		run_start = -1;
	}
	if (best_len < 2) {
		*run_len = 0;
		return -1;
	}
	*run_len = best_len;
	return best_start;
}

/* RFC 5952 text: the longest zero run becomes "::". */
static void put_ipv6(struct text *t, const __u8 b[16])
{
	char text[40], *p = text;	/* "ffff:...:ffff" */
	unsigned int group[8];
	int i, run_start, run_len;

	for (i = 0; i < 8; i++)
		group[i] = (unsigned int)b[2 * i] << 8 | b[2 * i + 1];
	run_start = longest_zero_run(group, &run_len);
	for (i = 0; i < 8; i++) {
		if (i == run_start) {
			*p++ = ':';
			*p++ = ':';
			i += run_len - 1;
			continue;
		}
		if (i > 0 && i != run_start + run_len)
			*p++ = ':';
		p = write_hex16(p, group[i]);
	}
	put_bytes(t, text, (size_t)(p - text));
}

static int is_v4_mapped(const __u8 b[16])
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

/* The IP version the address is shown as. */
static int address_version(int family, const __u8 addr[16])
{
	return family == 6 && !is_v4_mapped(addr) ? 6 : 4;
}

static void put_as_version(struct text *t, int version, int family,
			   const __u8 addr[16])
{
	if (version == 6)
		put_ipv6(t, addr);
	else
		put_ipv4(t, family == 6 ? addr + 12 : addr);
}

int put_address(struct text *t, int family, const __u8 addr[16])
{
	int version = address_version(family, addr);

	put_as_version(t, version, family, addr);
	return version;
}

void put_endpoint(struct text *t, int family, const __u8 addr[16],
		  unsigned int port)
{
	int version = address_version(family, addr);

	if (version == 6)
		put_char(t, '[');
	put_as_version(t, version, family, addr);
	if (version == 6)
		put_char(t, ']');
	put_char(t, ':');
	put_uint(t, port);
}
