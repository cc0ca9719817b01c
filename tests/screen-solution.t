#!/usr/bin/env bash
# s after a pass: the reference solution in the text pane and, in a pane
# of its own, a diff of the learner's files against it (tabs expanded);
# Esc leaves the solution view before the exercise.
. tests/lib.sh
. tests/screen.sh
plan 8
EX=exercises/concurrency/first-goroutine
"$CHANLAB" --home "$TMP/home" check first-goroutine >/dev/null 2>&1
W=$TMP/home/work/first-goroutine
cp "$EX/solution/squares.c" "$W/squares.c"
"$CHANLAB" --home "$TMP/home" check first-goroutine >/dev/null 2>&1
printf '\n/*\tmine */\n' >>"$W/squares.c"

start 120 40
see "first-goroutine" "the home screen"
keys /
keys f i r s t - g o Enter Enter
see "In Go you would write" "the exercise opens"
keys s
see "The reference solution" "s shows the reference solution"
like "$screen" "Your files against the reference solution" "and beside it, a diff of your files against it"
like "$screen" "^ *-/\\*      mine \\*/" "the line only you have, its tab expanded as in the file (to column 8 after the diff's -)"
keys Escape
see "In Go you would write" "Esc leaves the solution view"
like "$screen" "first-goroutine" "and stays in the exercise"
keys Escape
see "concurrency" "a second Esc goes back to the list"
finish
