/*
 * work — the learner's folders; see work.h.
 *
 * Data model: a path below the work folder is walked one name at a time
 * from an open descriptor of the work folder (which may itself be a link:
 * the home is the learner's to place), each folder opened with O_NOFOLLOW
 * relative to the one before, so neither a link already there nor one
 * made while chanlab writes can lead a write outside.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "data/work.h"

int work_prepare(const char *dir, const char *starter_dir, char *const *files)
{
	if (fs_mkdirs(dir) < 0)
		return -1;
	for (size_t i = 0; files[i]; i++) {
		char from[4096], to[4096];

		if (fs_join(to, sizeof(to), dir, files[i]) < 0)
			return -1;
		if (access(to, F_OK) == 0)
			continue;
		if (fs_join(from, sizeof(from), starter_dir, files[i]) < 0 || fs_copy_new(from, to) < 0)
			return -1;
	}
	return 0;
}

int work_prepare_headers(const char *dir, const char *ex_dir, char *const *headers)
{
	if (headers && headers[0] && fs_mkdirs(dir) < 0)
		return -1;
	for (size_t i = 0; headers && headers[i]; i++) {
		char from[4096], to[4096];
		size_t len;
		char *text;
		int rc;

		if (fs_join(from, sizeof(from), ex_dir, headers[i]) < 0 || fs_join(to, sizeof(to), dir, headers[i]) < 0 ||
		    work_check(dir, headers[i]) < 0)
			return -1;
		if (!(text = fs_read(from, &len)))
			return -1;
		/* renamed over the old copy: its 0444 does not stand in the way */
		rc = fs_write_atomic(to, text, len, 0444);
		free(text);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int is_link(const char *root, const char *path)
{
	return err_set("'%s' in your work folder is a symbolic link: chanlab writes only regular files in real "
		       "folders inside '%s', never through a link; replace it by a real folder or file (or remove "
		       "it) and try again", path, root);
}

/* True if rel is a relative path of plain names (no "", "." or ".."). */
static bool plain_path(const char *rel)
{
	if (!*rel || *rel == '/')
		return false;
	for (const char *p = rel; p; p = strchr(p, '/'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
	}
	return true;
}

/* Opens the folder holding root/rel, making missing ones if make; *name
 * gets rel's last name. The descriptor; -2 if a folder on the way is
 * missing (and make is false): nothing is there to be in the way; -1
 * (err_msg). */
static int open_parent(const char *root, const char *rel, bool make, const char **name)
{
	char path[4096];
	int fd;

	if (!plain_path(rel) || strlen(rel) >= sizeof(path))
		return err_set("'%s' is not a path inside the work folder", rel);
	snprintf(path, sizeof(path), "%s", rel);
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys("cannot open the work folder '%s'", root);
	for (char *p = path, *slash; (slash = strchr(p, '/')); p = slash + 1) {
		struct stat st;
		int next, e;

		*slash = '\0';         /* path is now the folder so far */
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && make && (mkdirat(fd, p, 0755) == 0 || errno == EEXIST))
			next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		if (next < 0 && e == ENOENT && !make) {
			close(fd);
			return -2;
		}
		if (next < 0) {
			if (fstatat(fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				is_link(root, path);
			else if (e == ENOTDIR)
				err_set("'%s' in your work folder is a file, where a folder is needed", path);
			else
				err_set("cannot open the folder '%s' in '%s': %s", path, root, strerror(e));
			close(fd);
			return -1;
		}
		close(fd);
		fd = next;
		*slash = '/';
	}
	*name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	return fd;
}

/* Checks the last name of a path, in its folder fd. */
static int check_file(const char *root, const char *rel, int fd, const char *name)
{
	struct stat st;

	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : err_sys("cannot look at '%s' in '%s'", rel, root);
	if (S_ISLNK(st.st_mode))
		return is_link(root, rel);
	if (!S_ISREG(st.st_mode))
		return err_set("'%s' in your work folder is not a regular file: chanlab writes only regular files "
			       "there; move it away and try again", rel);
	return 0;
}

int work_check(const char *root, const char *rel)
{
	const char *name;
	int fd = open_parent(root, rel, false, &name), rc;

	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	rc = check_file(root, rel, fd, name);
	close(fd);
	return rc;
}

int work_write(const char *root, const char *rel, const struct buf *data, const char *tmp)
{
	const char *name;
	int fd = open_parent(root, rel, true, &name), rc = -1;

	if (fd < 0)
		return -1;
	if (check_file(root, rel, fd, name) == 0 && fs_write_atomic(tmp, data->s ? data->s : "", data->len, 0644) == 0) {
		if (renameat(AT_FDCWD, tmp, fd, name) == 0)
			rc = 0;
		else {
			err_sys("cannot replace '%s' in '%s'", rel, root);
			unlink(tmp);
		}
	}
	close(fd);
	return rc;
}

int work_remove(const char *root, const char *rel)
{
	const char *name;
	int fd = open_parent(root, rel, false, &name), rc = 0;

	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	if (unlinkat(fd, name, 0) < 0 && errno != ENOENT)
		rc = err_sys("cannot remove '%s' in '%s'", rel, root);
	close(fd);
	return rc;
}
