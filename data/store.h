/*
 * store — the learner's progress database (SQLite).
 *
 * One file, progress.db, in the learner's home. Opening it creates or
 * upgrades the schema (PRAGMA user_version); a file that is not a chanlab
 * database, or is damaged, is reported and left untouched.
 *
 * Every SQL statement of chanlab is here, behind the functions below. The
 * rows they read are the record's (record.h): entries, progress and
 * benchmark figures.
 */
#ifndef DATA_STORE_H
#define DATA_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct record_bench;
struct record_entry;
struct record_progress;
struct store;

struct store_attempt {
	const char *exercise;
	const char *status;      /* "pass", "fail", "error" */
	int passed, total;       /* tests */
	double seconds;
	const char *result;      /* the verdict as JSON */
	const char *commit_id;   /* 40 hex digits */
	const char *kind;        /* "check" (NULL) or "save" */
	long long at;            /* unix seconds; 0: now */
	const struct record_bench *bench;
	size_t nbench;
};

struct store_summary {
	int attempts;
	bool passed;
};

/* Opens (creating if needed) the database at path. 0 or -1 (err_msg). */
int store_open(struct store **out, const char *path);
void store_free(struct store *s);

/* Records one checked attempt (or save) in one transaction; *id (if not
 * NULL) gets its row id. A commit that already has a row is not recorded
 * again (*id gets the existing row's). 0 or -1 (err_msg). */
int store_add_attempt(struct store *s, const struct store_attempt *a, long long *id);

/* Records that hint `which` (its place in the exercise's list, 0 = the
 * first) of exercise was revealed, now, as the next level, in one
 * transaction; revealing it again keeps the first time and level. A newly
 * revealed hint counts as activity for the time spent. 0 or -1 (err_msg). */
int store_add_hint(struct store *s, const char *exercise, int which);

/* The hints of exercise revealed so far, in the order they were: up to
 * max places (0 = the exercise's first hint) into which, *n how many. 0 or
 * -1 (err_msg). */
int store_hints(struct store *s, const char *exercise, int *which, size_t max, size_t *n);

/* A number that changes whenever another connection (another chanlab)
 * commits to the database (SQLite's data_version), into *out. 0 or -1. */
int store_data_version(struct store *s, long long *out);

/* How many entries (checks and saves) there are, into *n. 0 or -1. */
int store_count(struct store *s, long long *n);

/* 1 if commit (40 hex digits) has a row, 0 if not, -1 (err_msg). */
int store_has_commit(struct store *s, const char *commit);

/* The entry with row id `id`, numbered within its exercise. 0, or -1
 * (err_msg) also when there is no such row. */
int store_entry(struct store *s, long long id, struct record_entry *out);

/* The latest entry (check or save) of exercise: 0, 1 if it has none, -1. */
int store_latest(struct store *s, const char *exercise, struct record_entry *out);

/* The exercise's entries, oldest first, numbered; *out is malloc'd (free
 * it), *n its length (0 and NULL if none). 0 or -1 (err_msg). */
int store_history(struct store *s, const char *exercise, struct record_entry **out, size_t *n);

/* The most recent check (not save) of exercise: *json gets its verdict as
 * recorded (malloc'd) and *entry, if not NULL, the entry. 0 with *json
 * NULL if the exercise was never checked; -1 (err_msg). */
int store_last_result(struct store *s, const char *exercise, struct record_entry *entry, char **json);

/* Where exercise stands, from its one row (see record_progress); all zero
 * if it was never recorded. 0 or -1 (err_msg). */
int store_progress(struct store *s, const char *exercise, struct record_progress *out);

/* Every exercise, in id order; *out malloc'd (free it). 0 or -1. */
int store_progress_all(struct store *s, struct record_progress **out, size_t *n);

/* The benchmark figures of the row `attempt`, by name, as "name value unit
 * ratio" lines appended to out. 0 or -1 (err_msg). */
int store_bench_lines(struct store *s, long long attempt, struct buf *out);

/* Checks so far on an exercise and whether any passed. */
int store_summary(struct store *s, const char *exercise, struct store_summary *out);

#endif
