// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bytes of the BTF reader's two sections: a blob in memory, or a
 * file read forward through one fixed window per section, so that no
 * byte is read twice and the file is never held whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/btf/reader.h"

/*
 * Zeroed memory straight from the kernel, for tables sized by an upper
 * bound: pages never written cost no RSS (malloc would do the same for
 * these sizes, but sanitizers touch what they hand out).
 */
void *map_table(struct btf_reader *r, size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		tt_fail(r->err, "out of memory (%zu bytes)", size);
		return NULL;
	}
	/* A table sized by an upper bound is mostly never touched; with
	 * transparent huge pages one touch could fault in 2 MB at once (seen
	 * in the guest: peak RSS 2.4 MB instead of 0.5 MB in 1 run of 3). */
	madvise(p, size ? size : 1, MADV_NOHUGEPAGE);
	return p;
}

void unmap_table(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

#define WINDOW_SIZE BTF_WINDOW_SIZE

/* Start streaming the section [start, end); what is buffered is dropped. */
void source_seek(struct source *src, size_t start, size_t end)
{
	src->window_start = start;
	src->window_len = 0;
	src->limit = end;
	src->bytes_read = 0;
}

/* Read at the window's end until it holds min bytes from its start. */
static int fill_window(struct btf_reader *r, struct source *src, size_t min)
{
	while (src->window_len < min) {
		size_t pos = src->window_start + src->window_len;
		size_t want = WINDOW_SIZE - src->window_len;
		ssize_t n;

		if (want > src->limit - pos)
			want = src->limit - pos;
		n = pread(src->fd, src->window + src->window_len, want,
			  (off_t)pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tt_fail(r->err, "read at offset %zu: %s", pos,
				       strerror(errno));
		if (n == 0)
			return tt_fail(r->err, "file shrank while reading "
				       "(short read at offset %zu)", pos);
		src->window_len += (size_t)n;
		src->bytes_read += (size_t)n;
	}
	return 0;
}

/*
 * Return a pointer to at least min readable bytes at absolute offset off,
 * and in *avail how many there are (never past the section's end). Offsets
 * must not go backwards within a section: what lies before off is
 * forgotten, and a file is read from where the buffer ends, so no byte is
 * read twice. A read may return less than asked (sysfs gives 4 KiB at a
 * time); only as many reads as min needs are made. Callers check bounds
 * first, so a bad range is a bug reported as an error, never an overread.
 */
const unsigned char *source_fill(struct btf_reader *r, struct source *src,
				 size_t off, size_t min, size_t *avail)
{
	size_t end = src->window_start + src->window_len;

	if (off > src->limit || min > src->limit - off || min > WINDOW_SIZE ||
	    (!src->blob && off < src->window_start)) {
		tt_fail(r->err, "internal: read of %zu bytes at %zu is out of "
			"range", min, off);
		return NULL;
	}
	if (src->blob) {
		*avail = src->limit - off;
		return src->blob + off;
	}
	src->window_len = off < end ? end - off : 0;
	if (src->window_len)
		memmove(src->window, src->window + (off - src->window_start),
			src->window_len);
	src->window_start = off;
	if (fill_window(r, src, min) < 0)
		return NULL;
	*avail = src->window_len;
	return src->window;
}

int source_read(struct btf_reader *r, struct source *src, size_t off,
		void *dst, size_t len)
{
	size_t avail;
	const unsigned char *p = source_get(r, src, off, len, &avail);

	if (!p)
		return -1;
	memcpy(dst, p, len);	/* records may be unaligned in the window */
	return 0;
}

/* Both sections read from data, which holds the whole file. */
void sources_on_blob(struct btf_reader *r, const void *data, size_t len)
{
	r->pass.src.blob = r->strs.src.blob = data;
	r->pass.src.size = r->strs.src.size = len;
}

/*
 * Both sections read from the file at path, each through its own window.
 * On failure, sources_close() still has to be called.
 */
int sources_open(struct btf_reader *r, const char *path)
{
	struct source *types = &r->pass.src, *strs = &r->strs.src;
	struct stat st;

	types->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (types->fd < 0)
		return tt_fail(r->err, "cannot open: %s", strerror(errno));
	if (fstat(types->fd, &st) < 0)
		return tt_fail(r->err, "cannot stat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size <= 0)
		return tt_fail(r->err, "not a non-empty regular file");
	types->window = map_table(r, 2 * WINDOW_SIZE);
	if (!types->window)
		return -1;
	strs->fd = types->fd;
	strs->window = types->window + WINDOW_SIZE;
	types->size = strs->size = (size_t)st.st_size;
	return 0;
}

void sources_close(struct btf_reader *r)
{
	unmap_table(r->pass.src.window, 2 * WINDOW_SIZE);
	if (r->pass.src.fd >= 0)
		close(r->pass.src.fd);
}
