/*
 * record — progress.db and the attempts repository, kept consistent; see
 * record.h.
 *
 * Data model: an entry is a commit of work/<exercise>/ whose message
 * carries the verdict as trailers, and a row in attempt naming the commit
 * (attempt.commit_id is unique). Writers take <gitdir>/chanlab.lock
 * (flock), repair, commit, then insert the row; repair.c rebuilds the rows
 * a crash between the last two left missing (its invariant rests on that
 * order).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "data/crash.h"
#include "data/record.h"
#include "data/repair.h"
#include "data/snap.h"
#include "data/store.h"
#include "data/work.h"

struct record {
	char *home;
	char *workroot;
	char lockpath[4200];
	struct store *store;
	struct snap *snap;
	int lockfd;
	int lock_errno;          /* why the lock file could not be opened, or 0 */
	int locked;              /* depth: the lock is reentrant within a process */
	char notice[9000];       /* what record_open recovered, or "" */
	bool notice_taken;       /* record_notice has returned it */
};

#define LOCK_WAIT_MS 10000

/* --- the lock ------------------------------------------------------------- */

/* Removes lock files a killed chanlab left in the repository: under the
 * home's lock no other chanlab is inside libgit2, so they are stale. */
static void clear_stale_git_locks(struct record *r)
{
	static const char *const names[] = { "index.lock", "HEAD.lock", NULL };
	char path[4300], branch[256], name[262];
	FILE *f;

	for (size_t i = 0; names[i]; i++)
		if (fs_join(path, sizeof(path), snap_gitdir(r->snap), names[i]) == 0)
			unlink(path);
	if (fs_join(path, sizeof(path), snap_gitdir(r->snap), "HEAD") == 0 && (f = fopen(path, "r"))) {
		if (fscanf(f, "ref: %255s", branch) == 1) {
			snprintf(name, sizeof(name), "%s.lock", branch);
			if (fs_join(path, sizeof(path), snap_gitdir(r->snap), name) == 0)
				unlink(path);
		}
		fclose(f);
	}
}

static int lock(struct record *r)
{
	if (r->locked) {
		r->locked++;
		return 0;
	}
	if (r->lockfd < 0)
		return err_set("cannot write your record: cannot create '%s': %s; chanlab must be able to write "
			       "in '%s': make it writable, or pass --home DIR",
			       r->lockpath, strerror(r->lock_errno), r->home);
	for (int waited = 0; flock(r->lockfd, LOCK_EX | LOCK_NB) < 0; waited += 10) {
		struct timespec ts = { 0, 10 * 1000000L };

		if (errno == ENOLCK || errno == EINVAL || errno == EOPNOTSUPP)
			break;  /* a file system without locks: one writer is assumed */
		if (errno != EWOULDBLOCK && errno != EINTR)
			return err_sys("cannot lock '%s'", r->lockpath);
		if (waited >= LOCK_WAIT_MS)
			return err_set("another chanlab has been writing to '%s' for %d s: try again, "
				       "or end that chanlab", r->home, LOCK_WAIT_MS / 1000);
		nanosleep(&ts, NULL);
	}
	r->locked = 1;
	clear_stale_git_locks(r);
	return 0;
}

static void unlock(struct record *r)
{
	if (r->locked && --r->locked == 0)
		flock(r->lockfd, LOCK_UN);
}

/* --- open ----------------------------------------------------------------- */

/* Repairs if HEAD has no row (the usual case costs one lookup); *rebuilt
 * gets the number of rows added. */
static int repair_if_needed(struct record *r, size_t *rebuilt)
{
	char head[41];
	int rc = snap_head(r->snap, head);

	*rebuilt = 0;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = store_has_commit(r->store, head);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (lock(r) < 0)
		return -1;
	rc = repair_rows(r->snap, r->store, rebuilt);
	unlock(r);
	return rc;
}

/* Words what record_open recovered, for record_notice. */
static void note_rebuilt(struct record *r, bool empty, const char *aside, size_t rebuilt)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "progress.db was %s", empty ? "empty" : "missing");
	if (empty && *aside)
		buf_printf(&b, ": it was set aside as '%s'", aside);
	buf_printf(&b, "%s rebuilt %zu attempt%s from the attempts repository (work/.git)", empty && *aside ? ";" : ":",
		   rebuilt, rebuilt == 1 ? "" : "s");
	if (rebuilt)
		buf_puts(&b, "; hints revealed and the full verdicts of earlier attempts could not be recovered");
	if (!empty && *aside)
		buf_printf(&b, "; the files it left were set aside as '%s'", aside);
	snprintf(r->notice, sizeof(r->notice), "%s", b.oom ? "progress.db was rebuilt from the attempts repository" : b.s);
	buf_release(&b);
}

