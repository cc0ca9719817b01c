#!/usr/bin/env bash
# Hostile output and hostile files: NUL bytes, terminal commands and bytes
# that are not UTF-8 are kept and compared byte for byte and shown escaped
# by check, show, history, diff and the shell (valid JSON in --json); a
# learner file that is a symbolic link or no regular file is refused by
# name and nothing is read through it. tests/hostile/pack's exercise "same"
# compares prog.c's output with c:same and reads it back with c:source.
. tests/lib.sh
. tests/screen.sh
plan 47
H=$TMP/home
PACK=$PWD/tests/hostile/pack
W=$H/work/same
G=$H/work/first-goroutine
STARTER=tests/hostile/pack/hostile/same/prog.c

# raw FILE: true if FILE holds a byte a terminal obeys (ESC, BEL, NUL, C1 CSI)
raw() {
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(0 if any(b in d for b in (b"\x1b", b"\x07", b"\x00", b"\xc2\x9b")) else 1)' "$1"
}
# shown FILE DESCRIPTION: a test that FILE holds none of those bytes
shown() { if raw "$1"; then ok 1 "$2"; sed 's/^/#   /' "$1" | cat -v | head -20; else ok 0 "$2"; fi; }
# same FILE: checks FILE as the same exercise's prog.c; $json, $rc
same() {
	mkdir -p "$W"
	rm -rf "$W/prog.c"
	cp "$1" "$W/prog.c"
	json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" same 2>"$TMP/err"); rc=$?
}
# field EXPR: EXPR over the verdict in $json (t: its tests by name), as ascii()
field() {
	printf '%s' "$json" | python3 -c 'import json, sys
d = json.load(sys.stdin); t = {x["name"]: x for x in d["tests"]}
print(ascii(eval(sys.argv[1])))' "$1" 2>&1
}
# text EXPR: the same, printed as it is
text() {
	printf '%s' "$json" | python3 -c 'import json, sys
d = json.load(sys.stdin); t = {x["name"]: x for x in d["tests"]}
print(eval(sys.argv[1]))' "$1" 2>&1
}

same "$STARTER"
is "$rc" 0 "the starter of the exercise that compares output passes"

# --- NUL bytes: compared byte for byte, kept, shown ---------------------------
same tests/hostile/nulout.c
is "$rc" 1 "output 'ok\\n\\0' against 'ok\\n': chanlab does not crash, the check fails (exit $rc)"
is "$(field '(t["prints ok"]["status"], t["prints ok"]["output"])')" "('fail', 'ok\\n\\x00')" \
	"the output is kept whole in the verdict, its NUL too"
like "$(text 't["prints ok"]["message"]')" "^line 2: expected the end of the output, got '\\\\x00'\$" \
	"and the message names the line and shows the NUL"

same tests/hostile/badbytes.c
is "$rc" 1 "output with NULs and bytes that are not UTF-8 fails"
is "$(field 't["prints ok"]["output"]')" "'a\\x00b\\ufffd\\ufffd\\ufffd\\ufffd\\x9b2J\\n'" \
	"--json is valid JSON: NUL as \\u0000, each stray byte as U+FFFD"
sqlite3 "$H/progress.db" "SELECT result FROM attempt ORDER BY id DESC LIMIT 1" >"$TMP/stored"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/stored"; ok $? "so is the verdict stored in the record"
"$CHANLAB" --home "$H" check --pack="$PACK" same >"$TMP/out" 2>&1
shown "$TMP/out" "chanlab check prints none of those bytes raw"
like "$(cat "$TMP/out")" "a\\\\x00b\\\\xff\\\\xfe\\\\xc0\\\\xaf\\\\xc2\\\\x9b2J" "it shows each escaped"

# --- learner files that are no regular files ---------------------------------
rm -f "$W/prog.c"
ln -s /etc/passwd "$W/prog.c"
json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" same 2>"$TMP/err"); rc=$?
is "$rc" 1 "a learner file that is a symbolic link to /etc/passwd fails the check"
case "$json" in *root:*) ok 1 "nothing is read through the link: no passwd line in the verdict" ;;
"") ok 1 "nothing is read through the link (no verdict: $(head -1 "$TMP/err"))" ;;
*) ok 0 "nothing is read through the link: no passwd line in the verdict" ;; esac
is "$(field '(t["build (normal)"]["status"], t["build (normal)"]["hint_on"])')" "('fail', 'build')" \
	"it is a failed build"
like "$(text 't["build (normal)"]["message"]')" "your file 'prog.c' is a symbolic link \(to '/etc/passwd'\)" \
	"which names the file and says it is a symbolic link"
like "$(text 't["its source can be read"]["message"]')" "your file 'prog.c' is a symbolic link" \
	"c:source refuses it too, and says why"

cp "$STARTER" "$W/real.c"
rm -f "$W/prog.c"
ln -s real.c "$W/prog.c"
json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" same 2>"$TMP/err"); rc=$?
is "$rc" 1 "a symbolic link to a file inside the work folder is refused too"
like "$(text 't["build (normal)"]["message"]')" "'prog.c' is a symbolic link \(to 'real.c'\).*put the file itself there in place of the link" \
	"and the message says what to do"

