#!/usr/bin/env bash
# The real binary in a real terminal (tmux): the list shows, q quits and the
# terminal is given back.
. tests/lib.sh
plan 4
S=chanlab-screen-$$
export TMUX_TMPDIR=$TMP
tmux -f /dev/null new-session -d -s "$S" -x 100 -y 30 \
	"$CHANLAB --home $TMP/home; echo chanlab-exited-\$?; sleep 30"
screen=
for _ in $(seq 50); do
	screen=$(tmux capture-pane -p -t "$S")
	case "$screen" in *first-goroutine*) break ;; esac
	sleep 0.1
done
like "$screen" "concurrency" "the home screen shows the tracks"
like "$screen" "first-goroutine +Your first goroutine" "and the exercises"
tmux send-keys -t "$S" q
for _ in $(seq 50); do
	screen=$(tmux capture-pane -p -t "$S")
	case "$screen" in *chanlab-exited-*) break ;; esac
	sleep 0.1
done
like "$screen" "chanlab-exited-0" "q quits with status 0"
ok "$(tmux display -p -t "$S" '#{alternate_on}')" "the terminal left the alternate screen"
tmux kill-session -t "$S" 2>/dev/null
finish
