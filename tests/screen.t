#!/usr/bin/env bash
# The home screen in a real terminal (tmux): tracks, marks and progress,
# help, search, filter, a too-small terminal, resize, NO_COLOR, and the
# terminal given back on quit and on a crash.
. tests/lib.sh
. tests/screen.sh
plan 21

start 100 30
see "concurrency +\[.*\] 0/[0-9]+" "the home screen shows the tracks with a progress bar"
like "$screen" "first-goroutine +Your first goroutine" "and the exercises"
like "$screen" "0 of [0-9]+ exercises passed" "and the overall progress"
like "$screen" "j/k move .*q quit" "the footer names the keys"

keys '?'
see "Keys: the exercise list" "? shows the help"
keys x
gone "Keys: the exercise list" "any key closes it"

keys / z z z
see "no exercise matches" "/ searches as you type"
keys Escape
see "first-goroutine +Your first goroutine" "Esc shows every exercise again"
keys / g o r o Enter
see "search: goro  showing: all" "a search keeps the matching exercises"
keys Escape f
see "showing: unfinished" "f filters the list"
keys Escape

tmux resize-window -t "$S" -x 60 -y 20
see "chanlab needs 80x24; this terminal is 60x20" "a terminal smaller than 80x24 gets a message"
tmux resize-window -t "$S" -x 80 -y 24
see "first-goroutine +Your first goroutine" "and the screen comes back when it is large enough"
like "$(screen | tail -1)" "q quit" "laid out for 80x24"

colored=$(tmux capture-pane -e -p -t "$S" | grep -c $'\e\[3[0-7]m')
keys q
see "chanlab-exited-0" "q quits with status 0"
is "$(tmux display -p -t "$S" '#{alternate_on}')" 0 "and the terminal left the alternate screen"

start 100 30 TERM=vt100
see "first-goroutine +Your first goroutine" "a monochrome terminal shows the list"
mono=$(tmux capture-pane -e -p -t "$S" | grep -c $'\e\[3[0-7]m')
is "$mono" 0 "without colours"

start 100 30 NO_COLOR=1 CHANLAB_WATCH=poll
wait_for "first-goroutine"
plain=$(tmux capture-pane -e -p -t "$S" | grep -c $'\e\[3[0-7]m')
ok $([ "$colored" -gt 0 ] && [ "$plain" = 0 ]; echo $?) "colours by default, none with NO_COLOR ($colored, $plain lines)"

keys Enter
see "watching your files \(polling\)" "where inotify does not work, the watcher polls and says so"
kill -SEGV "$(cat "$TMP/pid")"
see "chanlab-exited-139" "a crash ends chanlab with the signal"
is "$(tmux display -p -t "$S" '#{alternate_on}')" 0 "and still gives the terminal back"
finish
