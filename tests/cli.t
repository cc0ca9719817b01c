#!/usr/bin/env bash
# End to end through the command mode: list, check the starter (fails),
# check the solution (passes), the SQLite rows and the git commits exist.
. tests/lib.sh
plan 20
H=$TMP/home
EX=exercises/concurrency/first-goroutine

out=$("$CHANLAB" --help); ok $? "--help exits 0"
like "$out" "check +check your solution" "--help lists every command"
out=$("$CHANLAB" check --help); like "$out" "usage: chanlab check" "a command has its own --help"
"$CHANLAB" frobnicate 2>"$TMP/err"; is $? 2 "an unknown command exits 2"
is "$(wc -l <"$TMP/err")" 1 "with a one-line message"
"$CHANLAB" check 2>/dev/null; is $? 2 "a missing argument exits 2"
"$CHANLAB" check no-such-exercise --home "$H" 2>"$TMP/err"; is $? 2 "an unknown exercise exits 2"
like "$(cat "$TMP/err")" "no exercise 'no-such-exercise'" "and says which"

out=$("$CHANLAB" --home "$H" list); ok $? "list runs"
like "$out" "first-goroutine +new +Your first goroutine \(about [0-9]+ min\)" "list shows the bundled exercise as new, and its expected minutes"
[ ! -e "$H/progress.db" ]; ok $? "listing creates no progress database"

out=$("$CHANLAB" --home "$H" check first-goroutine); rc=$?
is $rc 1 "the starter does not pass"
like "$out" "prints the squares of 1 to 10" "the failing test is named"
cmp -s "$H/work/first-goroutine/squares.c" "$EX/squares.c"; ok $? "the first check creates the learner's copy of the starter"

cp "$EX/solution/squares.c" "$H/work/first-goroutine/squares.c"
out=$("$CHANLAB" --home "$H" check first-goroutine); rc=$?
is $rc 0 "the solution passes"
json=$("$CHANLAB" --home "$H" check --json first-goroutine)
like "$json" '^\{"version":2,"exercise":"first-goroutine","status":"pass"' "--json prints the versioned result"

rows=$(sqlite3 "$H/progress.db" "SELECT status FROM attempt WHERE exercise = 'first-goroutine' ORDER BY id" | tr '\n' ' ')
is "$rows" "fail pass pass " "every attempt is a row in progress.db"
commits=$(git -C "$H/work" log --format=%s | tr '\n' '|')
is "$commits" "first-goroutine: pass (3 of 3 tests passed)|first-goroutine: pass (3 of 3 tests passed)|first-goroutine: fail (2 of 3 tests passed)|" \
	"every attempt is a git commit"
last=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY id DESC LIMIT 1")
is "$last" "$(git -C "$H/work" rev-parse HEAD)" "the row names its commit"
out=$("$CHANLAB" --home "$H" list); like "$out" "first-goroutine +passed" "list shows the exercise as passed"
finish
