// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/kernel/tp_format.c against real and hostile
 * format files. */
#include <stdlib.h>
#include <string.h>

#include "kernel/tp_format.h"
#include "unit.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

/*
 * Read a fixture into a heap block of exactly its size, with no NUL after
 * it, so ASan reports any read past the length the parser was given.
 */
static char *read_fixture(const char *name, size_t *len)
{
	char path[256];
	char *text;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), FIXTURES "/formats/%s", name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = malloc(size > 0 ? (size_t)size : 1);
	if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
	}
	fclose(f);
	*len = (size_t)size;
	return text;
}

/* Parse a fixture; 0 on success (nonzero also fails a check). */
static int parse_fixture(const char *name, struct tp_format *fmt)
{
	struct tt_err err;
	size_t len;
	char *text = read_fixture(name, &len);
	int rc;

	CHECK(text != NULL);
	if (!text)
		return -1;
	rc = tp_format_parse(text, len, fmt, &err);
	if (rc)
		fprintf(stderr, "  %s: %s\n", name, err.msg);
	CHECK(rc == 0);
	free(text);
	return rc;
}

/* The field exists with this offset, size and signedness. */
static int has_field(const struct tp_format *fmt, const char *name,
		     unsigned int offset, unsigned int size, int is_signed)
{
	const struct tp_field *f = tp_format_field(fmt, name);

	if (!f) {
		fprintf(stderr, "  no field %s\n", name);
		return 0;
	}
	if (f->offset != offset || f->size != size ||
	    f->is_signed != is_signed) {
		fprintf(stderr, "  %s: offset %u size %u signed %d\n", name,
			f->offset, f->size, f->is_signed);
		return 0;
	}
	return 1;
}

static void check_common_fields(const struct tp_format *fmt)
{
	CHECK(has_field(fmt, "common_type", 0, 2, 0));
	CHECK(has_field(fmt, "common_flags", 2, 1, 0));
	CHECK(has_field(fmt, "common_preempt_count", 3, 1, 0));
	CHECK(has_field(fmt, "common_pid", 4, 4, 1));
}

static void test_inet_sock_set_state_6_18(void)
{
	struct tp_format fmt;

	if (parse_fixture("inet_sock_set_state-6.18.format", &fmt))
		return;
	CHECK(fmt.id == 2287);
	CHECK(fmt.nfields == 15);
	check_common_fields(&fmt);
	CHECK(has_field(&fmt, "skaddr", 8, 8, 0));
	CHECK(has_field(&fmt, "oldstate", 16, 4, 1));
	CHECK(has_field(&fmt, "newstate", 20, 4, 1));
	CHECK(has_field(&fmt, "sport", 24, 2, 0));
	CHECK(has_field(&fmt, "dport", 26, 2, 0));
	CHECK(has_field(&fmt, "family", 28, 2, 0));
	CHECK(has_field(&fmt, "protocol", 30, 2, 0));
	CHECK(has_field(&fmt, "saddr", 32, 4, 0));
	CHECK(has_field(&fmt, "daddr", 36, 4, 0));
	CHECK(has_field(&fmt, "saddr_v6", 40, 16, 0));
	CHECK(has_field(&fmt, "daddr_v6", 56, 16, 0));
	CHECK(tp_format_field(&fmt, "sock_cookie") == NULL);
	CHECK(tp_format_field(&fmt, "saddr[4]") == NULL);
	CHECK(tp_format_field(&fmt, "") == NULL);
	CHECK(tp_format_field(&fmt, "print") == NULL);
}

static void test_inet_sock_set_state_6_1(void)
{
	struct tp_format fmt;

	if (parse_fixture("inet_sock_set_state-6.1.format", &fmt))
		return;
	CHECK(fmt.id == 1395);
	CHECK(fmt.nfields == 15);
	check_common_fields(&fmt);
	CHECK(has_field(&fmt, "family", 28, 2, 0));
	CHECK(has_field(&fmt, "protocol", 30, 2, 0));
	CHECK(has_field(&fmt, "saddr", 32, 4, 0));
	CHECK(has_field(&fmt, "daddr_v6", 56, 16, 0));
}

