// SPDX-License-Identifier: GPL-2.0-only
/* Dropping capabilities (see capabilities.h). */
#include "sandbox/capabilities.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CAP_BPF
#define CAP_BPF 39	/* headers older than the kernel */
#endif

#define BIT(cap) (1ull << (cap))
/* The highest CAP_* number any kernel may have: 64 bits in the sets. */
#define CAP_SLOTS 64

static int caps_get(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct head = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};

	return (int)syscall(__NR_capget, &head, data);
}

static int caps_set(uint64_t set)
{
	struct __user_cap_header_struct head = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	for (int i = 0; i < 2; i++)
		data[i].effective = data[i].permitted =
			(uint32_t)(set >> (32 * i));
	return (int)syscall(__NR_capset, &head, data);
}

/* The bits of the permitted set. */
static uint64_t permitted(const struct __user_cap_data_struct data[2])
{
	return data[0].permitted | (uint64_t)data[1].permitted << 32;
}

/* Every capability outside keep out of the bounding set, which only an
 * execve would use: the filter refuses execve already, but a kernel
 * without seccomp filters runs without one. Best effort: it needs
 * CAP_SETPCAP; it stops at the kernel's last capability. */
static void drop_bounding(uint64_t keep)
{
	for (int cap = 0; cap < CAP_SLOTS; cap++) {
		if (keep & BIT(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL)
			break;
	}
}

int capabilities_keep_for_run(int unmounts_tracefs, uint64_t *kept,
			      struct tt_err *err)
{
	struct __user_cap_data_struct data[2];
	uint64_t have, keep;

	if (caps_get(data))
		return tt_fail(err, "cannot read the capabilities: %s",
			       strerror(errno));
	have = permitted(data);
	keep = BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH);
	keep |= (have & BIT(CAP_BPF)) ? BIT(CAP_BPF) : BIT(CAP_SYS_ADMIN);
	if (unmounts_tracefs)
		keep |= BIT(CAP_SYS_ADMIN);
	keep &= have;
	drop_bounding(keep);
	if (caps_set(keep))
		return tt_fail(err, "cannot drop capabilities: %s",
			       strerror(errno));
	*kept = keep;
	return 0;
}

void capabilities_name(uint64_t set, char *out, unsigned int size)
{
	static const struct { int cap; const char *name; } names[] = {
		{ CAP_DAC_OVERRIDE, "cap_dac_override" },
		{ CAP_DAC_READ_SEARCH, "cap_dac_read_search" },
		{ CAP_SYS_ADMIN, "cap_sys_admin" },
		{ CAP_BPF, "cap_bpf" },
	};
	unsigned int len = 0;

	snprintf(out, size, "none");
	for (unsigned int i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!(set & BIT(names[i].cap)) || len >= size)
			continue;
		len += (unsigned int)snprintf(out + len, size - len, "%s%s",
					      len ? "," : "", names[i].name);
	}
}
