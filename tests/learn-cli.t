#!/usr/bin/env bash
# The learner's command mode, round two: check shows no hint unasked and
# says where one is; chanlab hint reveals and records them in the order the
# shell shows; a malformed attempt is a bad argument; the export says how
# time is counted and keeps the current state beside the best.
. tests/lib.sh
plan 19
H=$TMP/home
EX=first-goroutine
SRC=exercises/concurrency/first-goroutine

out=$("$CHANLAB" --home "$H" check "$EX"); rc=$?
is "$rc" 1 "the starter does not pass"
like "$out" "a hint: chanlab hint $EX" "check says where a hint is"
! printf '%s' "$out" | grep -q "go_spawn(worker"; ok $? "and prints none unasked"
is "$(sqlite3 "$H/progress.db" "SELECT count(*) FROM hint")" 0 "nothing is recorded as revealed"
out=$("$CHANLAB" --home "$H" hint "$EX")
like "$out" "hint 1 of 4 for $EX \(no hint is written for this failure; the next general hint\)" \
	"a failure no hint answers: said so"
like "$out" "go_spawn\(worker" "and the next general hint follows"
out=$("$CHANLAB" --home "$H" hint "$EX" | tr '\n' ' ')
like "$out" "hint 2 of 4.*Each round trip" "the next one"
is "$(sqlite3 "$H/progress.db" "SELECT group_concat(which, ',') FROM (SELECT which FROM hint ORDER BY level)")" "1,3" \
	"the record keeps which hints, in order"
printf 'int go_main(int argc, char **argv) { return argc + ; }\n' >"$H/work/$EX/squares.c"
"$CHANLAB" --home "$H" check "$EX" >/dev/null
like "$("$CHANLAB" --home "$H" hint "$EX" | tr '\n' ' ')" "hint 3 of 4 for $EX:.*The compiler names" "a build failure gets the hint aimed at it"

"$CHANLAB" --home "$H" restore "$EX" abc 2>"$TMP/err"; is $? 2 "restore of a malformed attempt is a bad argument (2)"
like "$(cat "$TMP/err")" "'abc' does not name an attempt" "and says what names one"
"$CHANLAB" --home "$H" restore "$EX" 99 2>/dev/null; is $? 3 "a well-formed attempt that does not exist exits 3, as show does"

cp "$SRC/solution/squares.c" "$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" check "$EX" >/dev/null
cp "$SRC/squares.c" "$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" check "$EX" >/dev/null
like "$("$CHANLAB" --home "$H" export)" "first-goroutine,concurrency,passed,4,[^,]*,[0-9]+,3,,failing" \
	"the export: best passed, current failing"
like "$("$CHANLAB" --home "$H" export --format json)" '"seconds_spent_counts":"active time' "and says how time is counted"

out=$("$CHANLAB" --home "$H" text "$EX"); rc=$?
is "$rc" 0 "chanlab text prints an exercise's text"
like "$out" "^  go worker\(in, out\)" "its Markdown laid out for a terminal (code indented, no fences)"
"$CHANLAB" --home "$H" check bank-acount 2>"$TMP/err"; is $? 2 "an unknown id is a bad argument"
like "$(cat "$TMP/err")" "no exercise 'bank-acount': did you mean 'bank-account'\?" "a near miss gets did you mean"
"$CHANLAB" --home "$H" history pipe 2>"$TMP/err"
like "$(cat "$TMP/err")" "did you mean 'pipeline-close'\?" "so does a prefix, in every command"
finish
