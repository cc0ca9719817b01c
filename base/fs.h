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

/* Writes data to path (created or truncated), mode 0644. 0 or -1 (err_msg). */
int fs_write(const char *path, const char *data, size_t len);

/* Copies the file src to dst (mode kept). 0 or -1 (err_msg). */
int fs_copy(const char *src, const char *dst);

/* The newest modification time under path, in nanoseconds (0 if missing). */
long long fs_mtime(const char *path);

#endif
