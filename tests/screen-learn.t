#!/usr/bin/env bash
# Learner experience in a real terminal (tmux): revealed hints stay as they
# were revealed across a reopen and a restart, a hint that answers no failure
# says so, and the shell's results read like the command mode's (a repeated
# failure folded, each explanation once).
. tests/lib.sh
. tests/screen.sh
plan 44

start 100 50
see "first-goroutine" "the home screen"
keys Enter
see "In Go you would write" "first-goroutine opens"
keys c
see "not passed yet: 2 of 3 tests passed" "the starter fails on its output"
keys h
see "1\. go_spawn\(worker" "h reveals the hint written for the starter's failure"
keys h
see "2\. Start the worker" "h again: none is left for this failure, so the next general one"
like "$screen" "no hint is written for this failure; the next general hint:" "and it says no hint is written for this failure"
keys Escape Enter
see "Hints: 2 of 5 shown" "reopened: still the two hints shown"
like "$(printf '%s' "$screen" | tr '\n' ' ')" "1\. go_spawn\(worker.*2\. Start the worker" "the same hints, not the pack's first two"
tmux send-keys -t "$S" q
start 100 50
keys Enter
see "Hints: 2 of 5 shown" "after a restart: the two hints"
like "$(printf '%s' "$screen" | tr '\n' ' ')" "1\. go_spawn.*2\. Start the worker" "in the order they were revealed"

# pipeline-close's starter deadlocks in every case: one failure, said once
tmux kill-session -t "$S"
"$CHANLAB" --home "$TMP/home" check pipeline-close >/dev/null
start 140 60
keys /
keys p i p e Enter Enter
see "the same failure as above" "a failure like the one above is folded in the shell"
like "$screen" "deadlock at pipeline.c:50" "the deadlock is explained"
! printf "%s" "$screen" | grep -q "deadlock found by"; ok $? "once: not again as a separate report"

# the counts follow checks made by another chanlab on the same home, and
# the mark is the current state with the best beside it
keys Escape
see "search: pipe" "back on the list, still searching"
keys Escape
see "first-goroutine .* 1 check( |$)" "the home screen counts one check of first-goroutine"
EX=exercises/concurrency/first-goroutine
cp "$EX/solution/squares.c" "$TMP/home/work/first-goroutine/squares.c"
"$CHANLAB" --home "$TMP/home" check first-goroutine >/dev/null
see "✓ first-goroutine .* 2 checks" "a check from another process shows without a key: passed, 2 checks"
cp "$EX/squares.c" "$TMP/home/work/first-goroutine/squares.c"
"$CHANLAB" --home "$TMP/home" check first-goroutine >/dev/null
see "✗ first-goroutine .*best: passed .* 3 checks" "broken since: the mark is the failure, the best stays passed"
keys / f i r s t - g Enter Enter
see "3 checks, .* best: passed \(your files no" "the exercise screen says the same"

# the history's diff: tabs expanded, and shown again after a restore
keys H
see "History of first-goroutine: 3 entries" "H shows the history"
keys w
see "\(no difference\)" "w: the newest attempt is what the folder holds"
keys Escape j w
see "diff #2 → your files now" "the passing attempt against the files now"
! printf '%s' "$screen" | grep -q '\^I'; ok $? "no tab shows as ^I"
like "$screen" "[-+ ]        [a-z]" "tabs are expanded as the file has them"
keys r y
see "restored" "r y restores #2"
see "\(no difference\)" "the diff on show is redone: the files now equal #2"

# the status line: a message is never overprinted by the watcher's label
tmux kill-session -t "$S"
start 100 40 EDITOR=/nonexistent/editor VISUAL=
see "first-goroutine" "a fresh start"
keys '?'
see "j/↓ +move down" "the home's help lists j/↓ beside k/↑"
keys q k k Enter
see "watching your files" "first-goroutine opens, watched"
keys e
see 'could not be run: set \$VISUAL or \$EDITOR$' "a failed editor says what to do, whole"

# move on in one key
keys n
see "n opens the next exercise once this one passes" "n before a pass says when it works"
cp "$EX/solution/squares.c" "$TMP/home/work/first-goroutine/squares.c"
see "Press n for the next exercise \([a-z-]+\)" "a pass offers n for the next unfinished exercise"
next=$(printf '%s' "$screen" | sed -n 's/.*Press n for the next exercise (\([a-z-]*\)).*/\1/p' | head -1)
keys n
see "$next — " "n opens it ($next)"
is "$next" wait-for-all "the next is the one whose prerequisite was just passed"
see "Do first: first-goroutine \(done\)" "its text says what to do first, and that it is done"

# search reaches the text
tmux kill-session -t "$S"
start 100 40
see "first-goroutine" "a fresh start for search"
keys / l e a k Enter
see "search: leak" "/leak searches"
like "$screen" "word-split" "and finds the exercise whose text is about leaks"
! printf '%s' "$screen" | grep -q "first-goroutine"; ok $? "and no other"
keys Escape / a m o r t i s e d Enter
see "search: amortised" "a word only an exercise's topics hold"
like "$screen" "string-builder" "finds it by its topics"

# a checks every exercise started again, in the terminal, and back
keys Escape a
see "checking every exercise you have started again" "a checks every exercise started again"
see "[0-9]+ of [0-9]+ started exercises pass" "each exercise started, with the count that pass" 120
like "$screen" "first-goroutine +passed" "a line per exercise"
keys Enter
see "[0-9]+ of [0-9]+ exercises passed" "Enter goes back to the home screen"

finish
