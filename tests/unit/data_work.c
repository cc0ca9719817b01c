/* data/work: writing and removing learner files below the work folder
 * never follows a symbolic link on the way (a linked folder, a linked
 * file, ".." in a name), and a link itself is removed, not its target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "data/work.h"
#include "tests/tap.h"

static char root[256], work[300], outside[300], tmp[300];

static bool exists(const char *dir, const char *name)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

int main(void)
{
	struct buf b = BUF_INIT;
	char path[700], target[700];
	struct stat st;

	plan(15);
	snprintf(root, sizeof(root), "/tmp/chanlab-work-%d", (int)getpid());
	snprintf(work, sizeof(work), "%s/work", root);
	snprintf(outside, sizeof(outside), "%s/outside", root);
	snprintf(tmp, sizeof(tmp), "%s/restore.tmp", root);
	fs_mkdirs(work);
	fs_mkdirs(outside);
	buf_puts(&b, "int x;\n");

	ok(work_write(work, "ex/sub/a.c", &b, tmp) == 0 && exists(work, "ex/sub/a.c"),
	   "a file is written, its folders made");
	ok(work_check(work, "ex/sub/a.c") == 0 && work_check(work, "ex/none/b.c") == 0,
	   "a regular file, or nothing, is fine to write");

	snprintf(path, sizeof(path), "%s/ex/link", work);
	symlink(outside, path);
	ok(work_write(work, "ex/link/a.c", &b, tmp) < 0 && !exists(outside, "a.c"),
	   "nothing is written through a linked folder");
	ok(strstr(err_msg(), "'ex/link' in your work folder is a symbolic link") != NULL, "which is named: %s",
	   err_msg());
	ok(work_check(work, "ex/link/a.c") < 0, "the check says the same");

	snprintf(target, sizeof(target), "%s/secret", outside);
	fs_write(target, "keep\n", 5);
	snprintf(path, sizeof(path), "%s/ex/sub/linked.c", work);
	symlink(target, path);
	ok(work_write(work, "ex/sub/linked.c", &b, tmp) < 0 && strstr(err_msg(), "symbolic link"),
	   "a linked file is not written over");
	ok(work_remove(work, "ex/sub/linked.c") == 0 && lstat(path, &st) < 0 && exists(outside, "secret"),
	   "removing it removes the link, not what it points at");
	snprintf(target, sizeof(target), "%s/a.c", outside);
	fs_write(target, "theirs\n", 7);
	ok(work_remove(work, "ex/link/a.c") < 0 && exists(outside, "a.c"), "nothing is removed through a linked folder");
	ok(work_write(work, "ex/../../outside/b.c", &b, tmp) < 0 && !exists(outside, "b.c"), "'..' is refused");
	ok(work_write(work, "/etc/x", &b, tmp) < 0 && work_write(work, "ex//a.c", &b, tmp) < 0,
	   "so are absolute and empty names");
	ok(work_remove(work, "ex/gone/a.c") == 0, "removing a file whose folder is gone is fine");
	ok(access(tmp, F_OK) < 0, "no temporary file is left");
	{
		char hdr[] = "h.h", *headers[] = { hdr, NULL }, from[720], hpath[720];

		snprintf(from, sizeof(from), "%s/h.h", outside);
		fs_write(from, "int v1;\n", 8);
		snprintf(path, sizeof(path), "%s/hx", work);
		ok(work_prepare_headers(path, outside, headers) == 0 && exists(path, "h.h"),
		   "a header is copied beside the learner's files");
		snprintf(hpath, sizeof(hpath), "%s/h.h", path);
		ok(stat(hpath, &st) == 0 && (st.st_mode & 0777) == 0444, "read-only");
		fs_write(from, "int v2;\n", 8);
		work_prepare_headers(path, outside, headers);
		{
			size_t len;
			char *text = fs_read(hpath, &len);

			ok(text && strcmp(text, "int v2;\n") == 0, "and refreshed when the pack's changes");
			free(text);
		}
	}
	buf_release(&b);
	fs_rmtree(root);
	return done();
}
