/* fs — file-system helpers; see fs.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"

int fs_mkdirs(const char *path)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return err_set("path too long: '%s'", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return err_sys("cannot create '%s'", tmp);
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return err_sys("cannot create '%s'", tmp);
	return 0;
}

static int rm_at(int dirfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : err_sys("cannot remove '%s'", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return err_sys("cannot remove '%s'", name);
		return 0;
	}
	if (depth > 64)
		return err_set("'%s' is nested too deep to remove", name);
	fchmodat(dirfd, name, 0700, 0);   /* a program may have made it unreadable */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_sys("cannot remove '%s'", name);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return err_sys("cannot remove '%s'", name);
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    rm_at(fd, de->d_name, depth + 1) < 0)
			rc = -1;
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return err_sys("cannot remove '%s'", name);
	return rc;
}

int fs_rmtree(const char *path)
{
	return rm_at(AT_FDCWD, path, 0);
}

char *fs_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (!f) {
		err_sys("cannot read '%s'", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		err_sys("cannot read '%s'", path);
		goto out_close;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		err_set("out of memory reading '%s'", path);
		goto out_close;
	}
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		err_sys("cannot read '%s'", path);
		free(s);
		s = NULL;
		goto out_close;
	}
	s[n] = '\0';
	if (len)
		*len = (size_t)n;
out_close:
	fclose(f);
	return s;
}

int fs_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return err_sys("cannot write '%s'", path);
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return err_sys("cannot write '%s'", path);
	}
	if (fclose(f) != 0)
		return err_sys("cannot write '%s'", path);
	return 0;
}

int fs_copy(const char *src, const char *dst)
{
	struct stat st;
	size_t len;
	char *s;
	int rc;

	if (stat(src, &st) < 0)
		return err_sys("cannot read '%s'", src);
	if (!(s = fs_read(src, &len)))
		return -1;
	rc = fs_write(dst, s, len);
	free(s);
	if (rc == 0)
		chmod(dst, st.st_mode & 07777);
	return rc;
}

long long fs_mtime(const char *path)
{
	struct stat st;
	struct dirent *de;
	long long newest;
	DIR *d;

	if (stat(path, &st) < 0)
		return 0;
	newest = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return newest;
	while ((de = readdir(d))) {
		char sub[4096];
		long long t;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		t = fs_mtime(sub);
		if (t > newest)
			newest = t;
	}
	closedir(d);
	return newest;
}
