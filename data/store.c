/*
 * store — SQLite progress database; see store.h.
 *
 * Data model: schema.sql (compiled in), one "-- @version N" section per
 * schema version; a database at version V gets the sections after V in one
 * transaction. WAL mode and a busy timeout let two chanlab windows share
 * one home.
 *
 * Integrity: at open, PRAGMA quick_check when the file is not as chanlab
 * left it (dbnote.h says why not always); at close, the note of how it
 * left it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "data/crash.h"
#include "data/dbnote.h"
#include "data/record.h"
#include "data/store.h"

/* the schema with its comments outgrows the 4095 bytes ISO C promises;
 * gcc and clang take any length */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char schema[] =
#include "schema.h"
	;
#pragma GCC diagnostic pop

#define SECTION "-- @version "

/* What to do about a damaged progress.db (record.c rebuilds one that was
 * moved aside, and says so). */
#define DAMAGED_TODO "it was left as it is: move it aside to start afresh; chanlab then rebuilds it from the " \
	"attempts repository and says what it could not recover (your files in work/ are not touched)"

struct store {
	sqlite3 *db;
	char *path;
	bool sound;              /* opened and checked (or as noted): note it at close */
};

/* True if the file system holding path has no space left for us. */
static bool disk_full(const char *path)
{
	struct statvfs v;

	return statvfs(path, &v) == 0 && v.f_bavail == 0;
}

/* Sets err_msg for a failed SQLite call: what failed, the file, SQLite's
 * reason and what to do (full disk, read-only, damaged). Returns -1. */
static int store_fail(struct store *s, const char *what)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;
	const char *todo;

	int sys = sqlite3_system_errno(s->db);

	if (disk_full(s->path) && code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
		code = SQLITE_FULL;
	if (sys == EFBIG || sys == EDQUOT)
		return err_set("%s in '%s': %s (%s); a file size limit or disk quota stops chanlab writing there: "
			       "raise it (ulimit -f, quota) or free some space", what, s->path,
			       sqlite3_errmsg(s->db), strerror(sys));
	if (sys == EROFS && code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
		code = SQLITE_READONLY;
	switch (code) {
	case SQLITE_FULL:
		todo = "the disk is full: free some space and try again";
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		todo = "chanlab must be able to write there: make the folder and file writable, "
		       "or pass --home DIR";
		break;
	case SQLITE_IOERR:
		todo = "the disk may be full, read-only or failing: check it and try again";
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		todo = "another chanlab is writing to it: try again in a moment";
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		todo = "it is damaged; " DAMAGED_TODO;
		break;
	default:
		todo = NULL;
	}
	return err_set("%s in '%s': %s%s%s", what, s->path, sqlite3_errmsg(s->db),
		       todo ? "; " : "", todo ? todo : "");
}

/* PRAGMA quick_check (see dbnote.h for when). 0, or -1 with err_msg
 * naming what it found. */
static int quick_check(struct store *s)
{
	struct buf found = BUF_INIT;
	sqlite3_stmt *st;
	int rc, rows = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(5)", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot check the progress database");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);

		if (!text || strcmp(text, "ok") == 0)
			continue;
		/* "*** in database main ***\nPage 10: btreeInitPage() returns error code 11" */
		for (const char *line = text; *line; ) {
			size_t len = strcspn(line, "\n");

			if (strncmp(line, "***", 3) != 0)
				buf_printf(&found, "%s%.*s", rows++ ? "; " : "", (int)len, line);
			line += len + (line[len] == '\n');
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_release(&found);
		return store_fail(s, "cannot check the progress database");
	}
	if (!rows) {
		buf_release(&found);
		return 0;
	}
	rc = err_set("'%s' is damaged (SQLite's integrity check: %s); " DAMAGED_TODO, s->path,
		     found.s ? found.s : "out of memory");
	buf_release(&found);
	return rc;
}

/* The highest version schema.sql knows. */
static int latest_version(void)
{
	int v = 0;

	for (const char *p = strstr(schema, SECTION); p; p = strstr(p + 1, SECTION))
		v = atoi(p + strlen(SECTION));
	return v;
}

