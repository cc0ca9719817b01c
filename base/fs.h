/* fs — small file-system helpers shared by the modules. */
#ifndef BASE_FS_H
#define BASE_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Creates path and its missing parents (like mkdir -p). 0 or -1 (err_msg). */
int fs_mkdirs(const char *path);

/* Removes path and everything under it (like rm -rf); a missing path is
 * fine. Does not follow symbolic links. 0 or -1 (err_msg). */
int fs_rmtree(const char *path);

/* Reads the whole file at path into a NUL-terminated malloc'd string
 * (*len gets its length if len is not NULL). NULL and err_msg on failure. */
char *fs_read(const char *path, size_t *len);

/* Reads name, relative to the folder dirfd (AT_FDCWD: the cwd), for a file
 * someone else wrote: only a regular file, reached without following a
 * final symbolic link, at most max bytes, never blocking on a pipe. A
 * NUL-terminated malloc'd string (length in *len), or NULL and err_msg
 * saying why (missing, not a file, larger than max). */
char *fs_read_at(int dirfd, const char *name, size_t max, size_t *len);

/* Writes data to path (created or truncated), mode 0644. 0 or -1 (err_msg). */
int fs_write(const char *path, const char *data, size_t len);

/* Copies the file src to dst (mode kept). 0 or -1 (err_msg). */
int fs_copy(const char *src, const char *dst);

/* Copies the file src to dst, which must not exist yet: a file made there
 * meanwhile is never replaced (O_EXCL). dst gets mode 0644 and is on disk
 * (fsync) when this returns; on failure it is removed. 0 or -1 (err_msg). */
int fs_copy_new(const char *src, const char *dst);

/* Replaces path with data whole or not at all: writes a temporary file
 * beside it, fsyncs it and renames it over path, so a crash leaves either
 * the old file or the new one. mode is the new file's. 0 or -1 (err_msg). */
int fs_write_atomic(const char *path, const char *data, size_t len, unsigned mode);

/* Joins dir and name with one '/' into buf. Returns 0, or -1 (err_msg
 * names the path) when it does not fit, with buf left empty: no path is
 * ever silently cut short. */
int fs_join(char *buf, size_t size, const char *dir, const char *name);

/* Private folders are named <prefix><pid> or <prefix><pid>.<anything> after
 * the process that made them. Removes those in parent whose maker is dead
 * (a kill -9 before it could clean up) and that belong to this user (any,
 * as root). Folders of living processes, and everything else, stay. */
void fs_sweep_dead(const char *parent, const char *prefix);

#endif
