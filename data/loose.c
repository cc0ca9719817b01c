/*
 * loose — the guard in front of libgit2's loose objects; see loose.h.
 *
 * Data model: a loose object is the file objects/xx/yyyy... (its id in
 * hex, split after two digits) holding, deflated by zlib, "<type> <size>"
 * and a NUL, then size bytes. The guard reads the file whole, inflates the
 * header into a small buffer, and then the rest into a buffer of the size
 * the header names in one inflate call over all the input left: that call
 * either reaches the end of the stream or fails, so a damaged file costs
 * no more than a whole one. libgit2 then checks the content's hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>

#include "base/err.h"
#include "data/loose.h"

/* Before libgit2's own backends (packs 2, loose objects 1). */
enum { GUARD_PRIORITY = 100 };
/* "commit 18446744073709551615" and its NUL fit. */
enum { HEADER_MAX = 32 };
/* Deflate shrinks data at most about 1032 times. */
enum { DEFLATE_RATIO = 1032 };

static const char cut_short[] = "the file ends before the object does (it was cut short)";

struct guard {
	git_odb_backend parent;
	char *dir;               /* <gitdir>/objects */
};

/* One loose object file being read. */
struct object_file {
	char hex[GIT_OID_HEXSZ + 1];
	char path[4200];
	unsigned char *bytes;    /* the whole file */
	size_t len;
};

static int damaged(const struct object_file *f, const char *what)
{
	git_error_set(GIT_ERROR_ODB, "the object %s ('%s') is damaged: %s", f->hex, f->path, what);
	return -1;
}

/* Reads the object's file whole into f: 0, GIT_PASSTHROUGH if there is no
 * such loose object, -1 (git's error) if it cannot be read. */
