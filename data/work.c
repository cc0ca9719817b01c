/*
 * work — the learner's folders; see work.h.
 *
 * Data model: a path below the work folder is walked one name at a time
 * from an open descriptor of the work folder (which may itself be a link:
 * the home is the learner's to place), each folder opened with O_NOFOLLOW
 * relative to the one before, so neither a link already there nor one
 * made while chanlab writes can lead a write outside.
 *
 * Beside the learner's files, work_tooling keeps chanlab's own read-only
 * files (README.md, compile_flags.txt, compile_commands.json, tests/):
 * written again when their content changes, never snapshotted (snap.c
 * ignores them by name).
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
#include "base/buf.h"
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

/* Writes data to path read-only (0444), unless it holds data already. */
static int write_ro(const char *path, const char *data, size_t len)
{
	struct buf old = BUF_INIT;
	FILE *f = fopen(path, "r");
	bool same = false;

	if (f) {
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&old, chunk, n);
		fclose(f);
		same = !old.oom && old.len == len && (!len || memcmp(old.s, data, len) == 0);
	}
	buf_release(&old);
	return same ? 0 : fs_write_atomic(path, data, len, 0444);
}

/* The JSON string s (a path) into b. */
static void json_path(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_add(b, "\\", 1);
		if ((unsigned char)*s >= 0x20)
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

int work_tooling(const char *dir, const struct work_tooling *t)
{
	struct buf flags = BUF_INIT, cmds = BUF_INIT, file = BUF_INIT;
	char path[4096], from[4096], tests[4096];
	int rc = -1;

	if (fs_join(path, sizeof(path), dir, "README.md") < 0 ||
	    write_ro(path, t->text ? t->text : "", t->text ? strlen(t->text) : 0) < 0)
		goto out;
	for (size_t i = 0; t->includes && t->includes[i]; i++)
		buf_printf(&flags, "-I%s\n", t->includes[i]);
	buf_puts(&flags, "-I.\n-Itests\n");
	buf_puts(&cmds, "[");
	for (size_t i = 0; t->files && t->files[i]; i++) {
		size_t n = strlen(t->files[i]);

		if (n < 2 || strcmp(t->files[i] + n - 2, ".c") != 0)
			continue;
		buf_puts(&cmds, cmds.len > 1 ? ",\n  {\"directory\": " : "\n  {\"directory\": ");
		json_path(&cmds, dir);
		buf_puts(&cmds, ", \"file\": ");
		json_path(&cmds, t->files[i]);
		buf_puts(&cmds, ", \"arguments\": [\"cc\"");
		for (size_t k = 0; t->includes && t->includes[k]; k++) {
			buf_release(&file);
			buf_printf(&file, "-I%s", t->includes[k]);
			buf_puts(&cmds, ", ");
			json_path(&cmds, file.s ? file.s : "");
		}
		buf_puts(&cmds, ", \"-I.\", \"-Itests\", \"-c\", ");
		json_path(&cmds, t->files[i]);
		buf_puts(&cmds, "]}");
	}
	buf_puts(&cmds, "\n]\n");
	if (flags.oom || cmds.oom) {
		err_set("out of memory");
		goto out;
	}
	if (fs_join(path, sizeof(path), dir, "compile_flags.txt") < 0 || write_ro(path, flags.s, flags.len) < 0 ||
	    fs_join(path, sizeof(path), dir, "compile_commands.json") < 0 || write_ro(path, cmds.s, cmds.len) < 0)
		goto out;
	if (fs_join(tests, sizeof(tests), dir, "tests") < 0 || fs_mkdirs(tests) < 0)
		goto out;
	for (size_t i = 0; t->tests && t->tests[i]; i++) {
		FILE *f;

		buf_release(&file);
		buf_add(&file, "", 0);
		if (fs_join(from, sizeof(from), t->tests_from, t->tests[i]) < 0 ||
		    fs_join(path, sizeof(path), tests, t->tests[i]) < 0)
			goto out;
		if (!(f = fopen(from, "r")))
			continue;
		{
			char chunk[4096];
			size_t n;

			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				buf_add(&file, chunk, n);
		}
		fclose(f);
		if (file.oom || write_ro(path, file.s, file.len) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&flags);
	buf_release(&cmds);
	buf_release(&file);
	return rc;
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
