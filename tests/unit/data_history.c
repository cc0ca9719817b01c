/* data/record: history, files, diffs, save/restore/reset, hints, progress,
 * repair from git, migration from schema 1 and concurrent writers, on a
 * real SQLite file and a real git repository. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "base/str.h"
#include "data/record.h"
#include "tests/tap.h"

static char root[256], home[300], work[400], starter[300];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static int check(struct record *r, const char *status, int passed, struct record_entry *e)
{
	struct record_verdict v = { "ex1", status, passed, 3, 0.25, "{\"version\":1}", NULL, 0, NULL };

	return record_attempt(r, &v, e);
}

int main(void)
{
	struct record *r;
	struct record_entry e1, e2, e3, s, *h;
	struct record_progress p;
	struct buf b = BUF_INIT;
	char **names;
	size_t n;
	char a_c[] = "a.c", b_h[] = "b.h", *files[] = { a_c, b_h, NULL };

	plan(69);
	snprintf(root, sizeof(root), "/tmp/chanlab-hist-%d", (int)getpid());
	snprintf(home, sizeof(home), "%s/home", root);
	snprintf(work, sizeof(work), "%s/work/ex1", home);
	snprintf(starter, sizeof(starter), "%s/starter", root);
	fs_mkdirs(starter);
	fs_mkdirs(work);
	write_file(starter, "a.c", "int main(void) { return 0; }\n");
	write_file(starter, "b.h", "#define N 1\n");
	write_file(starter, "exercise.lua", "-- not a learner file\n");

	ok(record_open(&r, home) == 0, "a new home's record opens");
	ok(record_history(r, "ex1", &h, &n) == 0 && n == 0 && !h, "a new exercise has no history");
	ok(record_find(r, "ex1", "last", &e1) < 0 && strstr(err_msg(), "no checks"), "and says so: %s", err_msg());

	/* Three checks with different files. */
	write_file(work, "a.c", "int main(void) { return 1; }\n");
	write_file(work, "b.h", "#define N 1\n");
	ok(check(r, "fail", 1, &e1) == 0 && e1.number == 1 && strlen(e1.commit) == 40, "a check is entry #1");
	write_file(work, "a.c", "int main(void) { return 2; }\n");
	write_file(work, "notes.txt", "my notes\n");
	write_file(work, ".a.c.swp", "an editor's swap file\n");
	ok(check(r, "fail", 2, &e2) == 0 && e2.number == 2, "a second is #2");
	write_file(work, "a.c", "int main(void) { return 0; }\n");
	ok(check(r, "pass", 3, &e3) == 0 && e3.number == 3 && strcmp(e3.status, "pass") == 0, "a passing one is #3");
	ok(strncmp(sh("git -C %s/work log -1 --format=%%B", home),
		   "ex1: pass (3 of 3 tests passed)\n\nChanlab-Exercise: ex1\nChanlab-Kind: check\nChanlab-Status: pass\n"
		   "Chanlab-Tests: 3/3\nChanlab-Seconds: 0.250\nChanlab-At: ", 130) == 0,
	   "the commit message carries the verdict as trailers");

	{
		char tree[41];
		struct record_verdict v = { "ex1", "pass", 3, 3, 0.25, "{}", NULL, 0, tree };
		struct record_entry e4;

		ok(record_stage(r, "ex1", tree) == 0 && strlen(tree) == 40, "the files are staged before a check");
		write_file(work, "a.c", "int main(void) { return 7; } /* saved during the check */\n");
		ok(record_attempt(r, &v, &e4) == 0 && record_read(r, e4.commit, "ex1", "a.c", &b) == 0 &&
		   strcmp(b.s, "int main(void) { return 0; }\n") == 0,
		   "an attempt holds the files checked, not those saved during the check");
		buf_release(&b);
		/* Keep the rest of this test as it was: three checks. */
		sh("sqlite3 %s/progress.db \"DELETE FROM attempt WHERE id = %lld; UPDATE exercise SET attempts = 3\"",
		   home, e4.id);
		sh("git -C %s/work update-ref HEAD %s", home, e3.commit);
		write_file(work, "a.c", "int main(void) { return 0; }\n");
	}
	ok(record_history(r, "ex1", &h, &n) == 0 && n == 3, "the history lists three entries");
	ok(n == 3 && h[0].number == 1 && h[2].number == 3 && strcmp(h[0].status, "fail") == 0 &&
	   h[1].passed == 2 && h[2].total == 3 && strcmp(h[1].commit, e2.commit) == 0,
	   "oldest first, with verdicts and commits");
	free(h);

	ok(record_find(r, "ex1", "2", &s) == 0 && s.id == e2.id, "an entry is found by number");
	ok(record_find(r, "ex1", "#1", &s) == 0 && s.id == e1.id, "or by #number");
	ok(record_find(r, "ex1", "last", &s) == 0 && s.id == e3.id, "or as last");
	{
		char prefix[8];

		snprintf(prefix, sizeof(prefix), "%.7s", e2.commit);
		ok(record_find(r, "ex1", prefix, &s) == 0 && s.id == e2.id, "or by its commit's digits");
	}
	ok(record_find(r, "ex1", "9", &s) < 0 && strstr(err_msg(), "#1 to #3"), "an unknown one is named: %s", err_msg());

	ok(record_files(r, e2.commit, "ex1", &names) == 0 && names[0] && strcmp(names[0], "a.c") == 0 &&
	   strcmp(names[1], "b.h") == 0 && strcmp(names[2], "notes.txt") == 0 && !names[3],
	   "the files of an attempt, sorted, without the editor's swap file (work/.gitignore)");
	str_list_free(names);
	ok(record_read(r, e1.commit, "ex1", "a.c", &b) == 0 && strcmp(b.s, "int main(void) { return 1; }\n") == 0,
	   "a file of an attempt as it was checked");
	buf_release(&b);
	ok(record_read(r, e1.commit, "ex1", "notes.txt", &b) < 0 && strstr(err_msg(), "notes.txt"),
	   "a file the attempt lacked is named: %s", err_msg());

	/* Diffs. */
	{
		struct record_side a = { e1.commit, NULL, NULL, "#1" }, c = { e2.commit, NULL, NULL, "#2" };
		struct record_side st = { NULL, starter, files, "starter" }, wk = { NULL, work, NULL, "work" };

		ok(record_diff(r, "ex1", &a, &c, &b) == 0 && strstr(b.s, "-int main(void) { return 1; }") &&
		   strstr(b.s, "+int main(void) { return 2; }") && strstr(b.s, "+my notes") &&
		   strstr(b.s, "diff --git a/a.c b/a.c") && !strstr(b.s, "b.h"),
		   "the diff of two attempts shows the changed and added files only");
		buf_release(&b);
		ok(record_diff(r, "ex1", &c, &c, &b) == 0 && b.len == 0, "an attempt against itself is no diff");
		buf_release(&b);
		ok(record_diff(r, "ex1", &st, &a, &b) == 0 && strstr(b.s, "+int main(void) { return 1; }") &&
		   !strstr(b.s, "exercise.lua"), "the diff against the starter uses the starter's files only");
		buf_release(&b);
		write_file(work, "a.c", "int main(void) { return 42; }\n");
		c.commit = e3.commit;
		ok(record_diff(r, "ex1", &c, &wk, &b) == 0 && strstr(b.s, "+int main(void) { return 42; }") &&
		   !strstr(b.s, "swap"), "the diff against the learner's files now, without ignored files");
		buf_release(&b);
	}

	/* Save, reset, restore: nothing is lost. */
	write_file(work, "extra.c", "/* a file the learner added */\n");
	ok(record_reset(r, "ex1", work, starter, files, &s) == 0, "reset to the starter");
	ok(s.number == 4 && strcmp(s.kind, "save") == 0, "reset saved the files first, as #4");
	is_str(sh("cat %s/a.c; ls %s | tr '\\n' ' '", work, work), "int main(void) { return 0; }\na.c b.h ",
	       "the folder holds the starter files only");
	ok(record_read(r, s.commit, "ex1", "a.c", &b) == 0 && strstr(b.s, "return 42"), "the save holds the edited file");
	buf_release(&b);
	ok(record_read(r, s.commit, "ex1", "extra.c", &b) == 0 && strstr(b.s, "learner added"),
	   "and the file the learner added");
	buf_release(&b);
	{
		struct record_entry s2;

		ok(record_save(r, "ex1", "nothing changed", &s2) == 0 && s2.number == 4 + 1,
		   "saving the starter files makes an entry (they differ from #4)");
		ok(record_save(r, "ex1", "nothing changed", &s) == 0 && s.number == s2.number,
		   "saving unchanged files makes none");
	}
	ok(record_restore(r, "ex1", work, e2.commit, &s) == 0, "restore #2");
	ok(s.number == 5, "restore found the current files already saved (#5)");
	is_str(sh("cat %s/a.c %s/notes.txt", work, work), "int main(void) { return 2; }\nmy notes\n",
	       "the folder holds #2's files");
	ok(access(sh("printf %%s %s/extra.c", work), F_OK) < 0, "a file #2 lacked is not there");
	ok(record_history(r, "ex1", &h, &n) == 0 && n == 5, "saves are in the history");
	ok(n == 5 && strcmp(h[3].kind, "save") == 0 && strcmp(h[3].status, "saved") == 0, "marked as saves");
	free(h);
	{
		char unset[] = "unset", *json = unset;

		ok(record_last_result(r, "ex1", &s, &json) == 0 && json && s.id == e3.id && s.number == 3 &&
		   strcmp(json, "{\"version\":1}") == 0,
		   "the last result is the latest check's verdict JSON, not the saves after it");
		free(json);
		json = unset;
		ok(record_last_result(r, "nope", NULL, &json) == 0 && !json, "an exercise never checked has none");
		sh("sqlite3 %s/progress.db \"INSERT INTO exercise(id, first_seen) VALUES ('saved', 1);"
		   " INSERT INTO attempt(exercise, at, status, passed, total, seconds, result, commit_id, kind)"
		   " VALUES ('saved', 1, 'saved', 0, 0, 0, '{}', 'ffff', 'save')\"", home);
		json = unset;
		ok(record_last_result(r, "saved", NULL, &json) == 0 && !json, "nor one only ever saved");
		sh("sqlite3 %s/progress.db \"DELETE FROM attempt WHERE exercise = 'saved';"
		   " DELETE FROM exercise WHERE id = 'saved'\"", home);
	}

	/* Hints and progress. */
	ok(record_hint(r, "ex1", 2) == 0 && record_hint(r, "ex1", 0) == 0 && record_hint(r, "ex1", 2) == 0,
	   "hints are recorded");
	{
		int which[8];
		size_t nh = 0;

		ok(record_hints(r, "ex1", which, 8, &nh) == 0 && nh == 2 && which[0] == 2 && which[1] == 0,
		   "which hints were revealed, in the order they were, each once");
	}
	ok(record_progress(r, "ex1", &p) == 0, "progress reads");
	ok(p.attempts == 3 && p.passed && p.first_pass > 0 && p.hints == 2 && p.best_passed == 3 &&
	   p.best_total == 3, "checks (not saves), the pass, hints and the best result are counted");
	ok(p.seconds_spent >= 0.75, "time spent includes the checks' own time (%.2f s)", p.seconds_spent);
	{
		/* active time only: a gap over 5 minutes is time away, one under counts */
		double before = p.seconds_spent;

		sh("sqlite3 %s/progress.db \"UPDATE exercise SET last_activity = strftime('%%s') - 420 WHERE id = 'ex1'\"", home);
		ok(record_hint(r, "ex1", 1) == 0 && record_progress(r, "ex1", &p) == 0 && p.seconds_spent - before < 1,
		   "a hint 7 minutes after the last activity adds nothing (%.1f s more)", p.seconds_spent - before);
		before = p.seconds_spent;
		sh("sqlite3 %s/progress.db \"UPDATE exercise SET last_activity = strftime('%%s') - 200 WHERE id = 'ex1'\"", home);
		ok(record_hint(r, "ex1", 3) == 0 && record_progress(r, "ex1", &p) == 0 &&
		   p.seconds_spent - before >= 199 && p.seconds_spent - before <= 202,
		   "one 200 s after adds the 200 s (%.1f s more)", p.seconds_spent - before);
	}
	{
		struct record_bench bench[2] = { { "spawn", 120, "ns/op", 1.5 }, { "chan", 80, "ns/op", 1.2 } };
		struct record_verdict v = { "ex1", "pass", 3, 3, 0.1, "{}", bench, 2, NULL };

		ok(record_attempt(r, &v, &e1) == 0 && record_bench(r, e1.id, &b) == 0 &&
		   strcmp(b.s, "chan 80 ns/op 1.2\nspawn 120 ns/op 1.5\n") == 0, "benchmark figures are recorded");
		buf_release(&b);
		record_progress(r, "ex1", &p);
		ok(p.best_ratio > 1.49 && p.best_ratio < 1.51, "the best ratio is the passing check's worst figure");
		is_str(p.last_status, "pass", "the current state is the last check's");
	}
	ok(record_progress(r, "nope", &p) == 0 && p.attempts == 0 && !p.passed, "an unknown exercise is all zero");
	{
		struct record_progress *all;

		ok(record_progress_all(r, &all, &n) == 0 && n == 1 && strcmp(all[0].exercise, "ex1") == 0,
		   "every exercise in the record");
		free(all);
	}
	record_free(r);

	/* Repair: a commit whose row is missing (as after kill -9 between them). */
	sh("sqlite3 %s/progress.db \"DELETE FROM bench; DELETE FROM attempt WHERE id = (SELECT max(id) FROM attempt)\"",
	   home);
	ok(record_open(&r, home) == 0, "the record opens after a lost row");
	ok(record_history(r, "ex1", &h, &n) == 0 && n == 6 && strcmp(h[5].commit, e1.commit) == 0 &&
	   strcmp(h[5].status, "pass") == 0 && h[5].passed == 3, "the row is rebuilt from the commit's trailers");
	ok(n == 6 && record_bench(r, h[5].id, &b) == 0 && b.s && strcmp(b.s, "chan 80 ns/op 1.2\nspawn 120 ns/op 1.5\n") == 0,
	   "with its benchmark figures");
	buf_release(&b);
	free(h);
	is_str(sh("sqlite3 %s/progress.db \"SELECT json_extract(result, '$.recovered') FROM attempt ORDER BY id DESC LIMIT 1\"",
		  home), "1\n", "and marked as recovered");
	{
		char *json = NULL;

		ok(record_last_result(r, "ex1", NULL, &json) == 0 && json && strstr(json, "\"recovered\":true") &&
		   strstr(json, "\"tests\":[]"), "the last result of a rebuilt row is the recovered verdict");
		free(json);
	}
	record_free(r);
	/* The learner's own commit on top is passed over. */
	sh("git -C %s/work -c user.name=l -c user.email=l@x commit -q --allow-empty -m mine", home);
	sh("mv %s/progress.db %s/progress.db.old; rm -f %s/progress.db-wal %s/progress.db-shm", home, home, home, home);
	ok(record_open(&r, home) == 0, "a home whose database was moved aside opens");
	ok(record_history(r, "ex1", &h, &n) == 0 && n == 6 && strcmp(h[0].commit, e1.commit) != 0 &&
	   strcmp(h[3].kind, "save") == 0, "and its whole history is rebuilt from git, saves included");
	free(h);
	record_free(r);

	/* Migration: a schema 1 database keeps its rows. */
	{
		char v1[512];

		snprintf(v1, sizeof(v1), "%s/v1", root);
		fs_mkdirs(v1);
		sh("sqlite3 %s/progress.db \"CREATE TABLE exercise (id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, "
		   "first_pass INTEGER); CREATE TABLE attempt (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL REFERENCES "
		   "exercise(id), at INTEGER NOT NULL, status TEXT NOT NULL, passed INTEGER NOT NULL, total INTEGER NOT "
		   "NULL, seconds REAL NOT NULL, result TEXT NOT NULL, commit_id TEXT NOT NULL); CREATE INDEX "
		   "attempt_by_exercise ON attempt(exercise, at); INSERT INTO exercise VALUES ('old', 100, 200); "
		   "INSERT INTO attempt VALUES (1, 'old', 200, 'pass', 2, 2, 0.5, '{}', "
		   "'0123456789012345678901234567890123456789'), (2, 'old', 500, 'fail', 1, 2, 0.5, '{}', "
		   "'1123456789012345678901234567890123456789'), (3, 'old', 5000, 'fail', 1, 2, 0.5, '{}', "
		   "'2123456789012345678901234567890123456789'); PRAGMA user_version = 1;\"", v1);
		ok(record_open(&r, v1) == 0, "a schema 1 database is upgraded");
		ok(record_history(r, "old", &h, &n) == 0 && n == 3 && strcmp(h[0].kind, "check") == 0 &&
		   h[0].passed == 2, "and keeps its attempts");
		free(h);
		ok(record_progress(r, "old", &p) == 0 && p.attempts == 3 && p.passed && p.first_pass == 200 &&
		   p.best_passed == 2 && p.best_total == 2 && p.last_at == 5000,
		   "and its running totals are computed from them (version 3)");
		is_int(p.seconds_spent * 10, 3015, "time spent (version 4): the checks and the gaps of at most 5 min");
		is_str(p.last_status, "fail", "the current state is the last check's (version 4)");
		record_free(r);
		is_str(sh("sqlite3 %s/progress.db 'PRAGMA user_version'", v1), "4\n", "the version is now 4");
	}

	/* The current state beside the best. */
	{
		struct record_verdict pass = { "brk", "pass", 3, 3, 0.1, "{}", NULL, 0, NULL };
		struct record_verdict fail = { "brk", "fail", 1, 3, 0.1, "{}", NULL, 0, NULL };
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/work/brk", home);
		fs_mkdirs(dir);
		write_file(dir, "b.c", "int b = 1;\n");
		ok(record_open(&r, home) == 0 && record_attempt(r, &pass, NULL) == 0 && (write_file(dir, "b.c", "int b = 2;\n"), 1) &&
		   record_attempt(r, &fail, NULL) == 0 && record_progress(r, "brk", &p) == 0 && p.passed &&
		   strcmp(p.last_status, "fail") == 0 && p.best_passed == 3,
		   "a pass since broken: the current state is the failure, the best stays the pass");
	record_free(r);
	}

	/* Two writers on one home: four processes, ten checks each. */
	{
		int good = 1;

		for (int k = 0; k < 4; k++)
			if (fork() == 0) {
				struct record *c;
				char ex[16], dir[512];
				int rc = 0;

				snprintf(ex, sizeof(ex), "par%d", k % 2);
				snprintf(dir, sizeof(dir), "%s/work/%s", home, ex);
				fs_mkdirs(dir);
				if (record_open(&c, home) < 0)
					_exit(2);
				for (int i = 0; i < 10 && rc == 0; i++) {
					struct record_verdict v = { ex, "fail", i, 10, 0.01, "{}", NULL, 0, NULL };
					char name[32], text[64];

					snprintf(name, sizeof(name), "f%d.c", k);
					snprintf(text, sizeof(text), "int v = %d;\n", i);
					write_file(dir, name, text);
					rc = record_attempt(c, &v, NULL);
					if (rc < 0)
						fprintf(stderr, "# %s\n", err_msg());
				}
				record_free(c);
				_exit(rc ? 1 : 0);
			}
		for (int k = 0; k < 4; k++) {
			int st;

			wait(&st);
			good &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
		}
		ok(good, "four processes record at once without an error");
		is_str(sh("sqlite3 %s/progress.db \"SELECT count(*) FROM attempt WHERE exercise LIKE 'par%%'\"", home),
		       "40\n", "every attempt has its row");
		is_str(sh("git -C %s/work log --format=%%s | grep -c '^par'", home), "40\n",
		       "and its commit, in one line of history");
		is_str(sh("sqlite3 %s/progress.db \"SELECT commit_id FROM attempt WHERE exercise LIKE 'par%%' ORDER BY "
			  "commit_id\" | md5sum", home),
		       sh("git -C %s/work log --format='%%H %%s' | grep ' par' | cut -d' ' -f1 | sort | md5sum", home),
		       "rows and commits name each other");
	}

	sh("rm -rf %s", root);
	return done();
}
