// SPDX-License-Identifier: GPL-2.0-only
/* cgroup ids and paths (see cgroup_fs.h). */
#include "containers/cgroup_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 32		/* deeper cgroup trees are not walked */
#define LINE_MAX_LEN 4096

/* Field n (0-based, space-separated) of a mountinfo line, NUL-terminated
 * in place. NULL if the line is shorter. */
static char *field(char *line, int n)
{
	char *p = line;

	for (int i = 0; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	return p;
}

/* Is the line fgets read into line whole? If not, the rest of it is
 * read and dropped, so that its tail is never taken for a line. */
static int whole_line(FILE *f, const char *line)
{
	int c;

	if (strchr(line, '\n'))
		return 1;
	c = getc(f);
	if (c == EOF || c == '\n')
		return 1;
	while (c != EOF && c != '\n')
		c = getc(f);
	return 0;
}

/*
 * "36 25 0:31 / /sys/fs/cgroup/unified rw,... shared:9 - cgroup2 cgroup2 rw"
 * Mount points escape spaces as \040; a cgroup2 mount with one is skipped.
 * /sys/fs/cgroup if a cgroup2 is mounted there, else the first one: in a
 * container, the runtimes' state mounts can bring other containers'
 * cgroup mounts along, listed anywhere.
 */
#define CGROUP2_USUAL "/sys/fs/cgroup"

int cgroup2_mount_point(const char *mountinfo, char *out, size_t outlen)
{
	char line[LINE_MAX_LEN];
	FILE *f = fopen(mountinfo, "re");
	int found = 0, usual = 0;

	if (!f)
		return -1;
	while (!usual && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - "), *point, *end;

		if (!whole_line(f, line) || !dash ||
		    strncmp(dash + 3, "cgroup2 ", 8))
			continue;
		point = field(line, 4);
		if (!point || point > dash)
			continue;
		end = strchr(point, ' ');
		if (!end || (size_t)(end - point) >= outlen ||
		    memchr(point, '\\', (size_t)(end - point)))
			continue;
		usual = (size_t)(end - point) == strlen(CGROUP2_USUAL) &&
			!memcmp(point, CGROUP2_USUAL, strlen(CGROUP2_USUAL));
		if (found && !usual)
			continue;
		memcpy(out, point, (size_t)(end - point));
		out[end - point] = '\0';
		found = 1;
	}
	fclose(f);
	return found;
}

static int id_matches(ino_t ino, uint64_t id)
{
	return (uint64_t)ino == id || (uint64_t)ino == (id & 0xffffffffu);
}

/* One directory met by walk(): its inode and path; return 1 to stop. */
typedef int (*visit_fn)(void *arg, ino_t ino, const char *path);

/* Depth-first walk below the directory open as dirfd, whose path
 * relative to the mount is path[0..len). 1 if visit stopped it (path
 * then holds the directory it stopped at), else 0. */
static int walk(int dirfd, char *path, size_t len, size_t pathlen, int depth,
		visit_fn visit, void *arg)
{
	DIR *dir;
	struct dirent *de;
	int stopped = 0;

	if (depth > MAX_DEPTH) {
		close(dirfd);
		return 0;
	}
	dir = fdopendir(dirfd);
	if (!dir) {
		close(dirfd);
		return 0;
	}
	while (!stopped && (de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		int child;

		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    de->d_name[0] == '.')
			continue;
		if (len + 1 + n >= pathlen)
			continue;	/* a path we could not return */
		child = openat(dirfd, de->d_name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (child < 0)
			continue;	/* removed meanwhile */
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		if (fstat(child, &st) == 0 && visit(arg, st.st_ino, path)) {
			close(child);
			stopped = 1;
			break;
		}
		stopped = walk(child, path, len + 1 + n, pathlen, depth + 1,
			       visit, arg);
	}
	closedir(dir);
	if (!stopped)
		path[len] = '\0';
	return stopped;
}

/* The mount's root (path "/"), then walk() below it: 1 if visit
 * stopped it, 0 if not, -1 if the mount cannot be opened (or path
 * cannot hold even "/"). */
static int walk_mount(const char *mount, char *path, size_t pathlen,
		      visit_fn visit, void *arg)
{
	struct stat st;
	int fd;

	if (pathlen < 2)
		return -1;
	fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	strcpy(path, "/");
	if (fstat(fd, &st) == 0 && visit(arg, st.st_ino, path)) {
		close(fd);
		return 1;
	}
	path[0] = '\0';
	return walk(fd, path, 0, pathlen, 0, visit, arg);
}

static int is_id(void *arg, ino_t ino, const char *path)
{
	(void)path;
	return id_matches(ino, *(const uint64_t *)arg);
}

int cgroup2_path_of_id(const char *mount, uint64_t id, char *path,
		       size_t pathlen)
{
	return walk_mount(mount, path, pathlen, is_id, &id);
}

struct each {
	void (*fn)(void *arg, uint64_t id, const char *path);
	void *arg;
};

static int visit_each(void *arg, ino_t ino, const char *path)
{
	const struct each *each = arg;

	each->fn(each->arg, (uint64_t)ino, path);
	return 0;
}

void cgroup2_for_each(const char *mount,
		      void (*fn)(void *arg, uint64_t id, const char *path),
		      void *arg)
{
	char path[CGROUP2_PATH_MAX];
	struct each each = { fn, arg };

	walk_mount(mount, path, sizeof(path), visit_each, &each);
}
