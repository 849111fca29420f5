// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for loader/output/: JSON, columns, errno names, the writer. */
#define _GNU_SOURCE	/* strerrorname_np */
#include <asm/errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containers/json_scan.h"
#include "output/errno_name.h"
#include "output/writer.h"
#include "output/output.h"
#include "output/select.h"
#include "unit.h"

/* The default selection: Inspektor Gadget's columns, every JSON key. */
static struct field_selection default_fields;

static int format_json(const struct tt_event *e,
		       const struct container_info *c, long long offset,
		       char *buf, size_t len)
{
	static struct document_form form;
	struct field_event fe = { e, c, offset, NULL };

	if (!form.nfields)
		document_form_init(&form, OUTPUT_JSON, default_fields.keys);
	return output_format_document(&form, &fe, buf, len);
}

static int format_columns(const struct tt_event *e,
			  const struct container_info *c, char *buf,
			  size_t len)
{
	struct field_event fe = { e, c, 0, NULL };

	return output_format_columns(&fe, &default_fields, buf, len);
}

static const char *columns_header(void)
{
	static char header[256];

	if (output_columns_header(&default_fields, header,
				  sizeof(header)) < 0)
		return "(overflow)";
	return header;
}

/* Monotonic 5.0 s + this offset = 2026-11-25T01:02:03.123456789Z. */
#define MONO_NS 5000000000ULL
#define WALL_OFFSET_NS 1795568518123456789LL

#define ALL_KNOWN (TT_KNOWN_NETNS | TT_KNOWN_MNTNS | TT_KNOWN_PARENT)

static void set_v4(__u8 addr[16], __u8 a, __u8 b, __u8 c, __u8 d)
{
	memset(addr, 0, 16);
	addr[0] = a;
	addr[1] = b;
	addr[2] = c;
	addr[3] = d;
}

/* curl (pid 12) connecting 127.0.0.1:41234 -> 127.0.0.1:80. */
static struct tt_event curl_connect(void)
{
	struct tt_event e;

	memset(&e, 0, sizeof(e));
	e.timestamp_ns = MONO_NS;
	e.type = TT_EVENT_CONNECT;
	e.family = 4;
	e.fd = 3;
	e.accept_fd = -1;
	e.netns_id = 4026531840u;
	e.mntns_id = 4026531841u;
	e.pid = e.tid = 12;
	e.ppid = 1;
	e.known = ALL_KNOWN;
	memcpy(e.comm, "curl", 5);
	memcpy(e.pcomm, "sh", 3);
	set_v4(e.saddr, 127, 0, 0, 1);
	set_v4(e.daddr, 127, 0, 0, 1);
	e.sport = 41234;
	e.dport = 80;
	return e;
}

/* Format e both ways into fixed buffers for comparison. */
static char json_buf[1024], col_buf[1024];

static const char *json_of(const struct tt_event *e)
{
	if (format_json(e, NULL, WALL_OFFSET_NS, json_buf,
			       sizeof(json_buf)) < 0)
		return "(overflow)";
	return json_buf;
}

/* The host's RUNTIME.CONTAINERNAME column: empty, 21 wide + a space. */
#define HOST_COLUMN "                      "

/* A host event's columns after the (checked) empty container column. */
static const char *columns_of(const struct tt_event *e)
{
	if (format_columns(e, NULL, col_buf, sizeof(col_buf)) < 0)
		return "(overflow)";
	CHECK(strncmp(col_buf, HOST_COLUMN, strlen(HOST_COLUMN)) == 0);
	return col_buf + strlen(HOST_COLUMN);
}

static void test_errno_name(void)
{
	CHECK_STR(errno_name(0), "");
	CHECK_STR(errno_name(1), "EPERM");
	CHECK_STR(errno_name(101), "ENETUNREACH");
	CHECK_STR(errno_name(110), "ETIMEDOUT");
	CHECK_STR(errno_name(111), "ECONNREFUSED");
	CHECK_STR(errno_name(113), "EHOSTUNREACH");
	CHECK_STR(errno_name(11), "EAGAIN");
	CHECK_STR(errno_name(35), "EDEADLK");
	CHECK_STR(errno_name(115), "EINPROGRESS");
	CHECK_STR(errno_name(133), "EHWPOISON");
	CHECK(errno_name(41) == NULL);	/* unused numbers */
	CHECK(errno_name(58) == NULL);
	CHECK(errno_name(134) == NULL);
	CHECK(errno_name(999) == NULL);
	CHECK(errno_name(-1) == NULL);
}