/* 4.16..5.5: protocol was a __u8, so the addresses sit at odd offsets. */
static void test_inet_sock_set_state_4_16(void)
{
	struct tp_format fmt;

	if (parse_fixture("inet_sock_set_state-4.16.format", &fmt))
		return;
	CHECK(fmt.id == 1183);
	CHECK(fmt.nfields == 15);
	check_common_fields(&fmt);
	CHECK(has_field(&fmt, "skaddr", 8, 8, 0));
	CHECK(has_field(&fmt, "newstate", 20, 4, 1));
	CHECK(has_field(&fmt, "sport", 24, 2, 0));
	CHECK(has_field(&fmt, "family", 28, 2, 0));
	CHECK(has_field(&fmt, "protocol", 30, 1, 0));
	CHECK(has_field(&fmt, "saddr", 31, 4, 0));
	CHECK(has_field(&fmt, "daddr", 35, 4, 0));
	CHECK(has_field(&fmt, "saddr_v6", 39, 16, 0));
	CHECK(has_field(&fmt, "daddr_v6", 55, 16, 0));
}

static void test_inet_sk_error_report(void)
{
	struct tp_format fmt;

	if (parse_fixture("inet_sk_error_report-6.18.format", &fmt))
		return;
	CHECK(fmt.id == 2286);
	check_common_fields(&fmt);
	CHECK(has_field(&fmt, "error", 8, 4, 1));
	CHECK(has_field(&fmt, "sport", 12, 2, 0));
	CHECK(has_field(&fmt, "protocol", 18, 2, 0));
	CHECK(has_field(&fmt, "saddr", 20, 4, 0));
	CHECK(has_field(&fmt, "daddr_v6", 44, 16, 0));
	CHECK(tp_format_field(&fmt, "skaddr") == NULL);
}

static void test_tcp_destroy_sock(void)
{
	struct tp_format fmt;

	if (parse_fixture("tcp_destroy_sock-6.18.format", &fmt))
		return;
	CHECK(fmt.id == 2278);
	CHECK(has_field(&fmt, "skaddr", 8, 8, 0));
	CHECK(has_field(&fmt, "family", 20, 2, 0));
	CHECK(has_field(&fmt, "saddr", 22, 4, 0));
	CHECK(has_field(&fmt, "daddr_v6", 46, 16, 0));
	CHECK(has_field(&fmt, "sock_cookie", 64, 8, 0));
	CHECK(tp_format_field(&fmt, "protocol") == NULL);
}

static void test_syscalls(void)
{
	struct tp_format fmt;

	if (parse_fixture("sys_enter_connect-6.18.format", &fmt) == 0) {
		CHECK(fmt.id == 2230);
		CHECK(fmt.nfields == 8);
		CHECK(has_field(&fmt, "__syscall_nr", 8, 4, 1));
		CHECK(has_field(&fmt, "fd", 16, 8, 0));
		CHECK(has_field(&fmt, "uservaddr", 24, 8, 0));
		CHECK(has_field(&fmt, "addrlen", 32, 8, 0));
	}
	if (parse_fixture("sys_exit_connect-6.18.format", &fmt) == 0) {
		CHECK(fmt.id == 2229);
		CHECK(has_field(&fmt, "ret", 16, 8, 1));
		CHECK(tp_format_field(&fmt, "fd") == NULL);
	}
	if (parse_fixture("sys_enter_accept4-6.18.format", &fmt) == 0) {
		CHECK(fmt.id == 2234);
		CHECK(has_field(&fmt, "fd", 16, 8, 0));
		CHECK(has_field(&fmt, "upeer_sockaddr", 24, 8, 0));
		CHECK(has_field(&fmt, "upeer_addrlen", 32, 8, 0));
		CHECK(has_field(&fmt, "flags", 40, 8, 0));
	}
	if (parse_fixture("sys_exit_accept4-6.18.format", &fmt) == 0) {
		CHECK(fmt.id == 2233);
		CHECK(has_field(&fmt, "ret", 16, 8, 1));
	}
}

/* Parse a string literal exactly as long as it is (no NUL given). */
static int parse_text(const char *text, struct tp_format *fmt,
		      struct tt_err *err)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int rc;

	if (!copy)
		return -2;
	memcpy(copy, text, len);
	rc = tp_format_parse(copy, len, fmt, err);
	free(copy);
	return rc;
}

#define HEAD "name: x\nID: 7\nformat:\n"

static int rejects(const char *text)
{
	struct tp_format fmt;
	struct tt_err err = { "" };
	int rc = parse_text(text, &fmt, &err);

	if (rc == -1 && err.msg[0] == '\0')
		fprintf(stderr, "  rejected without a reason\n");
	return rc == -1 && err.msg[0] != '\0';
}

