// SPDX-License-Identifier: GPL-2.0-only
/* The checker against handcrafted fixtures. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common.h"

static char *read_whole_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	return text;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One fixture: BASE.expect and BASE.events; BASE.want holds the checker's
 * exact output followed by "exit N". Returns 1 on mismatch. */
static int selftest_one(const char *dir, const char *base)
{
	char expect[4096], events[4096], want_path[4096];
	char *got = NULL, *want;
	size_t got_len = 0;
	FILE *out = open_memstream(&got, &got_len);
	int failures, bad;

	if (!out)
		die("open_memstream");
	snprintf(expect, sizeof expect, "%s/%s.expect", dir, base);
	snprintf(events, sizeof events, "%s/%s.events", dir, base);
	snprintf(want_path, sizeof want_path, "%s/%s.want", dir, base);
	failures = check_files(expect, events, NULL, out, NULL);
	fprintf(out, "exit %d\n", failures ? 1 : 0);
	fclose(out);
	want = read_whole_file(want_path);
	bad = !want || strcmp(got, want);
	if (bad) {
		printf("FAIL: selftest/%s: checker output differs from %s\n", base, want_path);
		fprintf(stderr, "--- got:\n%s--- want:\n%s", got, want ? want : "(missing)\n");
	} else {
		printf("PASS: selftest/%s\n", base);
	}
	free(got);
	free(want);
	return bad;
}

int cmd_selftest(const char *dir)
{
	char *names[64];
	struct dirent *d;
	int n = 0, i, failures = 0;
	DIR *dp = opendir(dir);

	if (!dp) {
		printf("FAIL: selftest: cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((d = readdir(dp)) && n < 64) {
		size_t len = strlen(d->d_name);

		if (len > 7 && !strcmp(d->d_name + len - 7, ".expect")) {
			names[n] = strndup(d->d_name, len - 7);
			if (!names[n])
				die("strdup");
			n++;
		}
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof names[0], compare_names);
	for (i = 0; i < n; i++) {
		failures += selftest_one(dir, names[i]);
		free(names[i]);
	}
	if (n == 0) {
		printf("FAIL: selftest: no fixtures in %s\n", dir);
		return 1;
	}
	return failures ? 1 : 0;
}