/* The table is the build CPU's: every number named as the host's
 * asm/errno.h names it (glibc's own table of it), and none more. */
static void test_errno_name_matches_cpu(void)
{
	int mismatches = 0;

	for (int n = 1; n < 4096; n++) {
		const char *want = strerrorname_np(n);
		const char *got = errno_name(n);

		if (want ? !got || strcmp(got, want) : got != NULL) {
			fprintf(stderr, "errno %d: %s, want %s\n", n,
				got ? got : "none", want ? want : "none");
			mismatches++;
		}
	}
	CHECK(mismatches == 0);
	CHECK_STR(errno_name(ECONNREFUSED), "ECONNREFUSED");
	CHECK_STR(errno_name(ETIMEDOUT), "ETIMEDOUT");
	CHECK_STR(errno_name(EHOSTUNREACH), "EHOSTUNREACH");
	CHECK_STR(errno_name(ECONNABORTED), "ECONNABORTED");
	CHECK_STR(errno_name(EINPROGRESS), "EINPROGRESS");
}

static void test_connect_ipv4_success(void)
{
	struct tt_event e = curl_connect();

	CHECK_STR(json_of(&e),
		  "{\"timestamp\":\"2026-11-25T01:02:03.123456789Z\",\"type\":\"connect\","
		  "\"error\":\"\",\"fd\":3,\"accept_fd\":-1,\"netns_id\":4026531840,"
		  "\"proc\":{\"comm\":\"curl\",\"pid\":12,\"tid\":12,"
		  "\"creds\":{\"uid\":0,\"gid\":0},\"mntns_id\":4026531841,"
		  "\"parent\":{\"comm\":\"sh\",\"pid\":1}},"
		  "\"src\":{\"addr\":\"127.0.0.1\",\"port\":41234,\"proto\":\"TCP\",\"version\":4},"
		  "\"dst\":{\"addr\":\"127.0.0.1\",\"port\":80,\"proto\":\"TCP\",\"version\":4}}");
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           127.0.0.1:80              curl             "
		  "     12      12      0      0 connect");
}

static void test_connect_refused(void)
{
	struct tt_event e = curl_connect();

	e.error = 111;
	e.uid = 1000;
	e.gid = 100;
	set_v4(e.daddr, 10, 1, 2, 254);
	e.dport = 8080;
	CHECK_STR(json_of(&e),
		  "{\"timestamp\":\"2026-11-25T01:02:03.123456789Z\",\"type\":\"connect\","
		  "\"error\":\"ECONNREFUSED\",\"fd\":3,\"accept_fd\":-1,\"netns_id\":4026531840,"
		  "\"proc\":{\"comm\":\"curl\",\"pid\":12,\"tid\":12,"
		  "\"creds\":{\"uid\":1000,\"gid\":100},\"mntns_id\":4026531841,"
		  "\"parent\":{\"comm\":\"sh\",\"pid\":1}},"
		  "\"src\":{\"addr\":\"127.0.0.1\",\"port\":41234,\"proto\":\"TCP\",\"version\":4},"
		  "\"dst\":{\"addr\":\"10.1.2.254\",\"port\":8080,\"proto\":\"TCP\",\"version\":4}}");
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           10.1.2.254:8080           curl             "
		  "     12      12   1000    100 connect  ECONNREFUSED");

	e.error = 999;	/* no name: the number */
	json_of(&e);
	CHECK(strstr(json_buf, "\"error\":\"999\",") != NULL);
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           10.1.2.254:8080           curl             "
		  "     12      12   1000    100 connect  999");

	e.error = TT_ERROR_UNKNOWN;	/* failed, errno untold: never "" */
	json_of(&e);
	CHECK(strstr(json_buf, "\"error\":\"unknown\",") != NULL);
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           10.1.2.254:8080           curl             "
		  "     12      12   1000    100 connect  unknown");
}

