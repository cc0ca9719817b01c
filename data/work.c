/* work — creating the learner's folders from the starter; see work.h. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "data/work.h"

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = -1;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_sys("cannot read the starter file '%s'", from);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		err_sys("cannot create '%s'", to);
		goto out_close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			err_sys("cannot write '%s'", to);
			goto out_close;
		}
	if (n < 0) {
		err_sys("cannot read the starter file '%s'", from);
		goto out_close;
	}
	rc = fsync(out) < 0 ? err_sys("cannot write '%s'", to) : 0;
out_close:
	close(out);
	if (rc < 0)
		unlink(to);
out_close_in:
	close(in);
	return rc;
}

int work_prepare(const char *dir, const char *starter_dir, char *const *files)
{
	if (fs_mkdirs(dir) < 0)
		return -1;
	for (size_t i = 0; files[i]; i++) {
		char from[4096], to[4096];

		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		if (access(to, F_OK) == 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", starter_dir, files[i]);
		if (copy_file(from, to) < 0)
			return -1;
	}
	return 0;
}