static int migrate(struct store *s)
{
	int version, latest = latest_version();
	sqlite3_stmt *st;
	char sql[64];

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read the progress database");
	sqlite3_step(st);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > latest)
		return err_set("'%s' was written by a newer chanlab (schema %d, this one knows %d): "
			       "use that chanlab, or pass --home DIR", s->path, version, latest);
	if (version == latest)
		return 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot start the schema upgrade");
	/* Another chanlab may have upgraded it while this one waited. */
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_step(st);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	for (const char *p = strstr(schema, SECTION); p; ) {
		int v = atoi(p + strlen(SECTION));
		const char *next = strstr(p + 1, SECTION);

		if (v > version) {
			size_t n = next ? (size_t)(next - p) : strlen(p);
			char *part = malloc(n + 1);

			if (!part)
				goto fail;
			memcpy(part, p, n);
			part[n] = '\0';
			if (sqlite3_exec(s->db, part, NULL, NULL, NULL) != SQLITE_OK) {
				free(part);
				goto fail;
			}
			free(part);
		}
		p = next;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", latest);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	store_fail(s, "cannot upgrade the progress database");
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* True if the database at path exists but this process may not write it or
 * its folder (a read-only mount, or permissions). */
static bool read_only_place(const char *path)
{
	char dir[4096], *slash;
	struct statvfs v;

	if (access(path, F_OK) < 0)
		return false;
	if (statvfs(path, &v) == 0 && (v.f_flag & ST_RDONLY))
		return true;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return access(path, W_OK) < 0 || access(slash ? (*dir ? dir : "/") : ".", W_OK) < 0;
}

int store_open(struct store **out, const char *path)
{
	struct store *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return err_set("out of memory");
	s->path = realpath(path, NULL);
	if (!s->path)
		s->path = strdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		store_fail(s, "cannot open the progress database");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if (read_only_place(path)) {
		/* WAL needs to write its index even to read: on a read-only file
		 * system, read the database as it is (writes then fail, saying so). */
		char *uri = sqlite3_mprintf("file:%s?immutable=1", s->path);

		sqlite3_close(s->db);
		s->db = NULL;
		if (!uri || sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
			sqlite3_free(uri);
			store_fail(s, "cannot open the progress database");
			goto fail;
		}
		sqlite3_free(uri);
		sqlite3_extended_result_codes(s->db, 1);
		if (migrate(s) < 0 || (!dbnote_same(s->path) && quick_check(s) < 0))
			goto fail;
		*out = s;
		return 0;
	}
	/* A file that is not a database fails on its first read, here. */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
			 "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_errcode(s->db);

		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			err_set("'%s' is not a chanlab progress database or is damaged (%s); " DAMAGED_TODO,
				s->path, sqlite3_errmsg(s->db));
		else
			store_fail(s, "cannot open the progress database");
		goto fail;
	}
	if ((!dbnote_same(s->path) && quick_check(s) < 0) || migrate(s) < 0)
		goto fail;
	s->sound = true;
	*out = s;
	return 0;
fail:
	store_free(s);
	return -1;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	if (sqlite3_close(s->db) == SQLITE_OK && s->sound)
		dbnote_write(s->path);
	free(s->path);
	free(s);
}

/* --- writing ------------------------------------------------------------- */

/* Whether a check with ?4 of ?5 tests passed beats the exercise's best. */
#define BETTER "(best_total IS NULL OR ?4 * 1.0 / max(?5, 1) > best_passed * 1.0 / max(best_total, 1)" \
	" OR (?4 * 1.0 / max(?5, 1) = best_passed * 1.0 / max(best_total, 1) AND ?4 > best_passed))"

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds the exercise's row, first seen at ?2, unless it has one. */
static const char sql_exercise[] =
	"INSERT INTO exercise(id, first_seen) VALUES (?1, ?2) ON CONFLICT(id) DO NOTHING";

/* The time spent on an exercise, active time only (schema.sql, version 4):
 * a check or a newly revealed hint at ?2 adds the time since the previous
 * one if that is at most IDLE_GAP (a longer gap is time away, and counts
 * nothing), and the check's own seconds ?3. */
