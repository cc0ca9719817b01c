#!/usr/bin/env bash
# Symbolic links in the learner's folder: restore and reset write regular
# files inside the work folder only, never through a link (a linked folder
# or file is refused, naming it, and nothing outside is written); a
# snapshot stores a link as a link, never what it points at.
. tests/lib.sh
plan 25
EX=first-goroutine
SRC=exercises/concurrency/first-goroutine
H=$TMP/home
W=$H/work/$EX
OUT=$TMP/outside
sum() { md5sum <"$1"; }
listing() { (cd "$1" && find . | sort); }

# #1 holds squares.c and sub/inner.c; the reset leaves the starter.
mkdir -p "$W/sub" "$OUT"
cp "$SRC/squares.c" "$W/"
echo "/* inner */" >"$W/sub/inner.c"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null; is $? 0 "a reset saves #1 (with a sub-folder)"
echo "/* outside, not chanlab's */" >"$OUT/keep.c"

# A sub-folder replaced by a link to a folder outside.
rmdir "$W/sub" 2>/dev/null || rm -rf "$W/sub"
ln -s "$OUT" "$W/sub"
before=$(listing "$OUT")
out=$("$CHANLAB" --home "$H" restore "$EX" 1 2>&1); rc=$?
is $rc 3 "restore through a linked folder: refused (exit 3)"
like "$out" "'$EX/sub' in your work folder is a symbolic link" "naming the link: $(printf '%s' "$out" | head -1 | cut -c1-160)"
[ ! -e "$OUT/inner.c" ]; ok $? "nothing is written through it"
is "$(listing "$OUT")" "$before" "the folder outside is as it was"
[ -L "$W/sub" ]; ok $? "and the link is left as it is"
rm "$W/sub"
"$CHANLAB" --home "$H" restore "$EX" 1 >/dev/null; is $? 0 "without the link the restore works"
grep -q inner "$W/sub/inner.c"; ok $? "and brings sub/inner.c back"

# The exercise's folder itself a link.
"$CHANLAB" --home "$H" reset "$EX" >/dev/null
mv "$W" "$TMP/real"
ln -s "$TMP/real" "$W"
before=$(listing "$TMP/real")
out=$("$CHANLAB" --home "$H" restore "$EX" 1 2>&1); rc=$?
is $rc 3 "restore into a linked exercise folder: refused"
like "$out" "'$EX' in your work folder is a symbolic link" "naming it: $(printf '%s' "$out" | head -1 | cut -c1-160)"
is "$(listing "$TMP/real")" "$before" "nothing is written through it"
out=$("$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
is $rc 3 "a reset is refused the same way"
is "$(listing "$TMP/real")" "$before" "and writes nothing either"
rm "$W"; mv "$TMP/real" "$W"

# A learner file that is a link to a file outside.
echo "/* precious */" >"$OUT/target.c"
rm "$W/squares.c"
ln -s "$OUT/target.c" "$W/squares.c"
before=$(sum "$OUT/target.c")
out=$("$CHANLAB" --home "$H" restore "$EX" 1 2>&1); rc=$?
is $rc 3 "restore over a linked file: refused"
like "$out" "'$EX/squares.c' in your work folder is a symbolic link" "naming it: $(printf '%s' "$out" | head -1 | cut -c1-160)"
is "$(sum "$OUT/target.c")" "$before" "the file it points at is untouched"
[ -L "$W/squares.c" ]; ok $? "and the link stays"

# A snapshot stores the link itself: a link to /etc/passwd puts the path,
# not the passwords file, in the attempts repository. (The reset removes
# the link, which is not a starter file: removing a link writes nothing.)
rm -f "$W/squares.c"; cp "$SRC/squares.c" "$W/"
ln -s /etc/passwd "$W/pw.c"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null; is $? 0 "a reset with a linked file beside the starter's works"
mode=$(git -C "$H/work" ls-tree HEAD "$EX/pw.c" | cut -d' ' -f1)
is "$mode" 120000 "the save holds the link as a link"
is "$(git -C "$H/work" cat-file -p "HEAD:$EX/pw.c")" "/etc/passwd" "holding the path it points at, not the file's content"
git -C "$H/work" grep -q "root:" HEAD -- "$EX" 2>/dev/null; ok $((!$?)) "no line of /etc/passwd is in the snapshot"
[ ! -e "$W/pw.c" ] && [ -s /etc/passwd ]; ok $? "the link is gone from the folder, its target untouched"

# An attempt that holds a link is not restored as a file.
last=$("$CHANLAB" --home "$H" history "$EX" | grep -c .)
before=$(listing "$W")
out=$("$CHANLAB" --home "$H" restore "$EX" "$last" 2>&1); rc=$?
is $rc 3 "restoring an attempt that holds a link: refused"
like "$out" "holds '$EX/pw.c' as a symbolic link" "saying so: $(printf '%s' "$out" | head -1 | cut -c1-160)"
is "$(listing "$W")" "$before" "and the folder is left as it was"
finish
