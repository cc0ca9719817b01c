#!/usr/bin/env bash
# Damage to the record in the shell: what chanlab recovered on its own is
# said on the status line (not only on stderr, which the shell's screen
# hides), and damage it refuses is shown there in plain words, with the
# shell still usable and nothing hanging.
. tests/lib.sh
. tests/screen.sh
plan 7
EX=first-goroutine
H=$TMP/home

mkdir -p "$H/work/$EX"
cp exercises/concurrency/$EX/squares.c "$H/work/$EX/"
echo "/* edited */" >>"$H/work/$EX/squares.c"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null; is $? 0 "a home with one attempt"

# progress.db deleted: the shell rebuilds it and says so.
rm -f "$H/progress.db"
start 160 30
see "progress\.db was missing: rebuilt 1 attempt from the attempts repository" \
	"the shell says progress.db was rebuilt"
keys j
gone "progress\.db was missing" "the note goes with the next key"
keys q
wait_for "chanlab-exited"
[ -s "$H/progress.db" ]; ok $? "and progress.db is back"

# The last commit cut short: refused, named on the status line, no hang.
obj=$(git -C "$H/work" rev-parse HEAD)
f=$H/work/.git/objects/${obj:0:2}/${obj:2}
chmod u+w "$f"; truncate -s 40 "$f"
start 160 30
see "attempts repository .* is damaged" "a damaged attempts repository is shown in plain words" 20
see "first-goroutine" "and the shell still lists the exercises"
keys q
see "chanlab-exited-0" "q quits as usual"
finish
