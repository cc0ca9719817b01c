/* data/store and data/snap: a real SQLite file and a real git repository. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "data/snap.h"
#include "data/store.h"
#include "data/work.h"
#include "tests/tap.h"

static char root[256];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

int main(void)
{
	struct store *st;
	struct snap *sn;
	struct store_summary sum;
	char path[768], starter[512], work[512], oid1[41], oid2[41];
	char a_c[] = "a.c", *files[] = { a_c, NULL };

	plan(16);
	snprintf(root, sizeof(root), "/tmp/chanlab-data-%d", (int)getpid());
	snprintf(starter, sizeof(starter), "%s/starter", root);
	snprintf(work, sizeof(work), "%s/work", root);
	fs_mkdirs(starter);
	fs_mkdirs(work);
	snprintf(path, sizeof(path), "%s/a.c", starter);
	write_file(path, "int x;\n");

	snprintf(path, sizeof(path), "%s/work/ex1", root);
	ok(work_prepare(path, starter, files) == 0, "the learner's folder is made from the starter");
	snprintf(path, sizeof(path), "%s/work/ex1/a.c", root);
	write_file(path, "int x = 1; /* the learner's work */\n");
	snprintf(path, sizeof(path), "%s/work/ex1", root);
	work_prepare(path, starter, files);
	is_str(sh("cat %s/a.c", path), "int x = 1; /* the learner's work */\n", "preparing again never overwrites the learner's file");

	ok(snap_open(&sn, work) == 0, "the attempts repository is created");
	ok(snap_commit(sn, "ex1", NULL, "ex1: fail\n", NULL, oid1) == 0 && strlen(oid1) == 40, "a snapshot is a commit");
	snprintf(path, sizeof(path), "%s/work/ex1/a.c", root);
	write_file(path, "int x = 2;\n");
	ok(snap_commit(sn, "ex1", NULL, "ex1: pass\n", NULL, oid2) == 0 && strcmp(oid1, oid2) != 0, "a second snapshot is a new commit");
	is_str(sh("git -C %s/work log --format=%%s | tr '\\n' ' '", root), "ex1: pass ex1: fail ", "git sees both, newest first");
	is_str(sh("git -C %s/work show HEAD:ex1/a.c", root), "int x = 2;\n", "the commit holds the file as checked");
	snap_free(sn);
	ok(snap_open(&sn, work) == 0, "the repository opens again");
	snap_free(sn);

	snprintf(path, sizeof(path), "%s/progress.db", root);
	ok(store_open(&st, path) == 0, "the progress database is created");
	{
		struct store_attempt a = { .exercise = "ex1", .status = "fail", .passed = 1, .total = 2, .seconds = 0.5,
					   .result = "{\"status\":\"fail\"}", .commit_id = oid1 };
		struct store_attempt b = { .exercise = "ex1", .status = "pass", .passed = 2, .total = 2, .seconds = 0.4,
					   .result = "{\"status\":\"pass\"}", .commit_id = oid2 };

		ok(store_add_attempt(st, &a, NULL) == 0 && store_add_attempt(st, &b, NULL) == 0, "attempts are recorded");
	}
	store_summary(st, "ex1", &sum);
	ok(sum.attempts == 2 && sum.passed, "the summary counts them and sees the pass");
	store_free(st);
	is_str(sh("sqlite3 %s 'PRAGMA user_version; SELECT status, length(commit_id) FROM attempt ORDER BY id'", path),
	       "4\nfail|40\npass|40\n", "the schema is versioned and rows name their commit");
	is_str(sh("sqlite3 %s 'PRAGMA journal_mode'", path), "wal\n", "the database is in WAL mode");

	/* Damage is reported, never replaced. */
	snprintf(path, sizeof(path), "%s/damaged.db", root);
	write_file(path, "this is not a database, but somebody's file\n");
	ok(store_open(&st, path) < 0 && strstr(err_msg(), "damaged.db"), "a damaged database is named: %s", err_msg());
	is_str(sh("cat %s", path), "this is not a database, but somebody's file\n", "and left as it was");
	snprintf(path, sizeof(path), "%s/broken", root);
	fs_mkdirs(path);
	snprintf(path, sizeof(path), "%s/broken/.git", root);
	write_file(path, "garbage\n");
	snprintf(path, sizeof(path), "%s/broken", root);
	ok(snap_open(&sn, path) < 0 && strstr(err_msg(), "damaged"), "a broken repository is reported: %s", err_msg());

	sh("rm -rf %s", root);
	return done();
}
