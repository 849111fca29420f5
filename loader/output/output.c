// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event formatting. Built from small append routines rather than printf:
 * they bound every write by the caller's buffer and keep the static
 * binary small.
 */
#include <string.h>
#include <time.h>

#include "output/errno_name.h"
#include "containers/runtime_state.h"
#include "output/output.h"

#define NSEC_PER_SEC 1000000000LL

/* An append-only text buffer that remembers whether anything was cut. */
struct text {
	char *buf;
	size_t cap;		/* bytes usable for text; one more holds the NUL */
	size_t len;
	int overflow;
};

static struct text text_init(char *buf, size_t buflen)
{
	struct text t = { buf, buflen ? buflen - 1 : 0, 0, buflen == 0 };

	return t;
}

/* NUL-terminate; the length, or -1 if the text did not fit. */
static int text_finish(struct text *t)
{
	if (t->overflow)
		return -1;
	t->buf[t->len] = '\0';
	return (int)t->len;
}

/* The primitives are on every event's path: always inlined, even at -Os
 * (they were 60% of trace_tcp's own CPU time as calls). A write that
 * does not fit sets overflow; text_finish then fails the whole line. */
#define HOT static inline __attribute__((always_inline))

HOT void put_bytes(struct text *t, const char *s, size_t n)
{
	if (n > t->cap - t->len) {
		t->overflow = 1;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* A string literal: its length is known at compile time. */
#define put_lit(t, s) put_bytes((t), (s), sizeof(s) - 1)

HOT void put_str(struct text *t, const char *s)
{
	put_bytes(t, s, strlen(s));
}

HOT void put_char(struct text *t, char c)
{
	if (t->len < t->cap)
		t->buf[t->len++] = c;
	else
		t->overflow = 1;
}

static void put_repeat(struct text *t, char c, size_t n)
{
	if (n > t->cap - t->len) {
		t->overflow = 1;
		return;
	}
	memset(t->buf + t->len, c, n);
	t->len += n;
}

static const char digit_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* How many decimal digits a 32-bit value has. */
static unsigned int digits32(unsigned int v)
{
	if (v < 100000)
		return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
	return v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8
	       : v < 1000000000 ? 9 : 10;
}

/* The digits of v, ending just before end, two per step. x / 100 is a
 * multiply for every 32-bit x (-Os would emit a div). */
static void write_digits32(char *end, unsigned int v)
{
	while (v >= 100) {
		unsigned int q = (unsigned int)(((unsigned long long)v *
						 1374389535u) >> 37);

		end -= 2;
		memcpy(end, digit_pairs + 2 * (v - q * 100), 2);
		v = q;
	}
	if (v >= 10) {
		memcpy(end - 2, digit_pairs + 2 * v, 2);
	} else {
		end[-1] = (char)('0' + v);
	}
}

/* Decimal, padded on the left with `pad` to at least width characters:
 * written in place, no scratch copy. */
static void put_uint_padded(struct text *t, unsigned long long v,
			    unsigned int width, char pad)
{
	unsigned int n, total;

	if (v >> 32) {	/* rare: the high digits, then the last 8 */
		put_uint_padded(t, v / 100000000, width > 8 ? width - 8 : 0, pad);
		put_uint_padded(t, v % 100000000, 8, '0');
		return;
	}
	n = digits32((unsigned int)v);
	total = n < width ? width : n;
	if (total > t->cap - t->len) {
		t->overflow = 1;
		return;
	}
	for (unsigned int i = 0; i < total - n; i++)	/* mostly none */
		t->buf[t->len + i] = pad;
	t->len += total;
	write_digits32(t->buf + t->len, (unsigned int)v);
}

/* Decimal, zero-padded to at least min_digits. */
static void put_uint_width(struct text *t, unsigned long long v, int min_digits)
{
	put_uint_padded(t, v, (unsigned int)min_digits, '0');
}

static void put_uint(struct text *t, unsigned long long v)
{
	put_uint_width(t, v, 1);
}

static void put_int(struct text *t, long long v)
{
	if (v < 0) {
		put_char(t, '-');
		put_uint(t, 0ULL - (unsigned long long)v);
	} else {
		put_uint(t, (unsigned long long)v);
	}
}

/* Lowercase hex without leading zeros, as in IPv6 text. */
static void put_hex16(struct text *t, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_char(t, hex[(v >> shift) & 0xf]);
}

/* s padded with spaces to width, on the right (left-aligned) or left. */
static void put_padded(struct text *t, const char *s, size_t width, int right_align)
{
	size_t n = strlen(s);
	size_t pad = n < width ? width - n : 0;

	if (right_align)
		put_repeat(t, ' ', pad);
	put_bytes(t, s, n);
	if (!right_align)
		put_repeat(t, ' ', pad);
}

static void put_uint_column(struct text *t, unsigned long long v, size_t width)
{
	put_uint_padded(t, v, (unsigned int)width, ' ');
}

/* ---- event fields ---- */

static const char *type_name(unsigned int type)
{
	switch (type) {
	case TT_EVENT_CONNECT:
		return "connect";
	case TT_EVENT_ACCEPT:
		return "accept";
	case TT_EVENT_CLOSE:
		return "close";
	}
	return "unknown";
}

/* The errno name, "" for success, or the number when it has no name. */
static void put_error(struct text *t, int err)
{
	const char *name = errno_name(err);

	if (name)
		put_str(t, name);
	else
		put_int(t, err);
}

/* "YYYY-MM-DDTHH:MM:SS." of a second since the epoch; 0 if gmtime_r
 * cannot represent it (then 1970-01-01T00:00:00.). */
static int date_prefix(long long secs, struct text *t)
{
	time_t when = (time_t)secs;
	struct tm tm;
	int ok = gmtime_r(&when, &tm) != NULL;

	if (!ok) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 70;
		tm.tm_mday = 1;
	}
	put_uint_width(t, (unsigned long long)(tm.tm_year + 1900), 4);
	put_char(t, '-');
	put_uint_width(t, (unsigned long long)(tm.tm_mon + 1), 2);
	put_char(t, '-');
	put_uint_width(t, (unsigned long long)tm.tm_mday, 2);
	put_char(t, 'T');
	put_uint_width(t, (unsigned long long)tm.tm_hour, 2);
	put_char(t, ':');
	put_uint_width(t, (unsigned long long)tm.tm_min, 2);
	put_char(t, ':');
	put_uint_width(t, (unsigned long long)tm.tm_sec, 2);
	put_char(t, '.');
	return ok;
}

/* RFC 3339 UTC with nanoseconds: 2026-11-25T01:02:03.123456789Z. Events
 * come many per second: the date part is kept from the previous call
 * (trace_tcp formats from one thread). */
static void put_timestamp(struct text *t, long long ns_since_epoch)
{
	static long long cached_secs = -1;
	static char prefix[64];
	static size_t prefix_len;
	static int prefix_ok;
	long long secs = ns_since_epoch / NSEC_PER_SEC;
	long long frac = ns_since_epoch % NSEC_PER_SEC;

	if (frac < 0) {		/* before 1970: floor, keep frac positive */
		frac += NSEC_PER_SEC;
		secs--;
	}
	if (secs != cached_secs || !prefix_len) {
		struct text p = text_init(prefix, sizeof(prefix));

		prefix_ok = date_prefix(secs, &p);
		prefix_len = text_finish(&p) < 0 ? 0 : p.len;
		cached_secs = secs;
	}
	put_bytes(t, prefix, prefix_len);
	put_uint_width(t, prefix_ok ? (unsigned long long)frac : 0, 9);
	put_char(t, 'Z');
}

/* comm is not necessarily NUL-terminated: stop at TT_COMM_LEN. */
static size_t comm_length(const char comm[TT_COMM_LEN])
{
	const char *nul = memchr(comm, '\0', TT_COMM_LEN);

	return nul ? (size_t)(nul - comm) : TT_COMM_LEN;
}

/*
 * Bytes as a JSON string body. Any byte may occur; control bytes and
 * bytes >= 0x80 become \u00XX so the output is always valid JSON (UTF-8).
 */
static void put_json_bytes(struct text *t, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			put_char(t, '\\');
			put_char(t, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			put_lit(t, "\\u00");
			put_char(t, hex[c >> 4]);
			put_char(t, hex[c & 0xf]);
		} else {
			put_char(t, (char)c);
		}
	}
}