static void test_accept(void)
{
	struct tt_event e = curl_connect();

	e.type = TT_EVENT_ACCEPT;
	e.fd = 5;
	e.accept_fd = 7;
	e.pid = 4321;
	e.tid = 4325;
	memset(e.comm, 0, sizeof(e.comm));
	memcpy(e.comm, "nginx", 5);
	set_v4(e.saddr, 192, 168, 1, 10);
	e.sport = 443;
	set_v4(e.daddr, 192, 168, 1, 77);
	e.dport = 51000;
	CHECK_STR(json_of(&e),
		  "{\"timestamp\":\"2026-11-25T01:02:03.123456789Z\",\"type\":\"accept\","
		  "\"error\":\"\",\"fd\":5,\"accept_fd\":7,\"netns_id\":4026531840,"
		  "\"proc\":{\"comm\":\"nginx\",\"pid\":4321,\"tid\":4325,"
		  "\"creds\":{\"uid\":0,\"gid\":0},\"mntns_id\":4026531841,"
		  "\"parent\":{\"comm\":\"sh\",\"pid\":1}},"
		  "\"src\":{\"addr\":\"192.168.1.10\",\"port\":443,\"proto\":\"TCP\",\"version\":4},"
		  "\"dst\":{\"addr\":\"192.168.1.77\",\"port\":51000,\"proto\":\"TCP\",\"version\":4}}");
	CHECK_STR(columns_of(&e),
		  "192.168.1.10:443          192.168.1.77:51000        nginx            "
		  "   4321    4325      0      0 accept");

	e.type = TT_EVENT_CLOSE;
	CHECK(strstr(columns_of(&e), " close") != NULL);
	CHECK(strstr(json_of(&e), "\"type\":\"close\"") != NULL);
}

/* A close's lifetime: after "dst", each part only where known; never in
 * the columns. */
static void test_close_lifetime(void)
{
	struct tt_event e = curl_connect();
	const char *dst = "\"dst\":{\"addr\":\"127.0.0.1\",\"port\":80,"
			  "\"proto\":\"TCP\",\"version\":4}";
	char want[256];

	e.type = TT_EVENT_CLOSE;
	e.duration_ns = 18446744073709551615ULL;
	e.sent_bytes = 1000;
	e.received_bytes = 0;
	json_of(&e);
	CHECK(strstr(json_buf, "duration") == NULL);
	CHECK(strstr(json_buf, "_bytes") == NULL);

	e.known |= TT_KNOWN_DURATION;
	snprintf(want, sizeof(want), "%s,\"duration\":18446744073709551615}",
		 dst);
	CHECK(strstr(json_of(&e), want) != NULL);

	e.known |= TT_KNOWN_BYTES;
	e.duration_ns = 300000000;
	snprintf(want, sizeof(want), "%s,\"duration\":300000000,"
		 "\"sent_bytes\":1000,\"received_bytes\":0}", dst);
	CHECK(strstr(json_of(&e), want) != NULL);

	e.known &= (__u16)~TT_KNOWN_DURATION;
	snprintf(want, sizeof(want), "%s,\"sent_bytes\":1000,"
		 "\"received_bytes\":0}", dst);
	CHECK(strstr(json_of(&e), want) != NULL);
	CHECK(strstr(columns_of(&e), "1000") == NULL);
}

static void test_ipv6_loopback(void)
{
	struct tt_event e = curl_connect();

	e.family = 6;
	memset(e.saddr, 0, 16);
	e.saddr[15] = 1;
	memcpy(e.daddr, e.saddr, 16);
	CHECK(strstr(json_of(&e),
		     "\"src\":{\"addr\":\"::1\",\"port\":41234,\"proto\":\"TCP\",\"version\":6},"
		     "\"dst\":{\"addr\":\"::1\",\"port\":80,\"proto\":\"TCP\",\"version\":6}}") != NULL);
	CHECK_STR(columns_of(&e),
		  "[::1]:41234               [::1]:80                  curl             "
		  "     12      12      0      0 connect");
}

