/*
 * store — SQLite progress database; see store.h.
 *
 * Data model: schema.sql (compiled in) is version 1. WAL mode and a busy
 * timeout let two chanlab windows share one home.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "checker/err.h"
#include "data/store.h"

static const char schema_v1[] =
#include "schema.h"
	;

#define SCHEMA_VERSION 1

struct store {
	sqlite3 *db;
	char *path;
};

static int db_err(struct store *s, const char *what)
{
	return err_set("%s in '%s': %s", what, s->path, sqlite3_errmsg(s->db));
}

static int migrate(struct store *s)
{
	sqlite3_stmt *st;
	int version;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return err_set("'%s' is not a chanlab progress database (%s); move it aside to start afresh",
			       s->path, sqlite3_errmsg(s->db));
	sqlite3_step(st);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > SCHEMA_VERSION)
		return err_set("'%s' was written by a newer chanlab (schema %d, this one knows %d)",
			       s->path, version, SCHEMA_VERSION);
	if (version == SCHEMA_VERSION)
		return 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_err(s, "cannot start the schema upgrade");
	if (version < 1 && sqlite3_exec(s->db, schema_v1, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_exec(s->db, "PRAGMA user_version = 1; COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	db_err(s, "cannot create the schema");
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
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
		db_err(s, "cannot open the progress database");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		err_set("'%s' is not a chanlab progress database or is damaged (%s); it was left as it is: "
			"move it aside to start afresh", s->path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (migrate(s) < 0)
		goto fail;
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
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_add_attempt(struct store *s, const struct store_attempt *a)
{
	static const char sql_ex[] =
		"INSERT INTO exercise(id, first_seen) VALUES (?1, ?2) ON CONFLICT(id) DO NOTHING";
	static const char sql_pass[] =
		"UPDATE exercise SET first_pass = ?2 WHERE id = ?1 AND first_pass IS NULL";
	static const char sql_at[] =
		"INSERT INTO attempt(exercise, at, status, passed, total, seconds, result, commit_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_int64 t = (sqlite3_int64)time(NULL);
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_err(s, "cannot record the attempt");
	if (sqlite3_prepare_v2(s->db, sql_ex, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, a->exercise, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
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
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (strcmp(a->status, "pass") == 0) {
		if (sqlite3_prepare_v2(s->db, sql_pass, -1, &st, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(st, 1, a->exercise, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, t);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		db_err(s, "cannot record the attempt");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_summary(struct store *s, const char *exercise, struct store_summary *out)
{
	static const char sql[] =
		"SELECT count(*), coalesce(max(status = 'pass'), 0) FROM attempt WHERE exercise = ?1";
	sqlite3_stmt *st;

	out->attempts = 0;
	out->passed = false;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, "cannot read progress");
	sqlite3_bind_text(st, 1, exercise, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->attempts = sqlite3_column_int(st, 0);
		out->passed = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return 0;
}
