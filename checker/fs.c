/* fs — file-system helpers; see fs.h. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "checker/err.h"
#include "checker/fs.h"

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