static void put_json_comm(struct text *t, const char comm[TT_COMM_LEN])
{
	put_json_bytes(t, comm, comm_length(comm));
}

/* ,"key":"value" when value is not empty. */
static void put_json_member(struct text *t, int *first, const char *key,
			    const char *value)
{
	if (!value[0])
		return;
	put_str(t, *first ? "\"" : ",\"");
	*first = 0;
	put_str(t, key);
	put_lit(t, "\":\"");
	put_json_bytes(t, value, strlen(value));
	put_char(t, '"');
}

/* Inspektor Gadget's "runtime" and "k8s" objects, keys only where known;
 * host events have neither. */
static void put_json_container(struct text *t, const struct container_info *c)
{
	int first = 1;

	if (!c)
		return;
	put_lit(t, ",\"runtime\":{");
	put_json_member(t, &first, "containerName", c->name);
	put_json_member(t, &first, "containerId", c->id);
	put_json_member(t, &first, "runtimeName", c->runtime);
	put_json_member(t, &first, "containerImageName", c->image);
	put_char(t, '}');
	if (!c->k8s_namespace[0] && !c->k8s_pod[0] && !c->k8s_container[0])
		return;
	first = 1;
	put_lit(t, ",\"k8s\":{");
	put_json_member(t, &first, "namespace", c->k8s_namespace);
	put_json_member(t, &first, "podName", c->k8s_pod);
	put_json_member(t, &first, "containerName", c->k8s_container);
	put_char(t, '}');
}

