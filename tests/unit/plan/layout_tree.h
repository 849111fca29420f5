/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tracefs tree in a temporary directory for the layout tests: a real
 * `format` fixture placed where the kernel would have it. Included by
 * test_kernel_layout.c and test_kernel_layout_32.c (each its own binary).
 */
#ifndef TT_TEST_LAYOUT_TREE_H
#define TT_TEST_LAYOUT_TREE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/tracefs.h"
#include "load/kconst.h"
#include "unit.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

static char root[64];

/* root/events/<event>/format := the fixture file; 0 or -1. */
static int place_format(const char *event, const char *fixture)
{
	char path[256], line[4096];
	FILE *in, *out;
	size_t n;

	snprintf(path, sizeof(path), FIXTURES "/formats/%s", fixture);
	in = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/events", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/%.*s", root,
		 (int)(strchr(event, '/') - event), event);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/%s", root, event);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/%s/format", root, event);
	out = fopen(path, "w");
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	while ((n = fread(line, 1, sizeof(line), in)) > 0)
		fwrite(line, 1, n, out);
	fclose(in);
	fclose(out);
	return 0;
}

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", root);
}

/* A fresh tracefs tree in a temporary directory, and an empty table. */
static int open_tree(struct tracefs *t, struct kconst_table *kt)
{
	strcpy(root, "/tmp/tt-layout-XXXXXX");
	if (!mkdtemp(root)) {
		CHECK(!"mkdtemp");
		return -1;
	}
	memset(t, 0, sizeof(*t));
	snprintf(t->root, sizeof(t->root), "%s", root);
	kconst_init(kt);
	return 0;
}

#endif
