-- chanlab progress database.
-- Each "-- @version N" section upgrades a database of version N-1 to N;
-- data/store.c applies the sections a database lacks, in one transaction,
-- and sets PRAGMA user_version. A released section is never edited: later
-- changes are new sections that keep existing data.

-- @version 1
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

-- @version 2
-- Saves (the learner's files committed before a reset or restore) are
-- entries too, so they can be browsed and restored; every commit has at
-- most one row, which lets a crashed recording be repaired from git.
ALTER TABLE attempt ADD COLUMN kind TEXT NOT NULL DEFAULT 'check';  -- check, save
CREATE UNIQUE INDEX attempt_by_commit ON attempt(commit_id);

CREATE TABLE bench (
	attempt     INTEGER NOT NULL REFERENCES attempt(id),
	name        TEXT NOT NULL,             -- the benchmark's name
	value       REAL NOT NULL,             -- the learner's figure
	unit        TEXT NOT NULL,             -- ns/op, ops/s, ...
	ratio       REAL,                      -- value / the reference solution's value
	PRIMARY KEY (attempt, name)
);

CREATE TABLE hint (
	exercise    TEXT NOT NULL REFERENCES exercise(id),
	level       INTEGER NOT NULL,          -- 1 = the first hint
	at          INTEGER NOT NULL,          -- unix seconds it was first revealed
	PRIMARY KEY (exercise, level)
);

-- @version 3
-- Running totals per exercise, kept up to date with each attempt and hint,
-- so a front end reads an exercise's standing in one row however long its
-- history. Time spent: for each check or hint, the time since the previous
-- one on the exercise (at most 15 minutes), plus each check's duration.
ALTER TABLE exercise ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- checks
ALTER TABLE exercise ADD COLUMN last_at INTEGER;                      -- the last check
ALTER TABLE exercise ADD COLUMN best_passed INTEGER;                  -- the check with
ALTER TABLE exercise ADD COLUMN best_total INTEGER;                   --  most tests passed
ALTER TABLE exercise ADD COLUMN spent REAL NOT NULL DEFAULT 0;        -- seconds
ALTER TABLE exercise ADD COLUMN last_activity INTEGER;                -- the last check or hint
UPDATE exercise SET
	attempts = (SELECT count(*) FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'),
	last_at = (SELECT max(at) FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'),
	last_activity = (SELECT max(at) FROM (SELECT at FROM attempt a WHERE a.exercise = exercise.id
					      AND a.kind = 'check'
					      UNION ALL SELECT at FROM hint h WHERE h.exercise = exercise.id)),
	best_passed = (SELECT passed FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'
		       ORDER BY passed * 1.0 / max(total, 1) DESC, passed DESC LIMIT 1),
	best_total = (SELECT total FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'
		      ORDER BY passed * 1.0 / max(total, 1) DESC, passed DESC LIMIT 1),
	spent = (SELECT coalesce(sum(min(coalesce(gap, 0), 900) + seconds), 0) FROM
		 (SELECT seconds, at - lag(at) OVER (ORDER BY at) AS gap FROM
		  (SELECT at, seconds FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'
		   UNION ALL SELECT at, 0 FROM hint h WHERE h.exercise = exercise.id)));

-- @version 4
-- Which hint was revealed at each level: its place in the exercise's list
-- of hints (0 = the first), so a front end shows the same hints in the
-- order they were revealed across restarts. NULL for a hint revealed before
-- version 4, when the level was the place (level - 1).
ALTER TABLE hint ADD COLUMN which INTEGER;
-- The current state beside the best: the status of the last check.
ALTER TABLE exercise ADD COLUMN last_status TEXT;
UPDATE exercise SET last_status = (SELECT status FROM attempt a WHERE a.exercise = exercise.id
				   AND a.kind = 'check' ORDER BY at DESC, id DESC LIMIT 1);
-- Time spent counts active time only: a gap between two checks or hints
-- of at most 5 minutes counts in full, a longer one (the learner was away)
-- not at all; plus each check's duration.
UPDATE exercise SET
	spent = (SELECT coalesce(sum(CASE WHEN coalesce(gap, 0) <= 300 THEN coalesce(gap, 0) ELSE 0 END
				 + seconds), 0) FROM
		 (SELECT seconds, at - lag(at) OVER (ORDER BY at) AS gap FROM
		  (SELECT at, seconds FROM attempt a WHERE a.exercise = exercise.id AND a.kind = 'check'
		   UNION ALL SELECT at, 0 FROM hint h WHERE h.exercise = exercise.id)));