static void test_declarations(void)
{
	struct tp_format fmt;
	struct tt_err err;

	CHECK(parse_text(HEAD
			 "\tfield:__data_loc char[] name;"
			 "\toffset:8;\tsize:4;\tsigned:0;\n"
			 "\tfield:char comm[16];"
			 "\toffset:12;\tsize:16;\tsigned:1;\n"
			 "\tfield:struct sockaddr *addr ;"
			 "\toffset:32;\tsize:8;\n"
			 "\tfield:unsigned long long x_9 [ 2 ] ;"
			 "\toffset:40;\tsize:16;\tsigned:0;\n"
			 "\tfield:int last;"
			 " offset:56; size:4; signed:1; future:abc;",
			 &fmt, &err) == 0);
	CHECK(fmt.id == 7);
	CHECK(fmt.nfields == 5);
	CHECK(has_field(&fmt, "name", 8, 4, 0));
	CHECK(has_field(&fmt, "comm", 12, 16, 1));
	/* signed: absent -> 0 */
	CHECK(has_field(&fmt, "addr", 32, 8, 0));
	CHECK(has_field(&fmt, "x_9", 40, 16, 0));
	CHECK(has_field(&fmt, "last", 56, 4, 1));

	/* "print fmt:" ends the parse, whatever follows. */
	CHECK(parse_text(HEAD "\tfield:int a;\toffset:8;\tsize:4;\n"
			 "\nprint fmt: \"a\"\n"
			 "\tfield:int b;\toffset:bad;\n", &fmt, &err) == 0);
	CHECK(fmt.nfields == 1);
	/* Nothing before the fields is needed but the ID; CRLF tolerated. */
	CHECK(parse_text("ID: 65535\r\n field:int a;\toffset:0;\tsize:4;\r\n",
			 &fmt, &err) == 0);
	CHECK(fmt.id == 65535);
}

static void test_malformed(void)
{
	struct tp_format fmt;
	struct tt_err err;

	CHECK(rejects(""));
	CHECK(tp_format_parse(NULL, 0, &fmt, &err) == -1);
	CHECK(rejects("name: x\nformat:\n"
		      "\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\n"));
	CHECK(rejects(HEAD));	/* no fields at all */
	CHECK(rejects("ID:\n\tfield:int a;\toffset:8;\tsize:4;\n"));
	CHECK(rejects("ID: 12x\n\tfield:int a;\toffset:8;\tsize:4;\n"));
	CHECK(rejects("ID: 4294967296\n\tfield:int a;\toffset:8;\tsize:4;\n"));
	CHECK(rejects("ID: 1\nID: 2\n\tfield:int a;\toffset:8;\tsize:4;\n"));

	/* Truncated in the middle of a line. */
	CHECK(rejects(HEAD "\tfield:int common_pid;\toffset:4;\tsi"));
	CHECK(rejects(HEAD "\tfield:int common_pid;\toffset:4;\tsize:4"));
	CHECK(rejects(HEAD "\tfield:int common_pid;\toffset:4"));
	CHECK(rejects(HEAD "\tfield:int common_p"));
	CHECK(rejects(HEAD "\tfield:"));

	/* Garbage numbers. */
	CHECK(rejects(HEAD "\tfield:int a;\toffset:abc;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:-1;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:0x10;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:1 2;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;"
		      "\toffset:99999999999999999999999;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:65536;\tsize:0;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:65535;\tsize:1;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:40000;\tsize:40000;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:8;\tsize:4;\tsigned:2;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:8;\toffset:8;\tsize:4;\n"));

	/* Missing parts. */
	CHECK(rejects(HEAD "\tfield:int a;\tsize:4;\tsigned:0;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:4;\tsigned:0;\n"));
	CHECK(rejects(HEAD "\tfield:int a\toffset:4;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:;\toffset:4;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int 9;\toffset:4;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a];\toffset:4;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a[4;\toffset:4;\tsize:4;\n"));
	CHECK(rejects(HEAD "\tfield:int a;\toffset:4;\tsize:4;\n"
		      "\tfield:long a;\toffset:8;\tsize:8;\n"));

	/* The reason names the line. */
	CHECK(parse_text(HEAD "\tfield:int a;\toffset:x;\tsize:4;\n", &fmt,
			 &err) == -1);
	CHECK_STR(err.msg, "line 4: bad offset");
	/* No place for the reason: still a clean failure. */
	CHECK(parse_text("", &fmt, NULL) == -1);
}

