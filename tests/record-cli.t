#!/usr/bin/env bash
# The record's commands end to end: history, show, diff, reset, restore,
# progress and export, on real checks of the bundled exercise.
. tests/lib.sh
H=$TMP/home
EX=first-goroutine
W=$H/work/$EX
SRC=exercises/concurrency/first-goroutine
export TZ=UTC

for c in progress export history show diff restore reset; do
	out=$("$CHANLAB" "$c" --help) || break
	case "$out" in "usage: chanlab $c"*) ;; *) break ;; esac
done
help_ok=$?

"$CHANLAB" --home "$H" diff "$EX" 2>"$TMP/differr"; drc=$?
out=$("$CHANLAB" --home "$H" history "$EX"); rc=$?
"$CHANLAB" --home "$H" check "$EX" >/dev/null 2>"$TMP/err"; crc=$?
if [ $crc -ne 0 ] && [ $crc -ne 1 ]; then
	echo "1..0 # SKIP chanlab check does not work here yet: $(head -1 "$TMP/err")"
	exit 0
fi
plan 37
is "$help_ok" 0 "every record command has its --help"
is "$drc" 3 "diff before the learner has files exits 3"
like "$(cat "$TMP/differr")" "no files for '$EX' yet" "and says why"
is $rc 0 "history of a new home runs"
like "$out" "no checks yet" "and says there are none"

cp "$SRC/solution/squares.c" "$W/squares.c"
"$CHANLAB" --home "$H" check "$EX" >/dev/null; is $? 0 "the solution passes"
out=$("$CHANLAB" --home "$H" history "$EX")
is "$(printf '%s\n' "$out" | wc -l)" 2 "history: one line per attempt"
like "$out" "^#1 +[0-9-]+ [0-9:]+ +fail +2/3 " "#1 failed 2 of 3"
like "$out" "#2 +[0-9-]+ [0-9:]+ +pass +3/3 +[0-9.]+s +[0-9a-f]{7}" "#2 passed, with its commit"
c2=$(printf '%s\n' "$out" | sed -n 2p | awk '{ print $NF }')
is "$c2" "$(git -C "$H/work" rev-parse --short=7 HEAD)" "the commit shown is git's"

is "$("$CHANLAB" --home "$H" show "$EX" 2)" "squares.c" "show lists an attempt's files"
"$CHANLAB" --home "$H" show "$EX" 1 squares.c | cmp -s - "$SRC/squares.c"; ok $? "show prints a file as it was checked"
"$CHANLAB" --home "$H" show "$EX" 7 2>"$TMP/err"; is $? 3 "an unknown attempt exits 3"
like "$(cat "$TMP/err")" "has no entry '7' in its history \(it has #1 to #2" "and says which there are"

out=$("$CHANLAB" --home "$H" diff "$EX" 1 2)
like "$out" "^diff --git a/squares.c b/squares.c" "diff A B is a git-style unified diff"
like "$out" "\+	go_spawn\(worker" "showing the learner's change"
is "$("$CHANLAB" --home "$H" diff "$EX" 2>"$TMP/err")" "" "diff with no attempt named: nothing changed since the last"
is "$(cat "$TMP/err")" "$EX: no differences between your last recorded files and your files now" "and says so on stderr"
echo "/* thinking */" >>"$W/squares.c"
like "$("$CHANLAB" --home "$H" diff "$EX")" "^\+/\* thinking \*/" "until the learner edits"
like "$("$CHANLAB" --home "$H" diff "$EX" starter)" "\+	go_spawn" "diff against the starter"
is "$("$CHANLAB" --home "$H" diff "$EX" starter 1 2>"$TMP/err")" "" "the starter and the first check are the same"
is "$(cat "$TMP/err")" "$EX: no differences between the starter and #1" "and says so on stderr"

out=$("$CHANLAB" --home "$H" reset "$EX"); is $? 0 "reset runs"
like "$out" "as they were are saved as #3 .*'chanlab restore $EX 3'" "and says where the files went"
cmp -s "$W/squares.c" "$SRC/squares.c"; ok $? "the folder holds the starter"
out=$("$CHANLAB" --home "$H" restore "$EX" 3); is $? 0 "restore runs"
grep -q "thinking" "$W/squares.c"; ok $? "and brings the edit back"
like "$("$CHANLAB" --home "$H" history "$EX")" "#4 .*saved" "the starter files were saved before the restore"

out=$("$CHANLAB" --home "$H" progress)
like "$out" "^concurrency +1 of [0-9]+ passed, 1 tried, 2 checks" "progress: a line per track"
like "$out" "  first-goroutine +passed +2 checks" "and per exercise"
csv=$("$CHANLAB" --home "$H" export --format csv)
like "$csv" "^exercise,track,status,checks,first_pass,active_seconds,hints,best_ratio" "export csv has a header"
like "$csv" "first-goroutine,concurrency,passed,2,[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z,[0-9]+,0," "and a row per exercise"
json=$("$CHANLAB" --home "$H" export --format=json --output "$TMP/out.json"; cat "$TMP/out.json")
like "$json" '"exercise":"first-goroutine","track":"concurrency","status":"passed","checks":2' "export json to a file"
"$CHANLAB" --home "$H" export --format xml 2>/dev/null; is $? 2 "an unknown format is bad usage"
"$CHANLAB" --home "$TMP/none" export >/dev/null; [ $? = 0 ] && [ ! -e "$TMP/none/progress.db" ]
ok $? "export of a home with no record creates none"

# Two (here three) chanlab processes checking on one home at once.
for i in 1 2 3; do
	( "$CHANLAB" --home "$H" check "$EX" >/dev/null 2>"$TMP/par.$i"; echo $? >>"$TMP/par.$i" ) &
done
wait
is "$(cat "$TMP"/par.* | tr '\n' ' ')" "0 0 0 " "three concurrent checks all pass and record"
rows=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY commit_id")
is "$rows" "$(git -C "$H/work" log --format=%H --grep='^Chanlab-Exercise: ' | sort)" "each with its commit"
finish