/* A comm for the terminal: unprintable bytes become '?'. */
/* n bytes for the terminal, left-aligned in width (never cut): bytes
 * that are not printable ASCII become '?'. */
static void put_column_text(struct text *t, const char *s, size_t n,
			    size_t width)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		put_char(t, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	put_repeat(t, ' ', n < width ? width - n : 0);
}

static void put_column_comm(struct text *t, const char comm[TT_COMM_LEN])
{
	put_column_text(t, comm, comm_length(comm), TT_COMM_LEN);
}

/* ---- addresses ---- */

static void put_ipv4(struct text *t, const __u8 b[4])
{
	char text[16], *p = text;	/* "255.255.255.255" */

	for (int i = 0; i < 4; i++) {
		unsigned int v = b[i];

		if (i)
			*p++ = '.';
		p += digits32(v);
		write_digits32(p, v);
	}
	put_bytes(t, text, (size_t)(p - text));
}

/* RFC 5952 text: the longest run (leftmost on ties) of two or more zero
 * groups becomes "::". */
static void put_ipv6(struct text *t, const __u8 b[16])
{
	unsigned int group[8];
	int i, run_start = -1, best_start = -1, best_len = 0;

	for (i = 0; i < 8; i++)
		group[i] = (unsigned int)b[2 * i] << 8 | b[2 * i + 1];
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
	if (best_len < 2)
		best_start = -1;

	for (i = 0; i < 8; i++) {
		if (i == best_start) {
			put_lit(t, "::");
			i += best_len - 1;
			continue;
		}
		if (i > 0 && i != best_start + best_len)
			put_char(t, ':');
		put_hex16(t, group[i]);
	}
}

static int is_v4_mapped(const __u8 b[16])
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

/* The IP version an address is shown as: ::ffff:a.b.c.d counts as IPv4. */
static int address_version(int family, const __u8 addr[16])
{
	return family == 6 && !is_v4_mapped(addr) ? 6 : 4;
}

static void put_address(struct text *t, int family, const __u8 addr[16])
{
	if (address_version(family, addr) == 6)
		put_ipv6(t, addr);
	else
		put_ipv4(t, family == 6 ? addr + 12 : addr);
}

/* {"addr":"127.0.0.1","port":80,"proto":"TCP","version":4} */
static void put_json_endpoint(struct text *t, int family, const __u8 addr[16],
			      unsigned int port)
{
	put_lit(t, "{\"addr\":\"");
	put_address(t, family, addr);
	put_lit(t, "\",\"port\":");
	put_uint(t, port);
	put_lit(t, ",\"proto\":\"TCP\",\"version\":");
	put_uint(t, (unsigned long long)address_version(family, addr));
	put_char(t, '}');
}

/* addr:port, or [addr]:port for IPv6, padded to width: written in
 * place, then padded. */
static void put_column_endpoint(struct text *t, int family, const __u8 addr[16],
				unsigned int port, size_t width)
{
	size_t start = t->len;
	int bracket = address_version(family, addr) == 6;

	if (bracket)
		put_char(t, '[');
	put_address(t, family, addr);
	if (bracket)
		put_char(t, ']');
	put_char(t, ':');
	put_uint(t, port);
	if (t->len - start < width)
		put_repeat(t, ' ', width - (t->len - start));
}

/* ---- public ---- */

