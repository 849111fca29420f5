// SPDX-License-Identifier: GPL-2.0-only
/* cgroup ids and paths (see cgroup_fs.h). */
#include "cgroup_fs.h"

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

/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... shared:9 - cgroup2 cgroup2 rw"
 * Mount points escape spaces as \040; a cgroup2 mount with one is skipped. */
int cgroup2_mount_point(const char *mountinfo, char *out, size_t outlen)
{
	char line[LINE_MAX_LEN];
	FILE *f = fopen(mountinfo, "re");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - "), *point, *end;

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8))
			continue;
		point = field(line, 4);
		if (!point || point > dash)
			continue;
		end = strchr(point, ' ');
		if (!end || (size_t)(end - point) >= outlen ||
		    memchr(point, '\\', (size_t)(end - point)))
			continue;
		memcpy(out, point, (size_t)(end - point));
		out[end - point] = '\0';
		found = 0;
	}
	fclose(f);
	return found;
}

static int id_matches(ino_t ino, uint64_t id)
{
	return (uint64_t)ino == id || (uint64_t)ino == (id & 0xffffffffu);
}

/* Depth-first search below the directory open as dirfd, whose path
 * relative to the mount is path[0..len). */
static int walk(int dirfd, uint64_t id, char *path, size_t len,
		size_t pathlen, int depth)
{
	DIR *dir;
	struct dirent *de;
	int found = -1;

	if (depth > MAX_DEPTH)
		return -1;
	dir = fdopendir(dirfd);
	if (!dir) {
		close(dirfd);
		return -1;
	}
	while (found < 0 && (de = readdir(dir))) {
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
		if (fstat(child, &st) == 0 && id_matches(st.st_ino, id)) {
			close(child);
			found = 0;
			break;
		}
		found = walk(child, id, path, len + 1 + n, pathlen, depth + 1);
	}
	closedir(dir);
	if (found < 0)
		path[len] = '\0';
	return found;
}

int cgroup2_path_of_id(const char *mount, uint64_t id, char *path,
		       size_t pathlen)
{
	struct stat st;
	int fd;

	if (pathlen < 2)
		return -1;
	fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && id_matches(st.st_ino, id)) {
		close(fd);
		strcpy(path, "/");
		return 0;
	}
	path[0] = '\0';
	return walk(fd, id, path, 0, pathlen, 0);
}