/* Lines "field:int fN;" for n fields. */
static char *many_fields(unsigned int n)
{
	size_t cap = 64 + (size_t)n * 64, len;
	char *text = malloc(cap);
	unsigned int i;

	if (!text)
		return NULL;
	len = (size_t)snprintf(text, cap, HEAD);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"\tfield:int f%u;\toffset:%u;"
					"\tsize:4;\tsigned:1;\n", i, 8 + 4 * i);
	return text;
}

static void test_field_count_limit(void)
{
	struct tp_format fmt;
	struct tt_err err;
	char *text;

	text = many_fields(TP_MAX_FIELDS);
	CHECK(text && parse_text(text, &fmt, &err) == 0);
	CHECK(fmt.nfields == TP_MAX_FIELDS);
	CHECK(has_field(&fmt, "f31", 8 + 4 * 31, 4, 1));
	free(text);

	text = many_fields(TP_MAX_FIELDS + 1);
	CHECK(text && parse_text(text, &fmt, &err) == -1);
	CHECK(strstr(err.msg, "too many fields") != NULL);
	free(text);

	text = many_fields(1000);
	CHECK(text && parse_text(text, &fmt, &err) == -1);
	free(text);
}

static void test_name_length(void)
{
	struct tp_format fmt;
	struct tt_err err;
	char name[TP_FIELD_NAME_MAX + 1];
	size_t huge_len = 100000;
	char *huge = malloc(huge_len + 64);
	char text[256];

	/* 31 characters fit with the NUL, 32 do not. */
	memset(name, 'n', TP_FIELD_NAME_MAX - 1);
	name[TP_FIELD_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text),
		 HEAD "\tfield:int %s;\toffset:8;\tsize:4;\n", name);
	CHECK(parse_text(text, &fmt, &err) == 0);
	CHECK(tp_format_field(&fmt, name) != NULL);

	memset(name, 'n', TP_FIELD_NAME_MAX);
	name[TP_FIELD_NAME_MAX] = '\0';
	snprintf(text, sizeof(text),
		 HEAD "\tfield:int %s;\toffset:8;\tsize:4;\n", name);
	CHECK(rejects(text));

	if (!huge) {
		CHECK(!"malloc failed");
		return;
	}
	memcpy(huge, HEAD "\tfield:int ", 32);
	memset(huge + 32, 'h', huge_len);
	strcpy(huge + 32 + huge_len, ";\toffset:8;\tsize:4;\n");
	CHECK(rejects(huge));
	free(huge);
}

/*
 * Every prefix and many single-byte corruptions of a real file: each
 * either parses or is rejected, and ASan sees no stray read.
 */
static void test_truncations_and_corruptions(void)
{
	static const char replacements[] = {
		'\0', '\n', ';', ':', '[', ']', '9', 'x', ' '
	};
	struct tp_format fmt;
	struct tt_err err;
	size_t len, cut, i;
	char *text = read_fixture("inet_sock_set_state-6.18.format", &len);
	int accepted = 0, rejected = 0;

	CHECK(text != NULL);
	if (!text)
		return;
	for (cut = 0; cut <= len; cut++) {
		char *prefix = malloc(cut ? cut : 1);

		if (!prefix)
			break;
		memcpy(prefix, text, cut);
		if (tp_format_parse(prefix, cut, &fmt, &err) == 0)
			accepted++;
		else
			rejected++;
		free(prefix);
	}
	for (cut = 0; cut < len; cut++) {
		char saved = text[cut];

		for (i = 0; i < sizeof(replacements); i++) {
			text[cut] = replacements[i];
			if (tp_format_parse(text, len, &fmt, &err) == 0)
				CHECK(fmt.nfields <= TP_MAX_FIELDS);
		}
		text[cut] = saved;
	}
	/* Cuts at line ends after the fields parse; mid-line cuts do not. */
	CHECK(accepted > 0 && rejected > 0);
	free(text);
}

int main(void)
{
	RUN(test_inet_sock_set_state_6_18);
	RUN(test_inet_sock_set_state_6_1);
	RUN(test_inet_sock_set_state_4_16);
	RUN(test_inet_sk_error_report);
	RUN(test_tcp_destroy_sock);
	RUN(test_syscalls);
	RUN(test_declarations);
	RUN(test_malformed);
	RUN(test_field_count_limit);
	RUN(test_name_length);
	RUN(test_truncations_and_corruptions);
	UNIT_EXIT();
}