/* Before a new attempts repository is made under a progress.db that lists
 * attempts (their commits were in the old one): refused while the work
 * folder is there (the repository was deleted or moved from under the
 * learner's files: put it back); said, in the notice, when the whole work
 * folder is gone (a new one is made; the old attempts' files went with
 * it). 0 or -1. */
static int check_new_repository(struct record *r, const char *db, const char *gitdir)
{
	struct stat st;
	long long n;

	if (store_open(&r->store, db) < 0 || store_count(r->store, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (lstat(r->workroot, &st) < 0 && errno == ENOENT) {
		snprintf(r->notice, sizeof(r->notice), "the work folder '%s' was missing: a new one was made, with a "
			 "new attempts repository; progress.db still lists %lld earlier attempt%s whose files went "
			 "with the old folder: %s cannot be shown, compared or restored", r->workroot, n,
			 n == 1 ? "" : "s", n == 1 ? "it" : "they");
		return 0;
	}
	return err_set("the attempts repository '%s' is missing, but progress.db lists %lld attempt%s whose files "
		       "were kept in it; nothing was changed: if you moved or deleted it by mistake, put it back; "
		       "to start a new history, move progress.db aside (see 'Recovering' in INSTALL)",
		       gitdir, n, n == 1 ? "" : "s");
}

bool record_exists(const char *home)
{
	char path[4200];

	return (fs_join(path, sizeof(path), home, "progress.db") == 0 && access(path, F_OK) == 0) ||
	       (fs_join(path, sizeof(path), home, "work/.git") == 0 && access(path, F_OK) == 0);
}

enum db_state { DB_THERE, DB_MISSING, DB_EMPTY };

/* Whether the progress.db at db is there, missing or empty (0 bytes). */
static enum db_state db_state(const char *db)
{
	struct stat st;

	if (lstat(db, &st) < 0)
		return errno == ENOENT ? DB_MISSING : DB_THERE;   /* else SQLite says why */
	return S_ISREG(st.st_mode) && st.st_size == 0 ? DB_EMPTY : DB_THERE;
}

int record_open(struct record **out, const char *home)
{
	struct record *r = calloc(1, sizeof(*r));
	char path[4200], db[4200], gitdir[4300], aside[4400] = "", head[41];
	enum db_state was;
	struct stat st;
	size_t rebuilt = 0;

	*out = NULL;
	if (!r)
		return err_set("out of memory");
	r->lockfd = -1;
	r->home = strdup(home);
	if (fs_join(path, sizeof(path), home, "work") < 0 || fs_join(db, sizeof(db), home, "progress.db") < 0 ||
	    fs_join(gitdir, sizeof(gitdir), path, ".git") < 0)
		goto fail;
	r->workroot = strdup(path);
	if (!r->home || !r->workroot) {
		err_set("out of memory");
		goto fail;
	}
	was = db_state(db);
	if (was == DB_THERE && lstat(gitdir, &st) < 0 && errno == ENOENT &&
	    check_new_repository(r, db, gitdir) < 0)
		goto fail;
	if (fs_mkdirs(path) < 0 || snap_open(&r->snap, path) < 0 || snap_verify(r->snap, NULL) < 0 ||
	    fs_join(r->lockpath, sizeof(r->lockpath), snap_gitdir(r->snap), "chanlab.lock") < 0)
		goto fail;
	r->lockfd = open(r->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (r->lockfd < 0)
		r->lock_errno = errno;   /* reading still works; writing says why not */
	/* progress.db emptied, or deleted, under a history: set aside what is
	 * left of it and rebuild it from the commits, saying so. Under the
	 * lock, so that of two chanlabs starting at once only one does. */
	if (was != DB_THERE && r->lockfd >= 0) {
		if (lock(r) < 0)
			goto fail;
		was = db_state(db);
	}
	if (was != DB_THERE && snap_head(r->snap, head) == 0 &&
	    repair_set_aside_db(db, was == DB_EMPTY ? "empty" : "orphaned", aside, sizeof(aside)) < 0)
		goto fail;
	if ((!r->store && store_open(&r->store, db) < 0) || (r->lockfd >= 0 && repair_if_needed(r, &rebuilt) < 0))
		goto fail;
	unlock(r);
	if (was != DB_THERE && (rebuilt || *aside))
		note_rebuilt(r, was == DB_EMPTY, aside, rebuilt);
	*out = r;
	return 0;
fail:
	record_free(r);
	return -1;
}

const char *record_notice(struct record *r)
{
	if (!r->notice[0] || r->notice_taken)
		return NULL;
	r->notice_taken = true;
	return r->notice;
}

void record_free(struct record *r)
{
	if (!r)
		return;
	if (r->lockfd >= 0)
		close(r->lockfd);
	store_free(r->store);
	snap_free(r->snap);
	free(r->home);
	free(r->workroot);
	free(r);
}

struct store *record_store(struct record *r)
{
	return r->store;
}

/* --- writing entries -------------------------------------------------------- */

/* Commits the exercise's folder with the entry's trailers and adds its row,
 * under the lock. same_as: see snap_commit. *id gets the row (0 if none
 * was made because the files equal same_as). */
static int commit_entry(struct record *r, const struct store_attempt *a, const char *subject,
			const char *tree, const char *same_as, long long *id)
{
	struct buf msg = BUF_INIT;
	char oid[41];
	int rc;

	*id = 0;
	buf_printf(&msg, "%s\n\nChanlab-Exercise: %s\nChanlab-Kind: %s\nChanlab-Status: %s\n"
		   "Chanlab-Tests: %d/%d\nChanlab-Seconds: %.3f\nChanlab-At: %lld\n",
		   subject, a->exercise, a->kind, a->status, a->passed, a->total, a->seconds, a->at);
	for (size_t i = 0; i < a->nbench; i++)
		buf_printf(&msg, "Chanlab-Bench: %.6g %s %.6g %s\n", a->bench[i].value,
			   a->bench[i].unit && *a->bench[i].unit ? a->bench[i].unit : "-", a->bench[i].ratio,
			   a->bench[i].name);
	if (msg.oom) {
		buf_release(&msg);
		return err_set("out of memory");
	}
	rc = snap_commit(r->snap, a->exercise, tree, msg.s, same_as, oid);
	buf_release(&msg);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	crash_point("record: commit made, row not yet");
	{
		struct store_attempt row = *a;

		row.commit_id = oid;
		rc = store_add_attempt(r->store, &row, id);
	}
	crash_point("record: row made");
	return rc;
}

int record_stage(struct record *r, const char *exercise, char tree[41])
{
	int rc;

	if (lock(r) < 0)
		return -1;
	rc = snap_stage(r->snap, exercise, tree);
	unlock(r);
	return rc;
}

int record_attempt(struct record *r, const struct record_verdict *v, struct record_entry *out)
{
	struct store_attempt a = { 0 };
	char subject[512];
	long long id;
	int rc;

	a.exercise = v->exercise;
	a.status = v->status;
	a.passed = v->passed;
	a.total = v->total;
	a.seconds = v->seconds;
	a.result = v->result ? v->result : "{}";
	a.kind = "check";
	a.at = (long long)time(NULL);
	a.bench = v->bench;
	a.nbench = v->nbench < 32 ? v->nbench : 32;   /* at most 32 figures are kept */
	snprintf(subject, sizeof(subject), "%s: %s (%d of %d tests passed)", v->exercise, v->status,
		 v->passed, v->total);
	if (lock(r) < 0)
		return -1;
	rc = repair_rows(r->snap, r->store, NULL);
	if (rc == 0)
		rc = commit_entry(r, &a, subject, v->tree, NULL, &id);
	unlock(r);
	if (rc == 0 && out)
		rc = store_entry(r->store, id, out);
	return rc;
}

int record_save(struct record *r, const char *exercise, const char *why, struct record_entry *out)
{
	struct store_attempt a = { 0 };
	struct record_entry last, tmp;
	char subject[512];
	long long id = 0;
	int rc;
	bool has_last;

	if (!out)
		out = &tmp;
	memset(out, 0, sizeof(*out));
	if (lock(r) < 0)
		return -1;
	if ((rc = repair_rows(r->snap, r->store, NULL)) < 0 || (rc = store_latest(r->store, exercise, &last)) < 0)
		goto out;
	has_last = rc == 0;
	if (!has_last) {        /* never recorded: nothing to save if the folder is empty */
		struct snap_files now;
		char dir[4400];
		size_t n;

		snap_files_init(&now);
		rc = fs_join(dir, sizeof(dir), r->workroot, exercise);
		if (rc == 0)
			rc = snap_files_of_dir(dir, NULL, &now);
		n = now.n;
		snap_files_release(&now);
		if (rc < 0 || n == 0)
			goto out;
	}
	a.exercise = exercise;
	a.kind = "save";
	a.status = "saved";
	a.result = "{}";
	a.at = (long long)time(NULL);
	snprintf(subject, sizeof(subject), "%s: %s", exercise, why);
	rc = commit_entry(r, &a, subject, NULL, has_last ? last.commit : NULL, &id);
	if (rc == 0) {
		if (id)
			rc = store_entry(r->store, id, out);
		else
			*out = last;
	}
out:
	unlock(r);
	return rc < 0 ? -1 : 0;
}

/* --- reading ---------------------------------------------------------------- */

int record_history(struct record *r, const char *exercise, struct record_entry **out, size_t *n)
{
	return store_history(r->store, exercise, out, n);
}

int record_last_result(struct record *r, const char *exercise, struct record_entry *entry, char **json)
{
	return store_last_result(r->store, exercise, entry, json);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
	return true;
}

int record_find(struct record *r, const char *exercise, const char *which, struct record_entry *out)
{
	struct record_entry *h;
	size_t n, hits = 0;
	const char *w = which[0] == '#' ? which + 1 : which;
	int rc = -1;

	if (record_history(r, exercise, &h, &n) < 0)
		return -1;
	if (n == 0) {
		err_set("'%s' has no checks yet: check it first", exercise);
		goto out;
	}
	if (strcmp(w, "last") == 0) {
		*out = h[n - 1];
		rc = 0;
	} else if (all_digits(w) && atol(w) >= 1 && (size_t)atol(w) <= n) {
		*out = h[atol(w) - 1];
		rc = 0;
	} else if (strlen(w) >= 4 && all_hex(w)) {
		for (size_t i = 0; i < n; i++)
			if (strncasecmp(h[i].commit, w, strlen(w)) == 0) {
				*out = h[i];
				hits++;
			}
		rc = hits == 1 ? 0 : -1;
		if (hits > 1)
			err_set("'%s' names more than one entry of the history of '%s': give more digits", which, exercise);
	}
	if (rc < 0 && hits <= 1)
		err_set("'%s' has no entry '%s' in its history (it has #1 to #%zu; see 'chanlab history %s')",
			exercise, which, n, exercise);
out:
	free(h);
	return rc;
}

int record_files(struct record *r, const char *commit, const char *exercise, char ***names)
{
	struct snap_files f;
	char **v;

	*names = NULL;
	snap_files_init(&f);
	if (snap_files_of_commit(r->snap, commit, exercise, &f) < 0) {
		snap_files_release(&f);
		return -1;
	}
	if (!(v = calloc(f.n + 1, sizeof(*v)))) {
		snap_files_release(&f);
		return err_set("out of memory");
	}
	for (size_t i = 0; i < f.n; i++) {
		v[i] = f.names[i];
		f.names[i] = strdup("");
	}
	snap_files_release(&f);
	*names = v;
	return 0;
}

int record_read(struct record *r, const char *commit, const char *exercise, const char *name, struct buf *out)
{
	struct snap_files f;
	long i;
	int rc = -1;

	snap_files_init(&f);
	if (snap_files_of_commit(r->snap, commit, exercise, &f) < 0)
		goto out;
	if ((i = snap_files_find(&f, name)) < 0) {
		err_set("the attempt %.7s has no file '%s'", commit, name);
		goto out;
	}
	buf_add(out, f.data[i].s, f.data[i].len);
	rc = out->oom ? err_set("out of memory") : 0;
out:
	snap_files_release(&f);
	return rc;
}

static int side_files(struct record *r, const char *exercise, const struct record_side *side,
		      struct snap_files *f)
{
	char workdir[4400];

	if (side->commit)
		return snap_files_of_commit(r->snap, side->commit, exercise, f);
	if (snap_files_of_dir(side->dir, side->files, f) < 0)
		return -1;
	/* The learner's folder as a snapshot would see it. */
	if (!side->files && fs_join(workdir, sizeof(workdir), r->workroot, exercise) == 0 &&
	    strcmp(side->dir, workdir) == 0)
		return snap_files_drop_ignored(r->snap, exercise, f);
	return 0;
}

int record_diff(struct record *r, const char *exercise, const struct record_side *a,
		const struct record_side *b, struct buf *out)
{
	struct snap_files fa, fb;
	int rc = -1;

	snap_files_init(&fa);
	snap_files_init(&fb);
	if (side_files(r, exercise, a, &fa) == 0 && side_files(r, exercise, b, &fb) == 0)
		rc = snap_diff(&fa, &fb, out);
	snap_files_release(&fa);
	snap_files_release(&fb);
	return rc;
}

/* --- restore and reset ------------------------------------------------------ */

/* The path of workdir inside the work folder ("ex"): 0, or -1 if it is
 * not a folder there. */
static int inside_work(const struct record *r, const char *workdir, const char **rel)
{
	size_t n = strlen(r->workroot);

	if (strncmp(workdir, r->workroot, n) != 0 || workdir[n] != '/' || !workdir[n + 1])
		return err_set("'%s' is not a folder inside the work folder '%s'", workdir, r->workroot);
	*rel = workdir + n + 1;
	return 0;
}

/* Saves the exercise's current files (record_save, why; *saved gets the
 * save if not NULL), then makes workdir hold exactly target's files (from
 * `from`: "attempt 1a2b3c4" or "the starter"): writes each, then removes
 * the files of the save (which holds them) that target lacks. Nothing is
 * written through a symbolic link (work.h): a link where a file or folder
 * is to be written is refused before anything is saved or written, and a
 * link in target is not restored. Called locked. */
static int replace_folder(struct record *r, const char *exercise, const char *workdir, const char *why,
			  const struct snap_files *target, const char *from, struct record_entry *saved)
{
	struct record_entry s;
	struct snap_files had;
	char path[4400], tmp[4500];
	const char *rel = NULL;
	int rc = 0;

	if (inside_work(r, workdir, &rel) < 0 ||
	    fs_join(tmp, sizeof(tmp), snap_gitdir(r->snap), "chanlab-restore.tmp") < 0)
		return -1;
	for (size_t i = 0; i < target->n; i++) {
		if (fs_join(path, sizeof(path), rel, target->names[i]) < 0)
			return -1;
		if (target->link[i])
			return err_set("%s holds '%s' as a symbolic link (to '%.*s'), which chanlab does not restore: "
				       "it writes regular files only (git can show it: git -C '%s' log)", from, path,
				       (int)target->data[i].len, target->data[i].s, r->workroot);
		if (work_check(r->workroot, path) < 0)
			return -1;
	}
	if (record_save(r, exercise, why, &s) < 0)
		return -1;
	if (saved)
		*saved = s;
	snap_files_init(&had);
	if (s.number && snap_files_of_commit(r->snap, s.commit, exercise, &had) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < target->n; i++) {
		if ((rc = fs_join(path, sizeof(path), rel, target->names[i])) == 0)
			rc = work_write(r->workroot, path, &target->data[i], tmp);
		crash_point("restore: a file written");
	}
	for (size_t i = 0; rc == 0 && i < had.n; i++) {
		if (snap_files_find(target, had.names[i]) >= 0)
			continue;
		if ((rc = fs_join(path, sizeof(path), rel, had.names[i])) == 0)
			rc = work_remove(r->workroot, path);
	}
	snap_files_release(&had);
	return rc;
}

int record_restore(struct record *r, const char *exercise, const char *workdir,
		   const char *commit, struct record_entry *saved)
{
	struct snap_files target;
	char why[128], from[64];
	int rc = -1;

	snap_files_init(&target);
	if (lock(r) < 0)
		return -1;
	snprintf(why, sizeof(why), "saved before restoring %.7s", commit);
	snprintf(from, sizeof(from), "the attempt %.7s", commit);
	if (snap_files_of_commit(r->snap, commit, exercise, &target) == 0)
		rc = replace_folder(r, exercise, workdir, why, &target, from, saved);
	unlock(r);
	snap_files_release(&target);
	return rc;
}

int record_reset(struct record *r, const char *exercise, const char *workdir,
		 const char *starter_dir, char *const *files, struct record_entry *saved)
{
	struct snap_files target;
	int rc = -1;

	snap_files_init(&target);
	if (lock(r) < 0)
		return -1;
	if (snap_files_of_dir(starter_dir, files, &target) == 0)
		rc = replace_folder(r, exercise, workdir, "saved before reset to the starter", &target,
				    "the starter", saved);
	unlock(r);
	snap_files_release(&target);
	return rc;
}

/* --- hints, progress, benchmarks ---------------------------------------------- */

int record_hint(struct record *r, const char *exercise, int which)
{
	return store_add_hint(r->store, exercise, which);
}

int record_hints(struct record *r, const char *exercise, int *which, size_t max, size_t *n)
{
	return store_hints(r->store, exercise, which, max, n);
}

int record_changed(struct record *r, long long *stamp)
{
	long long v = 0;

	if (store_data_version(r->store, &v) < 0)
		return -1;
	if (v == *stamp)
		return 0;
	*stamp = v;
	return 1;
}

int record_progress(struct record *r, const char *exercise, struct record_progress *out)
{
	return store_progress(r->store, exercise, out);
}

int record_progress_all(struct record *r, struct record_progress **out, size_t *n)
{
	return store_progress_all(r->store, out, n);
}

int record_bench(struct record *r, long long entry_id, struct buf *out)
{
	return store_bench_lines(r->store, entry_id, out);
}
