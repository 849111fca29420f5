// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/kernel/cpus.c. */
#include <string.h>
#include <unistd.h>

#include "kernel/cpus.h"
#include "unit.h"

static unsigned char mask[MAX_CPUS];

/* Which CPUs the mask holds, as "0,1,3" (at most the first 32). */
static const char *mask_string(void)
{
	static char buf[256];
	size_t len = 0;
	int shown = 0;

	buf[0] = '\0';
	for (int cpu = 0; cpu < MAX_CPUS && shown < 32; cpu++) {
		if (!mask[cpu])
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d",
					shown++ ? "," : "", cpu);
	}
	return buf;
}

static int parses_to(const char *text, int count, const char *cpus)
{
	int got = cpus_parse(text, mask);

	if (got != count || strcmp(mask_string(), cpus)) {
		fprintf(stderr, "  \"%s\": %d cpus {%s}, want %d {%s}\n", text,
			got, mask_string(), count, cpus);
		return 0;
	}
	return 1;
}

static void test_valid(void)
{
	CHECK(parses_to("0", 1, "0"));
	CHECK(parses_to("0-3", 4, "0,1,2,3"));
	CHECK(parses_to("0-1,3,5-6\n", 5, "0,1,3,5,6"));
	CHECK(parses_to("0,0", 1, "0"));
	CHECK(parses_to("0-2,1-3", 4, "0,1,2,3"));
	CHECK(parses_to("1023", 1, "1023"));
	CHECK(parses_to("7\n", 1, "7"));
	CHECK(cpus_parse("0-1023", mask) == MAX_CPUS);
	CHECK(mask[0] && mask[511] && mask[1023]);
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"", "\n", "3-1", "1-", "-1", "a", "1a", "1024", "0-1024",
		"99999999999999999999", "1,,2", ",1", "1 2", "1-2-3", " 1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cpus_parse(bad[i], mask) != -1) {
			fprintf(stderr, "  \"%s\" accepted\n", bad[i]);
			unit_failed_checks++;
		}
	}
}

static void test_span(void)
{
	memset(mask, 0, sizeof(mask));
	CHECK(cpus_span(mask) == 0);
	CHECK(cpus_parse("0", mask) == 1 && cpus_span(mask) == 1);
	CHECK(cpus_parse("0-1,3,5-6", mask) == 5 && cpus_span(mask) == 7);
	CHECK(cpus_parse("2", mask) == 1 && cpus_span(mask) == 3);
	CHECK(cpus_parse("1023", mask) == 1 && cpus_span(mask) == MAX_CPUS);
	CHECK(cpus_parse("0-1023", mask) == MAX_CPUS &&
	      cpus_span(mask) == MAX_CPUS);
}

static void test_read(void)
{
	CHECK(cpus_read("no-such-file", mask) == -1);
	if (access("/sys/devices/system/cpu/possible", R_OK) == 0) {
		int n = cpus_read("possible", mask);

		CHECK(n >= 1 && cpus_span(mask) >= n);
	}
}

int main(void)
{
	RUN(test_valid);
	RUN(test_invalid);
	RUN(test_span);
	RUN(test_read);
	UNIT_EXIT();
}
