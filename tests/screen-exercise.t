#!/usr/bin/env bash
# An exercise in a real terminal (tmux): its text, a check that runs in the
# background while keys keep working, a save that cancels it and turns the
# result to passed with no key press, hints, the solution, history with a
# diff and a restore, and the learner's editor.
. tests/lib.sh
. tests/screen.sh
plan 44
EX=exercises/concurrency/first-goroutine
W=$TMP/home/work/first-goroutine

cat >"$TMP/editor" <<EOS
#!/bin/sh
# an editor that saves the solution over the file it is given
echo "\$PWD \$*" >"$TMP/edited"
cp "$PWD/$EX/solution/squares.c" "\$1"
EOS
chmod +x "$TMP/editor"

start 100 40 EDITOR="$TMP/editor" VISUAL=
see "first-goroutine" "the home screen"
keys Enter
see "In Go you would write" "Enter opens the exercise and shows its text"
like "$screen" "go_spawn\(fn, arg\) starts a" "with inline code as text"
see "watching your files \(inotify\)" "the watcher is active and says which kind"
[ -f "$W/squares.c" ]; ok $? "opening an exercise gives the learner the starter files"

keys c
see "not passed yet: 2 of 3 tests passed" "c checks the starter, which does not pass"
like "$screen" "✗ prints the squares of 1 to 10" "the failing test is marked"

# a program that takes seconds: keys keep working while it is checked,
# and saving again cancels the check
sed -e 's/#include <stdio.h>/#include <stdio.h>\n#include <unistd.h>/' \
    -e 's/(void)argc, (void)argv;/(void)argc, (void)argv; sleep(4);/' "$EX/solution/squares.c" >"$TMP/slow.c"
cp "$TMP/slow.c" "$W/squares.c"
see "checking first-goroutine" "a save starts a check with no key press"
keys h
# which hint depends on what is on show: the starter's failure, or the
# running check's first results (a loaded machine may have them already)
see "Hints: 1 of [0-9]+ shown" "a key works while the check runs: h reveals a hint"
like "$screen" "checking first-goroutine" "and the check is still running"
cp "$EX/solution/squares.c" "$W/squares.c"
see "passed: 3 of 3 tests passed" "saving the solution turns the result to passed"
like "$screen" "Hints: 1 of [0-9]+ shown" "the hint stays shown"
hints=$(sqlite3 "$TMP/home/progress.db" "SELECT count(*) FROM hint" 2>/dev/null || echo "?")
is "$hints" 1 "the revealed hint is recorded"

keys s
see "The reference solution" "s shows the reference solution after a pass"
keys s H
see "History of first-goroutine: 2 entries" "H shows the history: the slow check was canceled, not recorded"
see "#2 .* pass .*3/3" "with each attempt's verdict"
keys Enter
see "diff #1 → #2" "Enter shows the diff to the attempt before"
keys Escape m j Enter
see "diff #2 → #1" "m marks an attempt: Enter then diffs any two"
keys Escape j r
see "Restore your files to #1\? They are saved first, so nothing is lost" "restore asks first"
keys y
see "restored" "y restores"
cmp -s "$W/squares.c" "$EX/squares.c"; ok $? "the folder holds #1's files again"
# before the next key: the check's end would replace the next message
see "History of first-goroutine: 3 entries" "the restored files are checked again on their own"
keys R
see "Reset your files to the starter\? They are saved first" "reset asks first too"
keys n
see "nothing changed" "and any other key leaves the files alone"
keys Escape
see "not passed yet" "and the result says so"

# hostile output: escape sequences, bells, hundreds of lines
cat >"$W/squares.c" <<'EOS'
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (int i = 0; i < 300; i++)
		printf("\033[2J\033[31mline %d\a\n", i);
	return 0;
}
EOS
see '\\x1b\[2J\\x1b\[31mline 0\\x07' "control characters in a program's output show escaped"
like "$screen" "In Go you would write" "and cannot clear the screen"
keys Tab G
see "more lines not shown" "long output is capped, and G scrolls the results to the end"
keys Tab

keys e
see "passed: 3 of 3" "e runs the editor; its save is checked"
like "$(cat "$TMP/edited" 2>/dev/null)" "^$W squares.c$" "the editor ran in the exercise's folder on its files"
like "$screen" "watching your files" "and the shell came back"

keys Escape
see "1 of [0-9]+ exercises passed" "back on the home screen the progress counts the pass"
like "$screen" "[✓★] first-goroutine" "and the exercise is marked passed"
keys q
see "chanlab-exited-0" "q quits"
start 100 40
see "first-goroutine" "chanlab again"
keys Enter
see "watching your files" "Enter opens an exercise"
first=$(printf '%s\n' "$screen" | sed -n 's/^ \([a-z0-9-]*\) — .*/\1/p')
ok $([ -n "$first" ] && [ "$first" != first-goroutine ]; echo $?) "it opens where the learner left off: the next unfinished exercise ($first)"
keys Escape
wait_for "exercises passed"
keys n
see "watching your files" "n opens an exercise in one key"
next=$(printf '%s\n' "$screen" | sed -n 's/^ \([a-z0-9-]*\) — .*/\1/p')
is "$next" "$first" "the unfinished one under the cursor, never skipping it"
keys Escape
wait_for "exercises passed"
keys / f i r s t - g Enter
keys n
see "watching your files" "on a passed exercise n opens another"
next=$(printf '%s\n' "$screen" | sed -n 's/^ \([a-z0-9-]*\) — .*/\1/p')
ok $([ -n "$next" ] && [ "$next" != first-goroutine ]; echo $?) "the next unfinished exercise ($next)"

# the hint that answers the failure on show comes first: a build error
keys Escape
wait_for "exercises passed"
keys q
wait_for "chanlab-exited"
rm -rf "$TMP/home"
start 100 40
see "first-goroutine" "a fresh home"
keys Enter
wait_for "watching your files"
echo 'int go_main(int argc, char **argv) { return x; }' >"$W/squares.c"
see "✗ build" "a file that does not compile fails the build test"
keys h
build_hint=$(sed -n 's/.*on = "build", text = "\(.\{24\}\).*/\1/p' "$EX/exercise.lua" | head -1)
see "1\. ${build_hint:-.}" "h reveals the hint written for build errors first (${build_hint:-none found})"
finish
