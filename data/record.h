/*
 * record — the learner's record: progress.db (store) and the attempts
 * repository work/.git (snap) of one home, kept consistent with each other.
 *
 * Every recorded entry is a git commit of one exercise's folder and a row
 * naming it. The commit is made first and its message carries the verdict
 * as trailers ("Chanlab-Status: fail", ...), so a crash between the two
 * leaves a commit without a row, which record_open (and every later write)
 * rebuilds from git. Writers of one home serialise on an flock on
 * <home>/work/.git/chanlab.lock, which the kernel releases when a process
 * dies, so two chanlab windows on one home both work.
 *
 * A struct record belongs to one thread at a time (its lock counts nested
 * use within the process); separate processes each open their own.
 *
 * Damage is reported, never replaced in silence: a function that meets a
 * damaged file fails with err_msg naming it and what to do, and leaves it
 * as it is; what record_open rebuilds (a lost progress.db) it says it did
 * (record_notice), keeping what it set aside.
 *
 * Entries of an exercise are numbered 1, 2, ... in the order they were
 * recorded ("#3"); a front end may also name one by its commit (4 or more
 * hex digits).
 */
#ifndef DATA_RECORD_H
#define DATA_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "data/store.h"

struct record;

/* One benchmark figure of an attempt. */
struct record_bench {
	const char *name;        /* "throughput" */
	double value;            /* the learner's figure */
	const char *unit;        /* "ns/op" */
	double ratio;            /* value / the reference solution's value; 0 if none */
};

/* What a check decided, to be recorded (nothing here is kept by record). */
struct record_verdict {
	const char *exercise;
	const char *status;      /* "pass", "fail", "skip", "error" */
	int passed, total;       /* tests */
	double seconds;          /* how long the check took */
	const char *result;      /* the full verdict as JSON (docs/results.md) */
	const struct record_bench *bench;
	size_t nbench;
	const char *tree;        /* the files checked, from record_stage; NULL: as they are now */
};

/* One entry of an exercise's history. */
struct record_entry {
	long long id;            /* the row id in progress.db */
	int number;              /* 1, 2, ... within the exercise */
	long long at;            /* unix seconds */
	char kind[8];            /* "check", or "save": files saved before a reset or restore */
	char status[8];          /* "pass", "fail", "skip", "error"; "saved" for kind save */
	int passed, total;
	double seconds;
	char commit[41];         /* 40 hex digits */
};

/* Where an exercise stands. */
struct record_progress {
	char exercise[128];
	int attempts;            /* checks (saves not counted) */
	bool passed;             /* some check passed */
	long long first_seen;    /* unix seconds; 0 if never */
	long long first_pass;    /* unix seconds; 0 if not passed */
	long long last_at;       /* the last check, unix seconds; 0 if none */
	int best_passed, best_total;  /* the check with most tests passed */
	int hints;               /* hints revealed */
	double seconds_spent;    /* active time working on it, see record_progress */
	char last_status[8];     /* the last check's: "pass", "fail", ...; "" if none */
	double best_ratio;       /* the lowest benchmark ratio of a passing check; 0 if none */
};

/* One side of a diff: an entry's commit, or files on disk. */
struct record_side {
	const char *commit;      /* 40 hex digits of an entry, or NULL for dir */
	const char *dir;         /* a folder: the starter, or the learner's folder */
	char *const *files;      /* with dir: only these (NULL-terminated); NULL: every file in dir */
	const char *label;       /* shown in the diff's headers ("#3", "starter", "your files") */
};

/* Opens the record of home (progress.db and work/, created on first use)
 * and repairs rows missing for commits of a crashed chanlab. May block up
 * to the busy timeout (5 s) while another chanlab writes. 0 or -1 (err_msg
 * names the damaged or unwritable file and what to do).
 *
 * The attempts repository is the record's source of truth; progress.db
 * adds hints and full verdicts. So: a damaged repository or database, or
 * a repository missing from the work folder while progress.db lists
 * attempts, is refused and nothing is changed; a progress.db that is
 * missing or empty (0 bytes) under a history is rebuilt from the
 * repository, whatever was left of it is set aside beside it
 * (progress.db.set-aside-<when>-<why>), and record_notice says so, as it
 * says when a whole work folder was gone and a new one was made. */
int record_open(struct record **out, const char *home);
void record_free(struct record *r);

/* What record_open recovered and set aside, in plain words, for the front
 * end to show once; NULL if nothing (and after the first call). Valid until
 * record_free. */
const char *record_notice(struct record *r);

/* True if home has a record (progress.db or work/.git), so that a front
 * end which must not create a home just to show it can tell. */
