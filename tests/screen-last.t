#!/usr/bin/env bash
# The results pane before this session's first check: the last recorded
# check in full (test by test, with its messages), read back from the
# record; a row recovered from git, which has no tests, as its summary.
. tests/lib.sh
. tests/screen.sh
plan 10

"$CHANLAB" --home "$TMP/home" check first-goroutine >"$TMP/out" 2>&1
is "$?" 1 "the starter, checked from the command line, does not pass"
attempts() { sqlite3 "$TMP/home/progress.db" "SELECT count(*) FROM attempt" 2>/dev/null || echo "?"; }

start 100 40
see "first-goroutine" "chanlab on that home"
keys Enter
see "Last recorded check \(#1, [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\):" \
	"opening the exercise shows the last recorded check, with its time"
like "$screen" "not passed yet: 2 of 3 tests passed" "its verdict"
like "$screen" "✗ prints the squares of 1 to 10" "the failing test by name"
like "$screen" "expected the ten squares 1, 4, 9 \.\.\. 100" "with its message"
like "$screen" "✓ build \(normal\)" "and the passing tests marked"
is "$(attempts)" 1 "no check ran to show it"
keys Escape
wait_for "exercises passed"
keys q
wait_for "chanlab-exited"

# kill -9 between the commit and the row: the row rebuilt from git has no
# tests, so the pane shows the summary
sqlite3 "$TMP/home/progress.db" "DELETE FROM attempt"
start 100 40
see "first-goroutine" "chanlab again, after the row was lost"
keys Enter
see "Last check \(#1, .*\): not passed, 2 of 3 tests passed" "a recovered check shows as its summary"
finish
