// SPDX-License-Identifier: GPL-2.0-only
/* Event fields as text (see fields.h). */
#include "output/fields.h"

#include <string.h>
#include <time.h>

#include "output/errno_name.h"

#define NSEC_PER_SEC 1000000000LL

void put_type(struct text *t, unsigned int type)
{
	switch (type) {
	case TT_EVENT_CONNECT:
		put_lit(t, "connect");
		break;
	case TT_EVENT_ACCEPT:
		put_lit(t, "accept");
		break;
	case TT_EVENT_CLOSE:
		put_lit(t, "close");
		break;
	default:
		put_lit(t, "unknown");
	}
}

void put_error(struct text *t, int err)
{
	const char *name = err == TT_ERROR_UNKNOWN ? "unknown"
						   : errno_name(err);

	if (name)
		put_str(t, name);
	else
		put_int(t, err);
}

size_t comm_length(const char comm[TT_COMM_LEN])
{
	const char *nul = memchr(comm, '\0', TT_COMM_LEN);

	return nul ? (size_t)(nul - comm) : TT_COMM_LEN;
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

/* Events come many per second: the date part is kept from the previous
 * call (trace_tcp formats from one thread). */
void put_timestamp(struct text *t, long long ns_since_epoch)
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
