#!/usr/bin/env bash
# The interleaving view (i) in a real terminal: a test case that failed
# under a deterministic schedule, replayed step by step, one column per
# goroutine, the learner's line around the selected step.
. tests/lib.sh
. tests/screen.sh
plan 8
P=$TMP/pack
cp -r "$PWD/tests/packs/schedules" "$P"     # the racy counter of tests/grade-schedules.t

ARGS="--pack $P" start 100 32
see "Counter" "the home screen"
keys Enter
see "Make the counter safe" "the exercise opens"
keys c
see "replay it: chanlab check counter" "the check fails under a schedule" 60
# the message wraps where the pane ends: read it as one line
like "$(printf '%s' "$screen" | tr '\n' ' ' | tr -s ' ')" "under schedule pct:[0-9]+:3" "and names it"
keys i
see "four_goroutines_add_twelve failed under schedule pct:[0-9]+:3(:[0-9]+)?: [0-9]+ steps" "i opens the interleaving that failed"
like "$screen" "^ +G1 \\(the test\\) +G[0-9]+" "one column per goroutine, the test's first"
keys 2
see "> +8 +go_sched_point\\(\\);" "a goroutine's first step shows the learner's line in its code"
keys Escape
see "Make the counter safe" "Esc goes back to the exercise"
finish