#define IDLE_GAP "300"
static const char sql_activity[] =
	"UPDATE exercise SET spent = spent + (CASE WHEN max(?2 - coalesce(last_activity, ?2), 0) <= " IDLE_GAP
	" THEN max(?2 - coalesce(last_activity, ?2), 0) ELSE 0 END) + ?3,"
	" last_activity = max(coalesce(last_activity, 0), ?2) WHERE id = ?1";

/* Runs sql_exercise or sql_activity for exercise at t. 0 or -1 (the caller
 * reports it with store_fail). */
static int note(struct store *s, const char *sql, const char *exercise, sqlite3_int64 t, double seconds)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_double(st, 3, seconds);
	rc = step_done(st);
	sqlite3_finalize(st);
	return rc;
}

int store_add_attempt(struct store *s, const struct store_attempt *a, long long *id)
{
	static const char sql_pass[] =
		"UPDATE exercise SET first_pass = ?2 WHERE id = ?1 AND (first_pass IS NULL OR first_pass > ?2)";
	static const char sql_at[] =
		"INSERT INTO attempt(exercise, at, status, passed, total, seconds, result, commit_id, kind)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(commit_id) DO NOTHING";
	/* The running totals (schema.sql, versions 3 and 4); SET sees the old row. */
	static const char sql_totals[] =
		"UPDATE exercise SET attempts = attempts + 1,"
		" last_status = CASE WHEN ?2 >= coalesce(last_at, 0) THEN ?3 ELSE last_status END,"
		" last_at = max(coalesce(last_at, 0), ?2),"
		" best_passed = CASE WHEN " BETTER " THEN ?4 ELSE best_passed END,"
		" best_total = CASE WHEN " BETTER " THEN ?5 ELSE best_total END"
		" WHERE id = ?1";
	static const char sql_old[] = "SELECT id FROM attempt WHERE commit_id = ?1";
	static const char sql_bench[] =
		"INSERT OR REPLACE INTO bench(attempt, name, value, unit, ratio) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_int64 t = a->at ? (sqlite3_int64)a->at : (sqlite3_int64)time(NULL);
	sqlite3_int64 row = 0;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot record the attempt");
	if (note(s, sql_exercise, a->exercise, t, 0) < 0)
		goto out;
	if (sqlite3_prepare_v2(s->db, sql_at, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, a->exercise, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	sqlite3_bind_text(st, 3, a->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, a->passed);
	sqlite3_bind_int(st, 5, a->total);
	sqlite3_bind_double(st, 6, a->seconds);
	sqlite3_bind_text(st, 7, a->result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, a->commit_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, a->kind ? a->kind : "check", -1, SQLITE_STATIC);
	if (step_done(st) < 0)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_changes(s->db) == 0) {    /* already recorded */
		if (sqlite3_prepare_v2(s->db, sql_old, -1, &st, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(st, 1, a->commit_id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			row = sqlite3_column_int64(st, 0);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		rc = 0;
		goto done;
	}
	row = sqlite3_last_insert_rowid(s->db);
	if (a->nbench) {
		if (sqlite3_prepare_v2(s->db, sql_bench, -1, &st, NULL) != SQLITE_OK)
			goto out;
		for (size_t i = 0; i < a->nbench; i++) {
			const struct record_bench *b = &a->bench[i];

			sqlite3_bind_int64(st, 1, row);
			sqlite3_bind_text(st, 2, b->name, -1, SQLITE_STATIC);
			sqlite3_bind_double(st, 3, b->value);
			sqlite3_bind_text(st, 4, b->unit ? b->unit : "", -1, SQLITE_STATIC);
			if (b->ratio > 0)
				sqlite3_bind_double(st, 5, b->ratio);
			else
				sqlite3_bind_null(st, 5);
			if (step_done(st) < 0)
				goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (strcmp(a->status, "pass") == 0) {
		if (sqlite3_prepare_v2(s->db, sql_pass, -1, &st, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(st, 1, a->exercise, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, t);
		if (step_done(st) < 0)
			goto out;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!a->kind || strcmp(a->kind, "check") == 0) {
		if (sqlite3_prepare_v2(s->db, sql_totals, -1, &st, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(st, 1, a->exercise, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, t);
		sqlite3_bind_text(st, 3, a->status, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, a->passed);
		sqlite3_bind_int(st, 5, a->total);
		if (step_done(st) < 0 || note(s, sql_activity, a->exercise, t, a->seconds) < 0)
			goto out;
	}
	crash_point("row: inserted, transaction not committed");
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		store_fail(s, "cannot record the attempt");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
done:
	sqlite3_finalize(st);
	if (rc == 0 && id)
		*id = row;
	return rc;
}

int store_add_hint(struct store *s, const char *exercise, int which)
{
	/* the next level, unless this hint was revealed already (a row from
	 * before version 4 names its hint by its level) */
	static const char sql[] =
		"INSERT INTO hint(exercise, level, at, which)"
		" SELECT ?1, coalesce(max(level), 0) + 1, ?3, ?2 FROM hint WHERE exercise = ?1"
		" HAVING NOT EXISTS (SELECT 1 FROM hint WHERE exercise = ?1 AND coalesce(which, level - 1) = ?2)";
	sqlite3_int64 t = (sqlite3_int64)time(NULL);
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot record the hint");
	if (note(s, sql_exercise, exercise, t, 0) < 0)
		goto out;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, which);
	sqlite3_bind_int64(st, 3, t);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	/* a newly revealed hint counts as activity */
	if (sqlite3_changes(s->db) == 1 && note(s, sql_activity, exercise, t, 0) < 0)
		goto out;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
out:
	if (rc < 0) {
		store_fail(s, "cannot record the hint");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_hints(struct store *s, const char *exercise, int *which, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(which, level - 1) FROM hint WHERE exercise = ?1"
			       " ORDER BY level", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read the hints revealed");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (*n < max)
			which[(*n)++] = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot read the hints revealed");
}

int store_data_version(struct store *s, long long *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read the database's version");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "cannot read the database's version");
}

/* --- reading entries ------------------------------------------------------ */

#define ENTRY_COLS "SELECT id, at, kind, status, passed, total, seconds, commit_id FROM attempt"

static void entry_from_row(sqlite3_stmt *st, struct record_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	snprintf(e->kind, sizeof(e->kind), "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(e->status, sizeof(e->status), "%s", (const char *)sqlite3_column_text(st, 3));
	e->passed = sqlite3_column_int(st, 4);
	e->total = sqlite3_column_int(st, 5);
	e->seconds = sqlite3_column_double(st, 6);
	snprintf(e->commit, sizeof(e->commit), "%s", (const char *)sqlite3_column_text(st, 7));
}

int store_count(struct store *s, long long *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM attempt", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, "cannot read your history");
}

int store_has_commit(struct store *s, const char *commit)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM attempt WHERE commit_id = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_text(st, 1, commit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot read your history");
}

int store_entry(struct store *s, long long id, struct record_entry *out)
{
	static const char sql_number[] =
		"SELECT count(*) FROM attempt WHERE exercise = (SELECT exercise FROM attempt"
		" WHERE id = ?1) AND id <= ?1";
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, ENTRY_COLS " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		entry_from_row(st, out);
		rc = 0;
	} else {
		rc = store_fail(s, "cannot read your history");
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, sql_number, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		out->number = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int store_latest(struct store *s, const char *exercise, struct record_entry *out)
{
	sqlite3_stmt *st;
	long long id = 0;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM attempt WHERE exercise = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, "cannot read your history");
	if (id == 0)
		return 1;
	return store_entry(s, id, out);
}

int store_history(struct store *s, const char *exercise, struct record_entry **out, size_t *n)
{
	sqlite3_stmt *st;
	struct record_entry *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, ENTRY_COLS " WHERE exercise = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct record_entry *w;

			cap = cap ? cap * 2 : 64;
			if (!(w = realloc(v, cap * sizeof(*v)))) {
				free(v);
				sqlite3_finalize(st);
				return err_set("out of memory");
			}
			v = w;
		}
		entry_from_row(st, &v[*n]);
		v[*n].number = (int)*n + 1;
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return store_fail(s, "cannot read your history");
	}
	*out = v;
	return 0;
}

int store_last_result(struct store *s, const char *exercise, struct record_entry *entry, char **json)
{
	sqlite3_stmt *st;
	long long id = 0;
	int rc;

	*json = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT id, result FROM attempt WHERE exercise = ?1"
			       " AND kind = 'check' ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read your history");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);

		id = sqlite3_column_int64(st, 0);
		if (!(*json = strdup(text ? text : "{}")))
			rc = err_set("out of memory");
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "cannot read your history");
	if (rc == SQLITE_ROW && entry && store_entry(s, id, entry) < 0) {
		free(*json);
		*json = NULL;
		return -1;
	}
	return 0;
}

/* --- progress and benchmarks ---------------------------------------------- */

int store_progress(struct store *s, const char *exercise, struct record_progress *out)
{
	static const char sql[] =
		"SELECT first_seen, coalesce(first_pass, 0), attempts, coalesce(last_at, 0),"
		" (SELECT count(*) FROM hint WHERE exercise = e.id),"
		" coalesce((SELECT min(worst) FROM (SELECT max(b.ratio) AS worst FROM bench b CROSS JOIN attempt a"
		"   ON a.id = b.attempt WHERE a.exercise = e.id AND a.status = 'pass' AND b.ratio IS NOT NULL"
		"   GROUP BY a.id)), 0),"
		" spent, coalesce(best_passed, 0), coalesce(best_total, 0), coalesce(last_status, '')"
		" FROM exercise e WHERE e.id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->exercise, sizeof(out->exercise), "%s", exercise);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read progress");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->first_seen = sqlite3_column_int64(st, 0);
		out->first_pass = sqlite3_column_int64(st, 1);
		out->passed = out->first_pass != 0;
		out->attempts = sqlite3_column_int(st, 2);
		out->last_at = sqlite3_column_int64(st, 3);
		out->hints = sqlite3_column_int(st, 4);
		out->best_ratio = sqlite3_column_double(st, 5);
		out->seconds_spent = sqlite3_column_double(st, 6);
		out->best_passed = sqlite3_column_int(st, 7);
		out->best_total = sqlite3_column_int(st, 8);
		snprintf(out->last_status, sizeof(out->last_status), "%s", (const char *)sqlite3_column_text(st, 9));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "cannot read progress");
	return 0;
}

int store_progress_all(struct store *s, struct record_progress **out, size_t *n)
{
	sqlite3_stmt *st;
	struct record_progress *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM exercise ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read progress");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct record_progress *w;

			cap = cap ? cap * 2 : 16;
			if (!(w = realloc(v, cap * sizeof(*v)))) {
				rc = err_set("out of memory");
				break;
			}
			v = w;
		}
		if (store_progress(s, (const char *)sqlite3_column_text(st, 0), &v[*n]) < 0) {
			rc = -1;
			break;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		if (rc > 0)
			store_fail(s, "cannot read progress");
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int store_bench_lines(struct store *s, long long attempt, struct buf *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT name, value, unit, coalesce(ratio, 0) FROM bench"
			       " WHERE attempt = ?1 ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read benchmark figures");
	sqlite3_bind_int64(st, 1, attempt);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(out, "%s %g %s %g\n", (const char *)sqlite3_column_text(st, 0),
			   sqlite3_column_double(st, 1), (const char *)sqlite3_column_text(st, 2),
			   sqlite3_column_double(st, 3));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot read benchmark figures");
}

int store_summary(struct store *s, const char *exercise, struct store_summary *out)
{
	static const char sql[] =
		"SELECT attempts, first_pass IS NOT NULL FROM exercise WHERE id = ?1";
	sqlite3_stmt *st;

	out->attempts = 0;
	out->passed = false;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot read progress");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->attempts = sqlite3_column_int(st, 0);
		out->passed = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return 0;
}
