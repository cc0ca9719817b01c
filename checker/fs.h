/* fs — small file-system helpers shared by the modules. */
#ifndef CHECKER_FS_H
#define CHECKER_FS_H

/* Creates path and its missing parents (like mkdir -p). 0 or -1 (err_msg). */
int fs_mkdirs(const char *path);

#endif