int output_format_json(const struct tt_event *e,
		       const struct container_info *container,
		       long long realtime_offset_ns, char *buf, size_t buflen)
{
	struct text t = text_init(buf, buflen);

	put_lit(&t, "{\"timestamp\":\"");
	/* Wrapping (unsigned) add: garbage input must not be signed overflow. */
	put_timestamp(&t, (long long)(e->timestamp_ns +
				      (unsigned long long)realtime_offset_ns));
	put_char(&t, '"');
	put_json_container(&t, container);
	put_lit(&t, ",\"type\":\"");
	put_str(&t, type_name(e->type));
	put_lit(&t, "\",\"error\":\"");
	put_error(&t, e->error);
	put_lit(&t, "\",\"fd\":");
	put_int(&t, e->fd);
	put_lit(&t, ",\"accept_fd\":");
	put_int(&t, e->accept_fd);
	if ((e->known & TT_KNOWN_NETNS) && e->netns_id) {
		put_lit(&t, ",\"netns_id\":");
		put_uint(&t, e->netns_id);
	}

	put_lit(&t, ",\"proc\":{\"comm\":\"");
	put_json_comm(&t, e->comm);
	put_lit(&t, "\",\"pid\":");
	put_uint(&t, e->pid);
	put_lit(&t, ",\"tid\":");
	put_uint(&t, e->tid);
	put_lit(&t, ",\"creds\":{\"uid\":");
	put_uint(&t, e->uid);
	put_lit(&t, ",\"gid\":");
	put_uint(&t, e->gid);
	put_char(&t, '}');
	if ((e->known & TT_KNOWN_MNTNS) && e->mntns_id) {
		put_lit(&t, ",\"mntns_id\":");
		put_uint(&t, e->mntns_id);
	}
	if (e->known & TT_KNOWN_PARENT) {
		put_lit(&t, ",\"parent\":{\"comm\":\"");
		put_json_comm(&t, e->pcomm);
		put_lit(&t, "\",\"pid\":");
		put_uint(&t, e->ppid);
		put_char(&t, '}');
	}
	put_char(&t, '}');

	put_lit(&t, ",\"src\":");
	put_json_endpoint(&t, e->family, e->saddr, e->sport);
	put_lit(&t, ",\"dst\":");
	put_json_endpoint(&t, e->family, e->daddr, e->dport);
	put_char(&t, '}');
	return text_finish(&t);
}

/* Column widths; COMM is TT_COMM_LEN wide and ERROR, last, is unpadded.
 * A longer container name is printed whole: alignment gives way. */
enum { COL_CONTAINER = 21, COL_ADDR = 25, COL_ID = 7, COL_CRED = 6,
       COL_TYPE = 8 };

const char *output_columns_header(void)
{
	/* "%-21s %-25s %-25s %-16s %7s %7s %6s %6s %-8s %s" of the titles */
	return "RUNTIME.CONTAINERNAME "
	       "SRC                       DST                       "
	       "COMM                 PID     TID    UID    GID TYPE     ERROR";
}

/* The name; a container whose runtime state was not found shows its
 * short id; the host shows nothing. */
static void put_column_container(struct text *t, const struct container_info *c)
{
	if (c && c->name[0])
		put_column_text(t, c->name, strlen(c->name), COL_CONTAINER);
	else if (c)
		put_column_text(t, c->id, strnlen(c->id, CONTAINER_SHORT_ID_LEN),
				COL_CONTAINER);
	else
		put_repeat(t, ' ', COL_CONTAINER);
	put_char(t, ' ');
}

int output_format_columns(const struct tt_event *e,
			  const struct container_info *container, char *buf,
			  size_t buflen)
{
	struct text t = text_init(buf, buflen);

	put_column_container(&t, container);

	put_column_endpoint(&t, e->family, e->saddr, e->sport, COL_ADDR);
	put_char(&t, ' ');
	put_column_endpoint(&t, e->family, e->daddr, e->dport, COL_ADDR);
	put_char(&t, ' ');
	put_column_comm(&t, e->comm);
	put_char(&t, ' ');
	put_uint_column(&t, e->pid, COL_ID);
	put_char(&t, ' ');
	put_uint_column(&t, e->tid, COL_ID);
	put_char(&t, ' ');
	put_uint_column(&t, e->uid, COL_CRED);
	put_char(&t, ' ');
	put_uint_column(&t, e->gid, COL_CRED);
	put_char(&t, ' ');
	if (e->error == 0) {
		/* ERROR is empty: no padding, so no trailing spaces. */
		put_str(&t, type_name(e->type));
	} else {
		put_padded(&t, type_name(e->type), COL_TYPE, 0);
		put_char(&t, ' ');
		put_error(&t, e->error);
	}
	return text_finish(&t);
}