static int read_file(struct guard *g, const git_oid *id, struct object_file *f)
{
	struct stat st;
	ssize_t n = 0;
	int fd;

	git_oid_tostr(f->hex, sizeof(f->hex), id);
	if (snprintf(f->path, sizeof(f->path), "%s/%.2s/%s", g->dir, f->hex, f->hex + 2) >= (int)sizeof(f->path))
		return GIT_PASSTHROUGH;
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return GIT_PASSTHROUGH;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		git_error_set(GIT_ERROR_ODB, "cannot read the object %s ('%s'): %s", f->hex, f->path, strerror(e));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > UINT_MAX) {
		close(fd);
		return damaged(f, S_ISREG(st.st_mode) ? "its file is too large to be one" : "it is not a file");
	}
	f->bytes = malloc((size_t)st.st_size + 1);
	if (!f->bytes) {
		close(fd);
		git_error_set_oom();
		return -1;
	}
	while (f->len < (size_t)st.st_size &&
	       ((n = read(fd, f->bytes + f->len, (size_t)st.st_size - f->len)) > 0 || (n < 0 && errno == EINTR)))
		f->len += n > 0 ? (size_t)n : 0;
	close(fd);
	if (n < 0) {
		git_error_set(GIT_ERROR_ODB, "cannot read the object %s ('%s'): %s", f->hex, f->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Parses "<type> <size>" of header (NUL-terminated); false if it is not one. */
static bool parse_header(const char *header, git_object_t *type, size_t *size)
{
	const char *space = strchr(header, ' ');
	char word[8];

	if (!space || space == header || (size_t)(space - header) >= sizeof(word) || !space[1])
		return false;
	memcpy(word, header, (size_t)(space - header));
	word[space - header] = '\0';
	*type = git_object_string2type(word);
	if (*type != GIT_OBJECT_COMMIT && *type != GIT_OBJECT_TREE && *type != GIT_OBJECT_BLOB &&
	    *type != GIT_OBJECT_TAG)
		return false;
	*size = 0;
	for (const char *p = space + 1; *p; p++) {
		if (*p < '0' || *p > '9' || *size > (SIZE_MAX - 9) / 10)
			return false;
		*size = *size * 10 + (size_t)(*p - '0');
	}
	return true;
}

/* Reads the loose object id: its type and size, and with data not NULL its
 * content (size bytes and a NUL, from git_odb_backend_data_alloc).
 * GIT_PASSTHROUGH if it is not a loose object; -1 (git's error naming the
 * object, its file and the damage) if it is damaged. */
static int read_loose(struct guard *g, const git_oid *id, git_object_t *type, size_t *size, void **data)
{
	struct object_file f = { .len = 0 };
	char header[HEADER_MAX];
	unsigned char *body = NULL;
	z_stream z;
	size_t got, have, filled;
	char *nul;
	int zr, rc;

	if ((rc = read_file(g, id, &f)) != 0)
		return rc;
	rc = -1;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		git_error_set_oom();
		goto out_free;
	}
	z.next_in = f.bytes;
	z.avail_in = (uInt)f.len;
	z.next_out = (Bytef *)header;
	z.avail_out = sizeof(header);
	zr = inflate(&z, Z_NO_FLUSH);
	got = sizeof(header) - z.avail_out;
	if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
		damaged(&f, "its compressed data is corrupt");
		goto out_end;
	}
	if (!(nul = memchr(header, '\0', got))) {
		damaged(&f, (zr == Z_OK || zr == Z_BUF_ERROR) && got < sizeof(header) ? cut_short
			    : "its header is unreadable");
		goto out_end;
	}
	if (!parse_header(header, type, size)) {
		damaged(&f, "its header is unreadable");
		goto out_end;
	}
	if (*size / DEFLATE_RATIO > f.len || *size >= UINT_MAX) {
		damaged(&f, "its header names a size its file cannot hold");
		goto out_end;
	}
	if (!data) {            /* the header is all that was asked */
		rc = 0;
		goto out_end;
	}
	have = got - (size_t)(nul + 1 - header);
	if (have > *size) {
		damaged(&f, "it does not end where its header says");
		goto out_end;
	}
	if (!(body = git_odb_backend_data_alloc(&g->parent, *size + 1))) {
		git_error_set_oom();
		goto out_end;
	}
	memcpy(body, nul + 1, have);
	filled = have;
	if (zr != Z_STREAM_END) {
		z.next_out = body + have;
		z.avail_out = (uInt)(*size - have);
		zr = inflate(&z, Z_FINISH);
		filled = *size - z.avail_out;
	}
	if (zr == Z_BUF_ERROR || zr == Z_OK) {
		damaged(&f, filled == *size ? "it does not end where its header says" : cut_short);
	} else if (zr != Z_STREAM_END) {
		damaged(&f, "its compressed data is corrupt");
	} else if (filled != *size) {
		damaged(&f, "it holds less than its header says");
	} else if (z.avail_in != 0) {
		damaged(&f, "its file goes on after the object's end");
	} else {
		body[*size] = '\0';
		*data = body;
		body = NULL;
		rc = 0;
	}
	if (body)
		git_odb_backend_data_free(&g->parent, body);
out_end:
	inflateEnd(&z);
out_free:
	free(f.bytes);
	return rc;
}

static int guard_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return read_loose((struct guard *)b, id, type, len, data);
}

static int guard_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return read_loose((struct guard *)b, id, type, len, NULL);
}

/* Listing objects is libgit2's loose backend's job (the guard holds none
 * of its own); libgit2 calls this of every backend without a check. */
static int guard_foreach(git_odb_backend *b, git_odb_foreach_cb cb, void *payload)
{
	(void)b, (void)cb, (void)payload;
	return 0;
}

static void guard_free(git_odb_backend *b)
{
	struct guard *g = (struct guard *)b;

	free(g->dir);
	free(g);
}

int loose_guard(git_odb *odb, const char *objects_dir)
{
	struct guard *g = calloc(1, sizeof(*g));

	if (!g || !(g->dir = strdup(objects_dir))) {
		free(g);
		return err_set("out of memory");
	}
	git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
	g->parent.read = guard_read;
	g->parent.read_header = guard_read_header;
	g->parent.foreach = guard_foreach;
	g->parent.free = guard_free;
	if (git_odb_add_backend(odb, &g->parent, GUARD_PRIORITY) < 0) {
		const git_error *e = git_error_last();

		guard_free(&g->parent);
		return err_set("cannot read the attempts repository's objects in '%s': %s", objects_dir,
			       e && e->message ? e->message : "unknown libgit2 error");
	}
	return 0;
}