/* Text of an IPv6 address via the JSON "src" field. */
static const char *v6_text(const __u8 addr[16])
{
	static char out[64];
	struct tt_event e = curl_connect();
	const char *start, *end;

	e.family = 6;
	memcpy(e.saddr, addr, 16);
	start = strstr(json_of(&e), "\"src\":{\"addr\":\"");
	if (!start)
		return "(none)";
	start += strlen("\"src\":{\"addr\":\"");
	end = strchr(start, '"');
	snprintf(out, sizeof(out), "%.*s", (int)(end - start), start);
	return out;
}

static void test_ipv6_compression(void)
{
	static const __u8 link_local[16] = { 0xfe, 0x80, [15] = 1 };
	static const __u8 all_zero[16];
	static const __u8 doc[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				      0, 1, 0, 0, 0, 0, 0, 1 };	/* two runs */
	static const __u8 one_zero[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
					   0, 1, 0, 1, 0, 1, 0, 1 };
	static const __u8 tail_run[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34 };
	static const __u8 full[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd, 0x00, 0x12,
				       0x03, 0x40, 0xff, 0xff, 0xfe, 0xdc, 0x10, 0x00 };

	CHECK_STR(v6_text(link_local), "fe80::1");
	CHECK_STR(v6_text(all_zero), "::");
	CHECK_STR(v6_text(doc), "2001:db8::1:0:0:1");
	CHECK_STR(v6_text(one_zero), "2001:db8:0:1:1:1:1:1");
	CHECK_STR(v6_text(tail_run), "2001:db8:1234::");
	CHECK_STR(v6_text(full), "2001:db8:abcd:12:340:ffff:fedc:1000");
}

static void test_v4_mapped(void)
{
	struct tt_event e = curl_connect();

	e.family = 6;
	memset(e.saddr, 0, 16);
	e.saddr[10] = e.saddr[11] = 0xff;
	e.saddr[12] = 10;
	e.saddr[15] = 5;
	memcpy(e.daddr, e.saddr, 16);
	e.daddr[15] = 6;
	CHECK(strstr(json_of(&e),
		     "\"src\":{\"addr\":\"10.0.0.5\",\"port\":41234,\"proto\":\"TCP\",\"version\":4},"
		     "\"dst\":{\"addr\":\"10.0.0.6\",\"port\":80,\"proto\":\"TCP\",\"version\":4}}") != NULL);
	CHECK_STR(columns_of(&e),
		  "10.0.0.5:41234            10.0.0.6:80               curl             "
		  "     12      12      0      0 connect");

	/* ::ffff:0:0/96 only: a different prefix stays IPv6. */
	e.saddr[9] = 1;
	CHECK_STR(v6_text(e.saddr), "::1:ffff:a00:5");
}

static void test_comm_escaping(void)
{
	struct tt_event e = curl_connect();
	static const char odd[] = "a\"b\\c\x01" "d\xff";

	memset(e.comm, 0, sizeof(e.comm));
	memcpy(e.comm, odd, sizeof(odd) - 1);
	CHECK(strstr(json_of(&e), "\"comm\":\"a\\\"b\\\\c\\u0001d\\u00ff\",\"pid\"") != NULL);
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           127.0.0.1:80              a\"b\\c?d?         "
		  "     12      12      0      0 connect");

	/* All 16 bytes used, no NUL; pcomm follows directly in the struct. */
	memcpy(e.comm, "0123456789abcdef", TT_COMM_LEN);
	memcpy(e.pcomm, "XYZ", 4);
	CHECK(strstr(json_of(&e), "\"comm\":\"0123456789abcdef\",\"pid\":12") != NULL);
	CHECK(strstr(json_buf, "\"parent\":{\"comm\":\"XYZ\",\"pid\":1}") != NULL);
	CHECK_STR(columns_of(&e),
		  "127.0.0.1:41234           127.0.0.1:80              0123456789abcdef "
		  "     12      12      0      0 connect");
}

