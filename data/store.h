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

struct store;

struct store_attempt {
	const char *exercise;
	const char *status;      /* "pass", "fail", "error" */
	int passed, total;       /* tests */
	double seconds;
	const char *result;      /* the verdict as JSON */
	const char *commit_id;   /* 40 hex digits */
};

struct store_summary {
	int attempts;
	bool passed;
};

/* Opens (creating if needed) the database at path. 0 or -1 (err_msg). */
int store_open(struct store **out, const char *path);
void store_free(struct store *s);

/* Records one checked attempt. 0 or -1 (err_msg). */
int store_add_attempt(struct store *s, const struct store_attempt *a);

/* Attempts so far on an exercise and whether any passed. */
int store_summary(struct store *s, const char *exercise, struct store_summary *out);

#endif