bool record_exists(const char *home);

/* The record's progress database (borrowed: valid until record_free). */
struct store *record_store(struct record *r);

/* Stages the exercise's files as they are now, before a check reads them,
 * so the attempt records exactly the files checked even if the learner
 * saves during the check; tree gets the staged tree's id. 0 or -1. */
int record_stage(struct record *r, const char *exercise, char tree[41]);

/* Snapshots the folder of v->exercise (v->tree if staged) and records the
 * verdict (commit, then row, under the home's lock). *out (if not NULL)
 * gets the new entry. 0 or -1 (err_msg). */
int record_attempt(struct record *r, const struct record_verdict *v, struct record_entry *out);

/* Commits the exercise's current files as a "save" entry unless they equal
 * its latest entry; *out gets the entry holding them (new or latest), or
 * number 0 if the folder has never been recorded and is empty. 0 or -1. */
int record_save(struct record *r, const char *exercise, const char *why, struct record_entry *out);

/* The exercise's entries, oldest first; *out is malloc'd (free it), *n its
 * length (0 and NULL if none). 0 or -1. */
int record_history(struct record *r, const char *exercise, struct record_entry **out, size_t *n);

/* The most recent check (not save) of exercise: *json gets its verdict as
 * recorded (docs/results.md; malloc'd, free it) and *entry, if not NULL,
 * the entry. A row repaired from git holds a short verdict with
 * "recovered": true and no tests. 0 with *json NULL if the exercise was
 * never checked; -1 (err_msg). */
int record_last_result(struct record *r, const char *exercise, struct record_entry *entry, char **json);

/* Finds an entry of exercise by "N" / "#N" (its number), "last", or 4+ hex
 * digits of its commit. 0, or -1 with err_msg saying no such attempt. */
int record_find(struct record *r, const char *exercise, const char *which, struct record_entry *out);

/* The files of exercise in commit, relative to its folder, sorted,
 * NULL-terminated; free with str_list_free. 0 or -1. */
int record_files(struct record *r, const char *commit, const char *exercise, char ***names);

/* Appends the content of one file of an entry to out. 0 or -1. */
int record_read(struct record *r, const char *commit, const char *exercise, const char *name, struct buf *out);

/* Appends a unified diff (git format, paths relative to the exercise's
 * folder) from a to b to out; nothing if they are the same. 0 or -1. */
int record_diff(struct record *r, const char *exercise, const struct record_side *a,
		const struct record_side *b, struct buf *out);

/* Restores the exercise's folder (workdir) to an entry's files, after
 * saving the current files (record_save); files not in the entry are
 * removed from the folder (they are in the save). *saved gets the save
 * entry if not NULL. 0 or -1; on -1 the save, if made, is kept. */
int record_restore(struct record *r, const char *exercise, const char *workdir,
		   const char *commit, struct record_entry *saved);

/* Resets the folder to the starter (the files listed, from starter_dir),
 * after saving the current files, as record_restore does. 0 or -1. */
int record_reset(struct record *r, const char *exercise, const char *workdir,
		 const char *starter_dir, char *const *files, struct record_entry *saved);

/* Records that hint `which` (its place in the exercise's list of hints, 0
 * = the first) of exercise was revealed, now, after those revealed before;
 * revealing it again keeps the first time and place. 0 or -1. */
int record_hint(struct record *r, const char *exercise, int which);

/* The hints of exercise revealed so far, in the order they were revealed:
 * up to max places in the exercise's list into which, *n how many. 0 or -1. */
int record_hints(struct record *r, const char *exercise, int *which, size_t max, size_t *n);

/* Whether the record changed since *stamp (another process recorded a
 * check or a hint): 1 and *stamp updated, 0 if not (a fresh stamp of 0
 * reads as changed), -1 (err_msg). Cheap: a front end may ask often. */
int record_changed(struct record *r, long long *stamp);

/* Where exercise stands; all zero if it was never recorded. One row read,
 * however long the history. Time spent counts active time only: for each
 * check or newly revealed hint, the time since the previous one on the
 * exercise when that is at most 5 minutes (a longer gap is time away and
 * counts nothing), plus each check's own duration. 0 or -1. */
int record_progress(struct record *r, const char *exercise, struct record_progress *out);

/* Every exercise in the record, in id order; *out malloc'd (free it). */
int record_progress_all(struct record *r, struct record_progress **out, size_t *n);

/* The benchmark figures of one entry, as "name value unit ratio" lines,
 * appended to out. 0 or -1. */
int record_bench(struct record *r, long long entry_id, struct buf *out);

#endif
