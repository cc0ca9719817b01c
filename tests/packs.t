#!/usr/bin/env bash
# Packs from anywhere: a pack made here is checked, verified and listed from
# a relative path, an absolute one, another working directory, CHANLAB_PATH
# and $XDG_DATA_HOME/chanlab/packs; a found pack's exercises are recorded
# as PACK:ID, apart from the bundled pack's and from each other.
. tests/lib.sh
plan 38
unset CHANLAB_PATH
export XDG_DATA_HOME=$TMP/no-packs   # no packs of the machine's own

. tests/packfix.sh
mkpack "$TMP/src/mine" mine
solve() { cp "$TMP/src/mine/counting/tally/solution/tally.c" "$1/work/$2/tally.c"; }

# check --pack: relative, absolute, from another folder
H=$TMP/h1
out=$(cd "$TMP/src" && "$CHANLAB" --home "$H" check --pack=mine tally 2>&1); rc=$?
is "$rc" 1 "check --pack=RELATIVE builds the starter (which fails its test)"
like "$out" "adds_up" "and runs the harness that includes the instructor's header"
solve "$H" tally
out=$(cd "$TMP/src/mine" && "$CHANLAB" --home "$H" check --pack=. tally 2>&1); rc=$?
is "$rc" 0 "check --pack=. passes once solved"
! printf '%s\n' "$out" | grep -q "No such file"; ok $? "no missing header"
like "$out" "your files: $H/work/tally" "the learner's folder, as an author checks it"
out=$(cd / && "$CHANLAB" --home "$H" check --pack "$TMP/src/mine" tally 2>&1); rc=$?
is "$rc" 0 "check --pack ABSOLUTE from another folder"
out=$(cd "$TMP" && "$CHANLAB" --home "$H" --pack=src/mine history tally 2>&1); rc=$?
is "$rc" 0 "history --pack=RELATIVE"
[ "$(printf '%s\n' "$out" | grep -c '^#')" = 3 ]; ok $? "three attempts, whichever way the pack was named"

# verify: PACK, PACK ID, --pack=DIR, --pack=DIR ID
VH=$TMP/vh
out=$(cd "$TMP/src/mine" && "$CHANLAB" --home "$VH" verify --jobs=1 . 2>&1); rc=$?
is "$rc" 0 "verify . from inside the pack"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "counting/tally +ok +fails +5/5" "and the exercise is sound"
out=$(cd "$TMP/src" && "$CHANLAB" --home "$VH" verify --jobs=1 --pack=mine 2>&1); rc=$?
is "$rc" 0 "verify --pack=RELATIVE"
out=$(cd "$TMP/src" && "$CHANLAB" --home "$VH" verify --jobs=1 mine tally 2>&1); rc=$?
is "$rc" 0 "verify PACK ID"
like "$out" "1 of 1 exercises verified" "verifies that one exercise"
out=$(cd / && "$CHANLAB" --home "$VH" verify --jobs=1 --pack="$TMP/src/mine" tally 2>&1); rc=$?
is "$rc" 0 "verify --pack=ABSOLUTE ID from another folder"
"$CHANLAB" --home "$VH" verify "$TMP/src/mine" nosuch >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 2 "verify PACK ID refuses an id the pack lacks"

# list, export with --pack; export's track column
out=$(cd "$TMP/src" && "$CHANLAB" --home "$H" list --pack=mine 2>&1); rc=$?
is "$rc" 0 "list --pack"
like "$out" "^counting +tally +passed +Tally the numbers" "lists the pack's exercise, passed"
out=$(cd "$TMP/src" && "$CHANLAB" --home "$H" export --pack=mine 2>&1)
like "$out" "^tally,counting,passed,3," "export --pack: the exercise with its track"
out=$("$CHANLAB" --home "$H" export 2>&1)
like "$out" "concurrency,new" "without the pack, export still lists the bundled pack"

# CHANLAB_PATH: a pack, or a folder of packs; the bundled ids stay as they are
out=$(CHANLAB_PATH=$TMP/src/mine "$CHANLAB" --home "$H" list 2>&1)
like "$out" "mine:tally +new" "CHANLAB_PATH=PACK: list shows its exercise by its key"
like "$out" "concurrency +first-goroutine" "beside the bundled pack's, ids as they are"
out=$(CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$H" check mine/tally 2>&1); rc=$?
is "$rc" 1 "check PACK/ID through CHANLAB_PATH=FOLDER-OF-PACKS"
like "$out" "your files: $H/work/mine:tally" "the learner's folder is keyed by the pack"
solve "$H" mine:tally
out=$(cd / && CHANLAB_PATH=/nonexistent:$TMP/src "$CHANLAB" --home "$H" check tally 2>&1); rc=$?
is "$rc" 0 "check by the bare id, from another folder"
out=$(CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$H" history mine:tally 2>&1); rc=$?
is "$rc" 0 "history PACK:ID"
[ "$(printf '%s\n' "$out" | grep -c '^#')" = 2 ]; ok $? "two attempts, apart from the three made with --pack"
out=$(CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$VH" verify --jobs=1 "$TMP/src/mine" tally 2>&1); rc=$?
is "$rc" 0 "verify PACK ID with the pack on CHANLAB_PATH too"
out=$(cd / && CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$VH" verify --jobs=1 mine tally 2>&1); rc=$?
is "$rc $(printf '%s\n' "$out" | tail -1 | sed 's/ in [0-9.]* s.*//')" "0 1 of 1 exercises verified" "verify NAME ID finds the pack on CHANLAB_PATH by its name, from anywhere"

# XDG_DATA_HOME/chanlab/packs; two packs with one exercise id stay apart
X=$TMP/xdg
mkpack "$X/chanlab/packs/other" other
out=$(XDG_DATA_HOME=$X CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$H" list 2>&1)
like "$out" "other:tally +new" "XDG_DATA_HOME/chanlab/packs: its pack is listed, new"
like "$out" "mine:tally +passed" "and the other pack's exercise of the same id keeps its own record"
out=$(XDG_DATA_HOME=$X "$CHANLAB" --home "$H" check other:tally 2>&1); rc=$?
is "$rc" 1 "check PACK:ID of a pack found in XDG_DATA_HOME"
out=$(XDG_DATA_HOME=$X CHANLAB_PATH=$TMP/src "$CHANLAB" --home "$H" export 2>&1)
like "$out" "other:tally,counting,failing,1," "export: each pack's exercise with its track and its own record"
like "$out" "mine:tally,counting,passed,2," "the other's record untouched"
out=$(XDG_DATA_HOME=$X "$CHANLAB" --home "$H" export 2>&1)
like "$out" "mine:tally,,passed" "a recorded exercise whose pack is not found is still exported"

# a folder that is not a pack, said plainly
"$CHANLAB" --home "$H" --pack "$TMP/nowhere" list >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 3 "--pack of a missing folder fails"
like "$(cat "$TMP/err")" "cannot use '$TMP/nowhere' as a pack" "and says which"
(cd "$TMP" && "$CHANLAB" --home "$H" list --pack=src >/dev/null 2>"$TMP/err"); rc=$?
is "$rc" 3 "--pack of a folder with no pack.lua fails"
like "$(cat "$TMP/err")" "'src' is not a pack: it has no pack.lua" "and says why"
finish