/* DEL and high bytes in a full-length comm, parent comm escaped too. */
static void test_comm_high_bytes(void)
{
	struct tt_event e = curl_connect();

	memcpy(e.comm, "\x7f\x80\x90zzzzzzzzzzzzz", TT_COMM_LEN);
	memcpy(e.pcomm, "p\tq", 4);
	json_of(&e);
	CHECK(strstr(json_buf, "\"comm\":\"\\u007f\\u0080\\u0090zzzzzzzzzzzzz\",") != NULL);
	CHECK(strstr(json_buf, "\"parent\":{\"comm\":\"p\\u0009q\",") != NULL);
	CHECK(strncmp(columns_of(&e) + 52, "???zzzzzzzzzzzzz ", 17) == 0);
}

static void test_known_bits(void)
{
	struct tt_event e = curl_connect();

	e.known = 0;
	CHECK_STR(json_of(&e),
		  "{\"timestamp\":\"2026-11-25T01:02:03.123456789Z\",\"type\":\"connect\","
		  "\"error\":\"\",\"fd\":3,\"accept_fd\":-1,"
		  "\"proc\":{\"comm\":\"curl\",\"pid\":12,\"tid\":12,"
		  "\"creds\":{\"uid\":0,\"gid\":0}},"
		  "\"src\":{\"addr\":\"127.0.0.1\",\"port\":41234,\"proto\":\"TCP\",\"version\":4},"
		  "\"dst\":{\"addr\":\"127.0.0.1\",\"port\":80,\"proto\":\"TCP\",\"version\":4}}");

	e.known = TT_KNOWN_MNTNS;
	json_of(&e);
	CHECK(strstr(json_buf, "netns_id") == NULL);
	CHECK(strstr(json_buf, "\"gid\":0},\"mntns_id\":4026531841},\"src\"") != NULL);
	CHECK(strstr(json_buf, "parent") == NULL);

	e.known = TT_KNOWN_NETNS | TT_KNOWN_PARENT;
	json_of(&e);
	CHECK(strstr(json_buf, "\"accept_fd\":-1,\"netns_id\":4026531840,\"proc\"") != NULL);
	CHECK(strstr(json_buf, "mntns_id") == NULL);
	CHECK(strstr(json_buf, "\"gid\":0},\"parent\":{\"comm\":\"sh\",\"pid\":1}},") != NULL);

	/* A namespace id of 0 (unreadable: an exiting task's) is omitted. */
	e.known = TT_KNOWN_NETNS | TT_KNOWN_MNTNS;
	e.netns_id = 0;
	e.mntns_id = 0;
	json_of(&e);
	CHECK(strstr(json_buf, "netns_id") == NULL);
	CHECK(strstr(json_buf, "mntns_id") == NULL);
	CHECK(strstr(json_buf, "\"gid\":0}},\"src\"") != NULL);
}

/* The decimal writer's edges: one and two digits, powers of ten,
 * the largest 32-bit value, and the 64-bit path (timestamps). */
static void test_numbers(void)
{
	struct tt_event e = curl_connect();
	char buf[1024];

	e.pid = 4294967295u;
	e.tid = 0;
	e.uid = 100;
	e.gid = 99;
	e.ppid = 10;
	e.fd = -2147483647 - 1;
	e.accept_fd = 9;
	CHECK(format_json(&e, NULL, 0, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"fd\":-2147483648,\"accept_fd\":9,") != NULL);
	CHECK(strstr(buf, "\"pid\":4294967295,\"tid\":0,\"creds\":{\"uid\":100,\"gid\":99}") != NULL);
	CHECK(strstr(buf, "\"parent\":{\"comm\":\"sh\",\"pid\":10}") != NULL);
	for (unsigned long long v = 1; v <= 4294967295ull; v = v * 10 + 7) {
		char want[32];

		e.pid = (unsigned int)v;
		snprintf(want, sizeof(want), "\"pid\":%llu,", v);
		CHECK(format_json(&e, NULL, 0, buf, sizeof(buf)) > 0);
		CHECK(strstr(buf, want) != NULL);
	}
	/* Year 2262: seconds beyond 32 bits, a 9-digit fraction. */
	e.timestamp_ns = 9223372036854775807ull;
	CHECK(format_json(&e, NULL, 0, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"timestamp\":\"2262-04-11T23:47:16.854775807Z\"", 45) == 0);
}

