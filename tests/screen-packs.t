#!/usr/bin/env bash
# The shell on packs other than the bundled one: found on CHANLAB_PATH or
# named with --pack (relative), the home screen shows the pack's tracks,
# the exercise screen its text and every hint, and a check of it runs
# (an exercise of the same id as a bundled one included).
. tests/lib.sh
. tests/screen.sh
. tests/packfix.sh
plan 10
unset CHANLAB_PATH
export XDG_DATA_HOME=$TMP/no-packs
mkpack "$TMP/src/mine" mine
# an exercise of the same id as a bundled one: the shell must check this one
cp -r "$TMP/src/mine/counting/tally" "$TMP/src/mine/counting/first-goroutine"

# tall enough for every bundled track with its exercises, and the pack's below them
start 100 70 CHANLAB_PATH="$TMP/src"
see "mine: counting" "CHANLAB_PATH: the home screen shows the pack's track"
like "$screen" "concurrency" "beside the bundled pack's"
keys / t a l l y Enter
wait_for "search: tally"
keys Enter
see "The instructor's words" "the exercise screen shows the pack's text"
keys c
see "adds_up" "a check of it runs the pack's harness, not the bundled exercise of that id" 60
keys q
wait_for "exercises passed"
keys q
wait_for "chanlab-exited"
is "$(CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$TMP/home" history mine:first-goroutine | grep -c '^#')" 1 \
	"the check is recorded as the pack's exercise"

# --pack, relative to the folder chanlab starts in
cd "$TMP/src" || exit 1
ARGS="--pack mine" start 100 40
see "counting" "--pack=RELATIVE: the shell opens on that pack"
keys / f i r s t Enter
wait_for "search: first"
keys Enter
see "The instructor's words" "its exercise's text"
keys h
see "first hint: add them all" "its first hint"
keys h
see "second hint: start the total at zero" "and the next"
keys c
see "adds_up" "a check of it runs that pack's exercise" 60
cd - >/dev/null
finish
