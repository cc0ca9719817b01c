#!/usr/bin/env bash
# The learner's command mode, round two: check shows no hint unasked and
# says where one is; chanlab hint reveals and records them in the order the
# shell shows; a malformed attempt is a bad argument; the export says how
# time is counted and keeps the current state beside the best.
. tests/lib.sh
plan 32
H=$TMP/home
EX=first-goroutine
SRC=exercises/concurrency/first-goroutine

out=$("$CHANLAB" --home "$H" check "$EX"); rc=$?
is "$rc" 1 "the starter does not pass"
like "$out" "a hint: chanlab hint $EX" "check says where a hint is"
! printf '%s' "$out" | grep -q "go_spawn(worker"; ok $? "and prints none unasked"
is "$(sqlite3 "$H/progress.db" "SELECT count(*) FROM hint")" 0 "nothing is recorded as revealed"
out=$("$CHANLAB" --home "$H" hint "$EX")
like "$out" "hint 1 of 5 for $EX:" "the hint written for the failure comes first"
like "$out" "go_spawn\(worker" "and it is the one aimed at the starter's failure"
out=$("$CHANLAB" --home "$H" hint "$EX" | tr '\n' ' ')
like "$out" "hint 2 of 5 for $EX \(no hint is written for this failure; the next general hint\):.*Start the worker" \
	"then, none being left for this failure, the next general hint, said so"
is "$(sqlite3 "$H/progress.db" "SELECT group_concat(which, ',') FROM (SELECT which FROM hint ORDER BY level)")" "0,3" \
	"the record keeps which hints, in order"
printf 'int go_main(int argc, char **argv) { return argc + ; }\n' >"$H/work/$EX/squares.c"
"$CHANLAB" --home "$H" check "$EX" >/dev/null
like "$("$CHANLAB" --home "$H" hint "$EX" | tr '\n' ' ')" "hint 3 of 5 for $EX:.*The compiler names" "a build failure gets the hint aimed at it"

"$CHANLAB" --home "$H" restore "$EX" abc 2>"$TMP/err"; is $? 2 "restore of a malformed attempt is a bad argument (2)"
like "$(cat "$TMP/err")" "'abc' does not name an entry of your history" "and says what names one"
"$CHANLAB" --home "$H" restore "$EX" 99 2>/dev/null; is $? 3 "a well-formed attempt that does not exist exits 3, as show does"

cp "$SRC/solution/squares.c" "$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" check "$EX" >/dev/null
cp "$SRC/squares.c" "$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" check "$EX" >/dev/null
like "$("$CHANLAB" --home "$H" export)" "first-goroutine,concurrency,passed,4,[^,]*,[0-9]+,3,,failing" \
	"the export: best passed, current failing"
like "$("$CHANLAB" --home "$H" export --format json)" '"active_seconds_counts":"active time' "and says how time is counted"

out=$("$CHANLAB" --home "$H" text "$EX"); rc=$?
is "$rc" 0 "chanlab text prints an exercise's text"
like "$out" "^  go worker\(in, out\)" "its Markdown laid out for a terminal (code indented, no fences)"
out=$("$CHANLAB" --home "$H" text session-cleaner)
like "$out" "^About [0-9]+ minutes\. Do first: object-pool\.$" "under its heading: the time it takes and what to do first (its after)"
like "$(printf '%s\n' "$out" | grep -A2 '^Learn more$' | tail -1)" "https://" "and at the end its learn-more links"
is "$(printf '%s\n' "$out" | head -n1)" "session-cleaner (memory)" "its id and track first: the text's heading is the title, said once"
"$CHANLAB" --home "$H" check bank-acount 2>"$TMP/err"; is $? 2 "an unknown id is a bad argument"
like "$(cat "$TMP/err")" "no exercise 'bank-acount': did you mean 'bank-account'\?" "a near miss gets did you mean"
"$CHANLAB" --home "$H" history pipe 2>"$TMP/err"
like "$(cat "$TMP/err")" "did you mean 'pipeline-close'\?" "so does a prefix, in every command"

out=$("$CHANLAB" --home "$H" check --all); rc=$?
is "$rc" 1 "check --all: not every started exercise passes"
like "$out" "first-goroutine +not passed \(no longer passes: it passed before\)" "one that passed before is marked"
like "$out" "0 of 1 started exercises pass" "only the exercises started are checked"
"$CHANLAB" --home "$H" check 2>/dev/null; is $? 2 "check without an id or --all is bad usage"

# Editor tooling: in a fresh work folder of every exercise, the compiler
# finds <go.h> and the exercise's headers through compile_flags.txt alone.
F=$TMP/fresh
for dir in exercises/*/*/; do
	id=$(basename "$dir")
	"$CHANLAB" --home "$F" check "$id" >/dev/null 2>&1
done
bad=; nf=0
for w in "$F"/work/*/; do
	for f in "$w"*.c "$w"*.h; do
		[ -f "$f" ] || continue
		nf=$((nf + 1))
		(cd "$w" && cc -fsyntax-only $(cat compile_flags.txt) "$(basename "$f")") 2>"$TMP/cc.err" || bad="$bad $f"
	done
done
[ "$nf" -ge 7 ] && [ -z "$bad" ]; ok $? "cc -fsyntax-only \$(cat compile_flags.txt) succeeds on every learner file ($nf;${bad:- none failed})"
W=$F/work/pipeline-close
[ -f "$W/README.md" ] && [ "$(stat -c %a "$W/README.md")" = 444 ] && grep -q "Close the pipeline" "$W/README.md"; ok $? "README.md holds the text, read-only"
python3 -c "import json,sys; d=json.load(open('$W/compile_commands.json')); assert d[0]['file']=='pipeline.c'" 2>/dev/null; ok $? "compile_commands.json names the learner's file"
[ -f "$W/tests/pipeline_test.c" ] && [ "$(stat -c %a "$W/tests/pipeline_test.c")" = 444 ]; ok $? "the instructor's test file is there to read, read-only"
is "$(git -C "$F/work" ls-files pipeline-close)" "pipeline-close/pipeline.c
pipeline-close/pipeline.h" "none of them is snapshotted: the learner's file (and the header it writes against, as the pack gave it)"

start=$(date +%s.%N)
out=$("$CHANLAB" --home "$F" check --all)
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "# check --all over the bundled pack: $secs s"
nex=$(ls -d exercises/*/*/ | wc -l)
like "$out" "0 of $nex started exercises pass" "check --all checks all $nex starters ($secs s)"
finish
