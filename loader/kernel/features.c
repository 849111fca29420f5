// SPDX-License-Identifier: GPL-2.0-only
/* Kernel feature probes (see features.h). */
#include "kernel/features.h"

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "cpu_regs.h"
#include "kernel/bpf_syscall.h"
#include "kernel/btf/btf.h"
#include "kernel/inject.h"
#include "kernel/version.h"

int feature_kprobes(const struct tracefs *t)
{
	return tracefs_exists(t, TRACEFS_KPROBE_EVENTS);
}

int feature_ringbuf(void)
{
	int fd;

	if (hiding_injected("ringbuf"))
		return 0;
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "tt_probe", 0, 0,
			    (uint32_t)sysconf(_SC_PAGESIZE), 0);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

#ifdef TT_REGS_NR
/* Where the registers' offsets are not UAPI (include/cpu_regs.h): does
 * the running kernel's struct pt_regs, by its BTF, hold the first
 * argument and the number there? */
static int regs_layout_matches(void)
{
	struct btf_query q[2] = { { .path = "pt_regs.orig_x0" },
				  { .path = "pt_regs.syscallno" } };

	return btf_resolve(BTF_VMLINUX_PATH, q, 2, NULL) == 0 &&
	       q[0].found && !q[0].bitfield && q[0].size == 8 &&
	       q[0].offset == TT_REGS_ARG0 &&
	       q[1].found && !q[1].bitfield && q[1].size == 4 &&
	       q[1].offset == TT_REGS_NR;
}
#elif defined(TT_REGS_NONE)
static int regs_layout_matches(void)
{
	return 0;	/* not read from the registers on this CPU */
}
#else
static int regs_layout_matches(void)
{
	return 1;	/* UAPI: the kernel's own layout */
}
#endif

int feature_task_regs_helpers(void)
{
	return kernel_version() >= KERNEL_VERSION(5, 15, 0) &&
	       regs_layout_matches();
}

int feature_task_regs_loadable(void)
{
	/* An injected refusal (inject.h) loads far past the end of struct
	 * pt_regs, which every verifier refuses. */
	__s16 arg0 = refusal_injected("regs") ? (__s16)0x7ff0
					      : (__s16)TT_REGS_ARG0;
	/* r0 = pt_regs of current; r0 = the first argument; return 0: the
	 * loads bpf/task.h's current_syscall() makes. */
	const struct bpf_insn probe[] = {
		{ .code = BPF_JMP | BPF_CALL,
		  .imm = BPF_FUNC_get_current_task_btf },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_task_pt_regs },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_0, .off = arg0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "tt_probe_regs", probe,
			       sizeof(probe) / sizeof(probe[0]), "GPL", 0,
			       NULL, 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int feature_btf_typed_loads(void)
{
	return kernel_version() >= KERNEL_VERSION(6, 2, 0);
}

int feature_memlock_charged(void)
{
	return kernel_version() < KERNEL_VERSION(5, 11, 0);
}

/* Does /proc/interrupts list "IRQ work interrupts" (x86's IWI; the IRQ
 * work IPI of arm, arm64, riscv)? The text is searched in pieces that
 * overlap by the needle's length, so a match across two reads counts. */
static int irq_work_has_interrupt(void)
{
	static const char needle[] = "IRQ work interrupts";
	enum { KEEP = sizeof(needle) - 1 };
	char buf[4096 + KEEP + 1];
	size_t have = 0;
	ssize_t n;
	int fd, found = 0;

	if (hiding_injected("irq_work"))
		return 0;
	fd = open("/proc/interrupts", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (!found && (n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		buf[have] = '\0';
		found = strstr(buf, needle) != NULL;
		if (have > KEEP) {
			memmove(buf, buf + have - KEEP, KEEP);
			have = KEEP;
		}
	}
	close(fd);
	return found;
}

int feature_map_alloc_on_use(void)
{
	return kernel_version() >= KERNEL_VERSION(6, 1, 0) &&
	       irq_work_has_interrupt();
}

int feature_cgroup_ids(void)
{
	return kernel_version() >= KERNEL_VERSION(4, 18, 0);
}
