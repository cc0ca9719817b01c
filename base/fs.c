/* fs — file-system helpers; see fs.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

char *fs_read_at(int dirfd, const char *name, size_t max, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *s = NULL;
	size_t n = 0;

	if (fd < 0) {
		err_sys("cannot read '%s'", name);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set("'%s' is not a regular file", name);
		goto out;
	}
	if ((unsigned long long)st.st_size > max) {
		err_set("'%s' is larger than %zu bytes", name, max);
		goto out;
	}
	s = malloc((size_t)st.st_size + 1);
	if (!s) {
		err_set("out of memory reading '%s'", name);
		goto out;
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, s + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	s[n] = '\0';
	if (len)
		*len = n;
out:
	close(fd);
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

int fs_copy_new(const char *src, const char *dst)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = -1;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_sys("cannot read '%s'", src);
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		err_sys("cannot create '%s'", dst);
		goto out_close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			err_sys("cannot write '%s'", dst);
			goto out_close_out;
		}
	if (n < 0) {
		err_sys("cannot read '%s'", src);
		goto out_close_out;
	}
	rc = fsync(out) < 0 ? err_sys("cannot write '%s'", dst) : 0;
out_close_out:
	close(out);
	if (rc < 0)
		unlink(dst);
out_close_in:
	close(in);
	return rc;
}

int fs_write_atomic(const char *path, const char *data, size_t len, unsigned mode)
{
	char tmp[4096];
	ssize_t n = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.chanlab-tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return err_set("path too long: '%s'", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
	if (fd < 0)
		return err_sys("cannot write '%s'", tmp);
	for (size_t done = 0; done < len; done += (size_t)n)
		if ((n = write(fd, data + done, len - done)) < 0) {
			err_sys("cannot write '%s'", tmp);
			close(fd);
			goto out_unlink;
		}
	if (fsync(fd) < 0 || close(fd) < 0) {
		err_sys("cannot write '%s'", tmp);
		goto out_unlink;
	}
	if (rename(tmp, path) < 0) {
		err_sys("cannot replace '%s'", path);
		goto out_unlink;
	}
	return 0;
out_unlink:
	unlink(tmp);
	return -1;
}

int fs_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size) {
		if (size)
			buf[0] = '\0';
		return err_set("path too long: '%s/%s'", dir, name);
	}
	return 0;
}

void fs_sweep_dead(const char *parent, const char *prefix)
{
	size_t plen = strlen(prefix);
	struct dirent *de;
	DIR *d = opendir(parent);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[4096], *end;
		struct stat st;
		long pid;

		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		pid = strtol(de->d_name + plen, &end, 10);
		if (end == de->d_name + plen || (*end != '.' && *end) || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;   /* its maker lives (or is not ours to ask) */
		if (fs_join(path, sizeof(path), parent, de->d_name) < 0)
			continue;
		/* As root, a sandbox folder belongs to the throw-away uid the program ran as. */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    (st.st_uid == geteuid() || geteuid() == 0))
			fs_rmtree(path);
	}
	closedir(d);
}