rm -f "$W/prog.c"
mkdir "$W/prog.c"
json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" same 2>"$TMP/err"); rc=$?
like "$(text 't["build (normal)"]["message"]')" "your file 'prog.c' is not a regular file \(it is a folder\)" \
	"a folder in the file's place is refused by name"

same "$STARTER"
is "$rc" 0 "a regular file again: the check passes"

# --- terminal commands in command mode ----------------------------------------
mkdir -p "$G"
cp tests/hostile/squares-nul.c "$G/squares.c"
"$CHANLAB" --home "$H" check first-goroutine >"$TMP/out" 2>&1; rc=$?
is "$rc" 1 "the ten squares and a NUL: not passed, and chanlab does not crash (exit $rc)"
like "$(cat "$TMP/out")" "line 11: expected the end of the output, got '\\\\x00'" "the NUL is shown"
like "$("$CHANLAB" --home "$H" history first-goroutine)" "#1 .* fail +2/3 " "the attempt is recorded"
"$CHANLAB" --home "$H" show --verdict first-goroutine last >"$TMP/show" 2>&1
like "$(cat "$TMP/show")" "got '\\\\x00'" "show --verdict prints the stored verdict, the NUL shown"
like "$(cat "$TMP/show")" "      100
      \\\\x00" "and the output with it"

cp tests/hostile/title.c "$G/squares.c"
"$CHANLAB" --home "$H" check first-goroutine >"$TMP/out" 2>&1
shown "$TMP/out" "a program that sets the title and the alternate screen: check prints no ESC or BEL"
like "$(cat "$TMP/out")" "\\\\x1b\]0;pwned\\\\x07\\\\x1b\[\?1049h" "its output is shown escaped"
like "$(cat "$TMP/out")" "\\\\x1b\]2;pwned\\\\x07" "and so is its stderr"
"$CHANLAB" --home "$H" show --verdict first-goroutine last >"$TMP/show" 2>&1
shown "$TMP/show" "show --verdict prints no ESC or BEL"
like "$(cat "$TMP/show")" "got '\\\\x1b\]0;pwned\\\\x07" "and shows them escaped"

printf '/* \033]0;pwned\007 \033[?1049h */\n' >>"$G/squares.c"
"$CHANLAB" --home "$H" check first-goroutine >/dev/null 2>&1
"$CHANLAB" --home "$H" show first-goroutine last squares.c >"$TMP/show" 2>&1
shown "$TMP/show" "show of a learner file with escape sequences in it prints them escaped"
like "$(cat "$TMP/show")" "^/\* \\\\x1b\]0;pwned\\\\x07 \\\\x1b\[\?1049h \*/\$" "as \\x1b and \\x07"
"$CHANLAB" --home "$H" show first-goroutine last >"$TMP/show" 2>&1
is "$(cat "$TMP/show")" "squares.c" "show lists the files"
printf '/* \033[2J\007 */\n' >>"$G/squares.c"
"$CHANLAB" --home "$H" diff first-goroutine >"$TMP/diff" 2>&1
shown "$TMP/diff" "diff of learner files with escape sequences prints none raw"
like "$(cat "$TMP/diff")" "^\+/\* \\\\x1b\[2J\\\\x07 \*/\$" "it shows them escaped, the diff's lines as they were"
like "$(cat "$TMP/diff")" "^@@ .* @@" "and keeps its form"
"$CHANLAB" --home "$H" history first-goroutine >"$TMP/hist" 2>&1
shown "$TMP/hist" "history prints nothing raw"

# --- the shell -------------------------------------------------------------
cp tests/hostile/title.c "$G/squares.c"
"$CHANLAB" --home "$H" check first-goroutine >/dev/null 2>&1
title=$(tmux -f /dev/null new-session -d -s probe "sleep 60" \; display -p -t probe '#{pane_title}' 2>/dev/null)
tmux kill-session -t probe 2>/dev/null
start 100 40
see "first-goroutine" "the shell's home screen"
keys Enter
see "Last recorded check" "the exercise shows its last recorded check"
see '\\x1b\]0;pwned\\x07\\x1b\[\?1049h' "the recorded output is shown escaped in the shell"
{ cat tests/hostile/squares-nul.c; printf '/* \033]0;pwned\007 */\n'; } >"$G/squares.c"
see '  \\x00' "a save checks again: the NUL in the output shows as \\x00"
like "$screen" "got '\\\\x00'" "and in the message"
is "$(tmux display -p -t "$S" '#{pane_title}')" "$title" "the program did not change the terminal's title"
keys H
see "History of first-goroutine" "H shows the history"
keys Enter
see '^ *\+/\* \\x1b\]0;pwned\\x07 \*/' "its diff shows the escape sequence in the learner's file escaped"
keys Escape
gone "diff #" "Escape closes the diff"
keys Escape
see "Last recorded check|passed: |not passed yet" "Escape goes back to the exercise"
keys Escape
see "0 of [0-9]+ exercises passed" "and to the home screen"
keys q
see "chanlab-exited-0" "chanlab quits normally"
finish