static void test_timestamps(void)
{
	struct tt_event e = curl_connect();
	char buf[512];

	e.timestamp_ns = 0;
	CHECK(format_json(&e, NULL, 0, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"timestamp\":\"1970-01-01T00:00:00.000000000Z\"", 45) == 0);
	CHECK(format_json(&e, NULL, -1, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"timestamp\":\"1969-12-31T23:59:59.999999999Z\"", 45) == 0);
	e.timestamp_ns = 7;	/* leap day, small fraction */
	CHECK(format_json(&e, NULL, 1709164800000000000LL, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"timestamp\":\"2024-02-29T00:00:00.000000007Z\"", 45) == 0);
}

static void test_header(void)
{
	char want[256];
	struct tt_event e = curl_connect();
	const char *line = columns_of(&e);
	const char *header = columns_header();

	snprintf(want, sizeof(want), "%-21s %-25s %-25s %-16s %7s %7s %6s %6s %-8s %s",
		 "RUNTIME.CONTAINERNAME", "SRC", "DST", "COMM", "PID", "TID",
		 "UID", "GID", "TYPE", "ERROR");
	CHECK_STR(header, want);
	/* After the 22 columns of RUNTIME.CONTAINERNAME: PID ends at column
	 * 76 over its number; TYPE starts at 99. */
	header += strlen(HOST_COLUMN);
	CHECK(strncmp(header + 73, "PID ", 4) == 0);
	CHECK(strncmp(line + 74, "12 ", 3) == 0);
	CHECK(strncmp(header + 99, "TYPE ", 5) == 0);
	CHECK(strcmp(line + 99, "connect") == 0);
}

static void buffer_too_small(const struct container_info *c)
{
	struct tt_event e = curl_connect();
	char full[2048], *small;
	int json_len, col_len;
	size_t n;

	json_len = format_json(&e, c, WALL_OFFSET_NS, full, sizeof(full));
	CHECK(json_len > 0 && (size_t)json_len == strlen(full));
	col_len = format_columns(&e, c, full, sizeof(full));
	CHECK(col_len > 0 && (size_t)col_len == strlen(full));

	/* Exact-size heap buffers: room for the NUL is needed, no overrun. */
	for (n = 0; n <= (size_t)json_len + 1; n++) {
		small = malloc(n ? n : 1);
		if (!small)
			break;
		CHECK(format_json(&e, c, WALL_OFFSET_NS, small, n) ==
		      (n > (size_t)json_len ? json_len : -1));
		CHECK(format_columns(&e, c, small, n) ==
		      (n > (size_t)col_len ? col_len : -1));
		free(small);
	}
	CHECK(format_json(&e, c, 0, full, 10) == -1);
}

static struct container_info podman_container(void)
{
	struct container_info c;

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "fff02880aab62b76ef703ff8dd4578778a0060538be93cb1729e58e15509025e");
	strcpy(c.runtime, "podman");
	strcpy(c.name, "test-trace-tcp");
	strcpy(c.image, "localhost/tt-busybox:latest");
	return c;
}

static void test_buffer_too_small(void)
{
	struct container_info c = podman_container();

	buffer_too_small(NULL);
	strcpy(c.k8s_namespace, "default");
	strcpy(c.k8s_pod, "web-0");
	strcpy(c.k8s_container, "nginx");
	buffer_too_small(&c);
}

