-- chanlab progress database, schema version 1.
-- data/store.c applies this to a new database and sets PRAGMA user_version;
-- later versions add numbered migrations there that keep existing data.

CREATE TABLE exercise (
	id          TEXT PRIMARY KEY,          -- the exercise id (its folder name)
	first_seen  INTEGER NOT NULL,          -- unix seconds
	first_pass  INTEGER                    -- unix seconds of the first passing attempt
);

CREATE TABLE attempt (
	id          INTEGER PRIMARY KEY,
	exercise    TEXT NOT NULL REFERENCES exercise(id),
	at          INTEGER NOT NULL,          -- unix seconds
	status      TEXT NOT NULL,             -- pass, fail, error
	passed      INTEGER NOT NULL,          -- tests passed
	total       INTEGER NOT NULL,          -- tests declared
	seconds     REAL NOT NULL,             -- how long the check took
	result      TEXT NOT NULL,             -- the full verdict as JSON
	commit_id   TEXT NOT NULL              -- git commit of the files checked
);

CREATE INDEX attempt_by_exercise ON attempt(exercise, at);
