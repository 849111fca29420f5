// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/sandbox/seccomp_filter.c and allowed_calls.c:
 * the filter's instructions, and its verdicts run through a classic BPF
 * interpreter of the few instructions it uses. */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include "sandbox/allowed_calls.h"
#include "sandbox/seccomp_filter.h"
#include "unit.h"

#define ARCH 0xc000003eu
#define REFUSE (SECCOMP_RET_ERRNO | EPERM)
#define MAX 64

static const uint32_t commands[] = { 1, 15 };
static const struct allowed_call calls[] = {
	{ 0, 0, 0, 0 },		/* read: any arguments */
	{ 321, 0, 2, commands },	/* bpf: command 1 or 15 */
	{ 72, 1, 1, commands },	/* fcntl: second argument 1 */
	{ 60, 0, 0, 0 },
};
static const struct seccomp_target target = { ARCH, 0x40000000, 0 };

/* The filter's verdict on one call. */
static uint32_t run(const struct sock_filter *f, int len,
		    const struct seccomp_data *d)
{
	uint32_t a = 0;

	for (int pc = 0; pc >= 0 && pc < len; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			memcpy(&a, (const char *)d + i->k, sizeof(a));
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			return 0xdead;
		}
	}
	return 0xbad;	/* ran off the end */
}

static uint32_t verdict(int nr, uint32_t arch, uint64_t arg0, uint64_t arg1)
{
	struct sock_filter f[MAX];
	struct seccomp_data d;
	int len = seccomp_filter_build(&target, calls, 4, f, MAX, NULL);

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch;
	d.args[0] = arg0;
	d.args[1] = arg1;
	return len < 0 ? 0xfa11 : run(f, len, &d);
}

static void test_instructions(void)
{
	struct sock_filter f[MAX];
	int len = seccomp_filter_build(&target, calls, 4, f, MAX, NULL);

	/* arch 3, nr 1, x32 2, read 1, bpf 5, fcntl 4, exit 1, end 2 */
	CHECK(len == 19);
	CHECK(f[0].code == (BPF_LD | BPF_W | BPF_ABS) &&
	      f[0].k == offsetof(struct seccomp_data, arch));
	CHECK(f[1].code == (BPF_JMP | BPF_JEQ | BPF_K) && f[1].k == ARCH &&
	      f[1].jt == 1 && f[1].jf == 0);
	CHECK(f[2].code == (BPF_RET | BPF_K) && f[2].k == REFUSE);
	CHECK(f[3].k == offsetof(struct seccomp_data, nr));
	CHECK(f[4].code == (BPF_JMP | BPF_JGE | BPF_K) &&
	      f[4].k == 0x40000000);
	CHECK(f[7].k == 321 && f[7].jf == 4);
	CHECK(f[8].k == offsetof(struct seccomp_data, args[0]));
	CHECK(f[13].k == offsetof(struct seccomp_data, args[1]));
	CHECK(f[len - 2].code == (BPF_RET | BPF_K) && f[len - 2].k == REFUSE);
	CHECK(f[len - 1].code == (BPF_RET | BPF_K) &&
	      f[len - 1].k == SECCOMP_RET_ALLOW);
}

static void test_verdicts(void)
{
	CHECK(verdict(0, ARCH, 5, 0) == SECCOMP_RET_ALLOW);
	CHECK(verdict(60, ARCH, 0, 0) == SECCOMP_RET_ALLOW);
	CHECK(verdict(41, ARCH, 0, 0) == REFUSE);	/* not listed */
	CHECK(verdict(0, 0x40000003, 0, 0) == REFUSE);	/* another ABI */
	CHECK(verdict(0 | 0x40000000, ARCH, 0, 0) == REFUSE);	/* x32 */
	CHECK(verdict(321, ARCH, 1, 0) == SECCOMP_RET_ALLOW);
	CHECK(verdict(321, ARCH, 15, 0) == SECCOMP_RET_ALLOW);
	CHECK(verdict(321, ARCH, 5, 0) == REFUSE);	/* BPF_PROG_LOAD */
	/* only the low 32 bits count, as the kernel's int cmd */
	CHECK(verdict(321, ARCH, 0x100000001ull, 0) == SECCOMP_RET_ALLOW);
	CHECK(verdict(72, ARCH, 1, 1) == SECCOMP_RET_ALLOW);
	CHECK(verdict(72, ARCH, 1, 2) == REFUSE);
}

static void test_too_small(void)
{
	struct sock_filter f[MAX];
	struct tt_err err;

	CHECK(seccomp_filter_build(&target, calls, 4, f, 18, &err) == -1);
	CHECK(strstr(err.msg, "19 instructions") != NULL);
}

static void test_big_endian_arguments(void)
{
	static const struct seccomp_target be = { ARCH, 0, 1 };
	struct sock_filter f[MAX];
	int len = seccomp_filter_build(&be, calls, 4, f, MAX, NULL);

	CHECK(len == 17);	/* no x32 check */
	CHECK(f[6].k == offsetof(struct seccomp_data, args[0]) + 4);
}

/* The real table builds and allows what the loop needs, not socket(2). */
static void test_this_cpu(void)
{
	struct sock_filter f[128];
	struct seccomp_target t;
	struct seccomp_data d;
	unsigned int n;
	const struct allowed_call *list = allowed_calls(&n);
	int len;

	allowed_target(&t);
	len = seccomp_filter_build(&t, list, n, f, 128, NULL);
	CHECK(len > 0);
	memset(&d, 0, sizeof(d));
	d.arch = t.arch;
	d.nr = __NR_epoll_pwait;
	CHECK(run(f, len, &d) == SECCOMP_RET_ALLOW);
	d.nr = __NR_socket;
	CHECK(run(f, len, &d) == REFUSE);
	d.nr = __NR_execve;
	CHECK(run(f, len, &d) == REFUSE);
	d.nr = __NR_bpf;
	d.args[0] = 5;	/* BPF_PROG_LOAD */
	CHECK(run(f, len, &d) == REFUSE);
	d.args[0] = 1;	/* BPF_MAP_LOOKUP_ELEM */
	CHECK(run(f, len, &d) == SECCOMP_RET_ALLOW);
	d.nr = allowed_unmount.nr;
	CHECK(run(f, len, &d) == REFUSE);
}

int main(void)
{
	RUN(test_instructions);
	RUN(test_verdicts);
	RUN(test_too_small);
	RUN(test_big_endian_arguments);
	RUN(test_this_cpu);
	UNIT_EXIT();
}