/* RUNTIME.CONTAINERNAME and IG's runtime/k8s objects. */
static void test_container(void)
{
	struct tt_event e = curl_connect();
	struct container_info c = podman_container();
	char buf[2048];

	CHECK(format_columns(&e, &c, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "test-trace-tcp        127.0.0.1:41234 ", 38) == 0);
	CHECK(format_json(&e, &c, WALL_OFFSET_NS, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"timestamp\":\"2026-11-25T01:02:03.123456789Z\","
		      "\"runtime\":{\"containerName\":\"test-trace-tcp\","
		      "\"containerId\":\"fff02880aab62b76ef703ff8dd4578778a0060538be93cb1729e58e15509025e\","
		      "\"runtimeName\":\"podman\","
		      "\"containerImageName\":\"localhost/tt-busybox:latest\"},"
		      "\"type\":\"connect\",", 234) == 0);
	CHECK(strstr(buf, "\"k8s\"") == NULL);

	/* Runtime state not found: the short id, and only what is known. */
	c.name[0] = c.image[0] = '\0';
	CHECK(format_columns(&e, &c, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "fff02880aab6          127.0.0.1:41234 ", 38) == 0);
	CHECK(format_json(&e, &c, 0, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, ",\"runtime\":{\"containerId\":\"fff02880aab62b76ef703ff8"
		      "dd4578778a0060538be93cb1729e58e15509025e\",\"runtimeName\":"
		      "\"podman\"},\"type\"") != NULL);

	/* Kubernetes: the k8s object, with escaping of odd bytes. */
	c = podman_container();
	strcpy(c.k8s_namespace, "kube-system");
	strcpy(c.k8s_pod, "coredns-\"x\\");
	strcpy(c.k8s_container, "coredns");
	CHECK(format_json(&e, &c, 0, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"k8s\":{\"namespace\":\"kube-system\",\"podName\":"
		      "\"coredns-\\\"x\\\\\",\"containerName\":\"coredns\"},\"type\"")
	      != NULL);

	/* A name longer than the column is printed whole. */
	memset(c.name, 'n', 40);
	c.name[40] = '\0';
	CHECK(format_columns(&e, &c, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf + 39, "n 127.0.0.1:41234 ", 18) == 0);
}

/* The containerName of a JSON line, which must be valid strict JSON. */
static const char *json_name(const char *line)
{
	static const char *const path[] = { "runtime", "containerName" };
	static char name[512];
	struct json_val root;

	if (json_parse(line, strlen(line), &root) ||
	    json_find_string(&root, path, 2, name, sizeof(name)) != 1)
		return "(not valid JSON)";
	return name;
}

/* 1 if every byte of s is printable ASCII. */
static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Names from state files: valid UTF-8 kept, what a terminal obeys
 * escaped, bytes that are not UTF-8 escaped one by one; columns only
 * printable ASCII. */
static void test_container_name_bytes(void)
{
	static const struct {
		const char *name, *json, *decoded;
	} cases[] = {
		{ "caf\xc3\xa9-\xe5\x90\x8d\xf0\x9f\x98\x80",
		  "caf\xc3\xa9-\xe5\x90\x8d\xf0\x9f\x98\x80",
		  "caf\xc3\xa9-\xe5\x90\x8d\xf0\x9f\x98\x80" },
		{ "a\xc2\x9b" "31m\xc2\x85z", "a\\u009b31m\\u0085z",
		  "a\xc2\x9b" "31m\xc2\x85z" },
		{ "x\xef\xbf\xbfy\xc2\xa0", "x\\uffffy\xc2\xa0",
		  "x\xef\xbf\xbfy\xc2\xa0" },
		{ "\xff\xc3(\xe5\x90", "\\u00ff\\u00c3(\\u00e5\\u0090",
		  "\xc3\xbf\xc3\x83(\xc3\xa5\xc2\x90" },
		{ "\xed\xa0\x80\xc0\xaf", "\\u00ed\\u00a0\\u0080\\u00c0\\u00af",
		  "\xc3\xad\xc2\xa0\xc2\x80\xc3\x80\xc2\xaf" },
		{ "q\"b\\\x7f\x01", "q\\\"b\\\\\\u007f\\u0001", "q\"b\\\x7f\x01" },
	};
	struct tt_event e = curl_connect();
	struct container_info c = podman_container();
	char buf[2048], want[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcpy(c.name, cases[i].name);
		CHECK(format_json(&e, &c, 0, buf, sizeof(buf)) > 0);
		snprintf(want, sizeof(want), "\"containerName\":\"%s\",",
			 cases[i].json);
		CHECK(strstr(buf, want) != NULL);
		CHECK_STR(json_name(buf), cases[i].decoded);
		CHECK(format_columns(&e, &c, buf, sizeof(buf)) > 0);
		CHECK(printable(buf));
	}
}

