/*
 * api_files — reading files: c:file (an instructor file of the exercise),
 * c:source (one of the learner's files), and the one way chanlab reads a
 * learner's file, for c:source and for c:build's copy into the build
 * folder; see check_int.h and docs/authoring.md.
 *
 * Data model: none kept; each call reads one file whole into memory and
 * hands it to Lua as a string. The learner's files are read only as
 * regular files inside the learner's folder: the path is walked from that
 * folder one name at a time with O_NOFOLLOW, the file opened with
 * O_NONBLOCK (a pipe cannot hang the check) and fstat'ed, so a symbolic
 * link (at the file or a folder on its way), a folder, a pipe or a device
 * is refused by name and nothing is read through it. The watcher only
 * stats them, and the snapshot (data/) stores a link as a link.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/err.h"
#include "base/fs.h"
#include "lua/check_int.h"

/* --- the learner's files ----------------------------------------------------- */

/* Says in err_msg what entry (the learner's file, or a folder on the way to
 * it) in the folder dfd is, since it could not be opened as one, and what
 * to do. Always -1. */
static int refuse(int dfd, const char *entry, const char *file, const char *dir, bool folder)
{
	struct stat st;
	char target[256];
	ssize_t n;

	if (fstatat(dfd, entry, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return err_set("your file '%s' is missing: chanlab looked for it in %s (to start over, see 'chanlab reset')",
				       file, dir);
		return err_sys("cannot read your file '%s' in %s", file, dir);
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dfd, entry, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (strcmp(entry, file) != 0)
			return err_set("your file '%s' is not read: '%s' on its way is a symbolic link (to '%s'), and chanlab "
				       "reads only regular files inside your folder %s; put the folder itself there in place "
				       "of the link", file, entry, target, dir);
		return err_set("your file '%s' is a symbolic link (to '%s'), so chanlab did not read it: it reads only "
			       "regular files inside your folder %s; put the file itself there in place of the link "
			       "(in that folder: cp --remove-destination \"$(readlink -f %s)\" %s)", file, target, dir, file, file);
	}
	if (folder && !S_ISDIR(st.st_mode))
		return err_set("your file '%s' is not read: '%s' on its way is not a folder", file, entry);
	if (!folder && !S_ISREG(st.st_mode))
		return err_set("your file '%s' is not a regular file (it is %s), so chanlab did not read it: put the "
			       "file itself in your folder %s", file, S_ISDIR(st.st_mode) ? "a folder" :
			       S_ISFIFO(st.st_mode) ? "a pipe" : S_ISSOCK(st.st_mode) ? "a socket" : "a device", dir);
	return err_sys("cannot read your file '%s' in %s", file, dir);
}

int api_files_read_learner(const char *dir, const char *name, struct buf *out)
{
	char entry[NAME_MAX + 1];
	const char *p = name;
	struct stat st;
	int dfd, fd, rc = -1;
	ssize_t n;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_sys("cannot open your folder %s", dir);
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len == 0 || len >= sizeof(entry)) {
			err_set("'%s' is not a file name chanlab can read", name);
			goto out_close_dir;
		}
		memcpy(entry, p, len);
		entry[len] = '\0';
		if (!slash)
			break;
		fd = openat(dfd, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			refuse(dfd, entry, name, dir, true);
			goto out_close_dir;
		}
		close(dfd);
		dfd = fd;
		p = slash + 1;
	}
	fd = openat(dfd, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		refuse(dfd, entry, name, dir, false);
		goto out_close_dir;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		refuse(dfd, entry, name, dir, false);
		goto out_close;
	}
	for (;;) {
		char chunk[65536];

		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	if (n < 0)
		err_sys("cannot read your file '%s' in %s", name, dir);
	else if (out->oom)
		err_set("out of memory reading your file '%s'", name);
	else
		rc = 0;
out_close:
	close(fd);
out_close_dir:
	close(dfd);
	return rc;
}

/* --- c:file and c:source ---------------------------------------------------- */

/* Pushes the contents of dir/name, or nil and a message. */
static int push_file(lua_State *L, const char *dir, const char *name)
{
	char path[8192];
	size_t len;
	char *s = fs_join(path, sizeof(path), dir, name) < 0 ? NULL : fs_read(path, &len);

	if (!s) {
		lua_pushnil(L);
		lua_pushstring(L, err_msg());
		return 2;
	}
	lua_pushlstring(L, s, len);
	free(s);
	return 1;
}

/* c:file(name): an instructor file from the exercise folder (expected
 * output, input), or nil and a message. */
static int api_file(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 2);

	check_rel(L, "file", name);
	return push_file(L, c->ex->dir, name);
}

/* c:source(name): one of the learner's files (one named in files), or nil
 * and a message (it is missing, or a link or no regular file, which is not
 * read). */
static int api_source(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 2);
	struct buf text = BUF_INIT;
	bool listed = false;

	for (size_t i = 0; c->ex->files[i]; i++)
		listed = listed || strcmp(c->ex->files[i], name) == 0;
	if (!listed)
		return luaL_error(L, "'%s' is not one of the learner's files", name);
	if (c->env->solution)
		return push_file(L, lua_pushfstring(L, "%s/solution", c->ex->dir), name);
	if (api_files_read_learner(c->env->workdir, name, &text) < 0) {
		lua_pushnil(L);
		lua_pushstring(L, err_msg());
		return 2;
	}
	lua_pushlstring(L, text.s ? text.s : "", text.len);
	buf_release(&text);
	return 1;
}

const luaL_Reg api_files_lib[] = {
	{ "file", api_file },
	{ "source", api_source },
	{ NULL, NULL },
};
