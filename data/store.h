/*
 * store — the learner's progress database (SQLite).
 *
 * One file, progress.db, in the learner's home. Opening it creates or
 * upgrades the schema (PRAGMA user_version); a file that is not a chanlab
 * database, or is damaged, is reported and left untouched.
 */
#ifndef DATA_STORE_H
#define DATA_STORE_H

#include <stdbool.h>

#include <sqlite3.h>

struct store;

struct store_bench {
	const char *name, *unit;
	double value, ratio;     /* ratio 0: none */
};

struct store_attempt {
	const char *exercise;
	const char *status;      /* "pass", "fail", "error" */
	int passed, total;       /* tests */
	double seconds;
	const char *result;      /* the verdict as JSON */
	const char *commit_id;   /* 40 hex digits */
	const char *kind;        /* "check" (NULL) or "save" */
	long long at;            /* unix seconds; 0: now */
	const struct store_bench *bench;
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

/* The open database, for the record module's queries. */
sqlite3 *store_db(struct store *s);

/* Sets err_msg for a failed SQLite call: what failed, the file, SQLite's
 * reason and what to do (full disk, read-only, damaged). Returns -1. */
int store_fail(struct store *s, const char *what);

/* Checks so far on an exercise and whether any passed. */
int store_summary(struct store *s, const char *exercise, struct store_summary *out);

#endif