/* Every string of a container at its longest, of bytes escaped 6 to 1:
 * the line still fits the writer's and is valid JSON. */
static void test_container_longest_strings(void)
{
	static char line[16384];
	struct tt_event e = curl_connect();
	struct container_info c = podman_container();

	memset(c.name, 0x01, sizeof(c.name) - 1);
	memset(c.image, 0x02, sizeof(c.image) - 1);
	memset(c.k8s_namespace, '"', sizeof(c.k8s_namespace) - 1);
	memset(c.k8s_pod, 0x1b, sizeof(c.k8s_pod) - 1);
	memset(c.k8s_container, 0xff, sizeof(c.k8s_container) - 1);
	CHECK(format_json(&e, &c, 0, line, sizeof(line)) > 8000);
	CHECK(strlen(json_name(line)) == sizeof(c.name) - 1);
	CHECK(format_columns(&e, &c, line, sizeof(line)) > 0);
	CHECK(printable(line));
}

/* The event writer: what it writes, and its accounting when it cannot. */
static void test_event_writer(void)
{
	static struct event_writer w;
	struct tt_event e = curl_connect();
	char got[4096] = "", want[4096];
	int fds[2];
	ssize_t n;
	int full;

	if (pipe(fds)) {
		CHECK(!"pipe failed");
		return;
	}
	event_writer_init(&w, fds[1], OUTPUT_COLUMNS, &default_fields, 0,
			  NULL);
	snprintf(want, sizeof(want), "%s\n", columns_header());
	CHECK(event_writer_text(&w, want) == 0);
	event_writer_add(&w, &e, NULL);
	event_writer_add(&w, &e, NULL);
	CHECK(w.printed == 0);	/* nothing written before the batch ends */
	CHECK(event_writer_flush(&w) == 0);
	CHECK(w.printed == 2 && w.unwritten == 0);
	close(fds[1]);
	n = read(fds[0], got, sizeof(got) - 1);
	close(fds[0]);
	got[n > 0 ? n : 0] = '\0';
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 HOST_COLUMN "%s\n" HOST_COLUMN "%s\n", columns_of(&e),
		 columns_of(&e));
	CHECK_STR(got, want);

	/* An fd that cannot be written: every event is counted, as unwritten. */
	full = open("/dev/full", O_WRONLY);
	if (full < 0)
		return;
	event_writer_init(&w, full, OUTPUT_JSON, &default_fields, 0, NULL);
	for (int i = 0; i < 3; i++)
		event_writer_add(&w, &e, NULL);
	CHECK(event_writer_flush(&w) == -1);
	event_writer_add(&w, &e, NULL);
	CHECK(event_writer_flush(&w) == -1);
	CHECK(w.printed == 0 && w.unwritten == 4);
	close(full);
}

int main(void)
{
	field_selection_default(&default_fields, FIELDS_LOCAL);
	RUN(test_errno_name);
	RUN(test_errno_name_matches_cpu);
	RUN(test_connect_ipv4_success);
	RUN(test_connect_refused);
	RUN(test_accept);
	RUN(test_close_lifetime);
	RUN(test_ipv6_loopback);
	RUN(test_ipv6_compression);
	RUN(test_v4_mapped);
	RUN(test_comm_escaping);
	RUN(test_comm_high_bytes);
	RUN(test_known_bits);
	RUN(test_numbers);
	RUN(test_timestamps);
	RUN(test_header);
	RUN(test_container);
	RUN(test_container_name_bytes);
	RUN(test_container_longest_strings);
	RUN(test_buffer_too_small);
	RUN(test_event_writer);
	UNIT_EXIT();
}
