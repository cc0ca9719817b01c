#!/usr/bin/env bash
# Damage is reported, never replaced: a corrupt progress.db, a broken
# attempts repository, a database from a newer chanlab, a read-only home
# and a full disk each give a message naming the file and what to do, and
# the damaged file is left byte for byte as it was. Two chanlab processes
# on one home both record.
. tests/lib.sh
plan 80
EX=first-goroutine
SRC=exercises/concurrency/first-goroutine

fresh() {   # fresh HOME: a home with one recorded attempt (a reset: no runtime needed)
	mkdir -p "$1/work/$EX"
	cp "$SRC/squares.c" "$1/work/$EX/"
	echo "/* edited */" >>"$1/work/$EX/squares.c"
	"$CHANLAB" --home "$1" reset "$EX" >/dev/null
}
sum() { md5sum <"$1"; }
skip() { for _ in $(seq "$1"); do n=$((n + 1)); echo "ok $n # SKIP $2"; done; }

# A file that is not a database.
H=$TMP/garbage; fresh "$H"
printf 'somebody else'\''s notes, not a database\n%.0s' $(seq 200) >"$H/progress.db"
rm -f "$H/progress.db-wal" "$H/progress.db-shm"
before=$(sum "$H/progress.db")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a garbage progress.db: chanlab exits 3"
like "$out" "'$H/progress.db' is not a chanlab progress database or is damaged" "naming the file"
like "$out" "move it aside" "and saying what to do"
is "$(sum "$H/progress.db")" "$before" "the file is left as it was"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null 2>&1; is $? 3 "writing commands refuse too"
is "$(sum "$H/progress.db")" "$before" "and leave it as it was"

# A real database with a damaged page.
H=$TMP/page; fresh "$H"
for i in 1 2 3; do echo "/* $i */" >>"$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" reset "$EX" >/dev/null; done
sqlite3 "$H/progress.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
pages=$(( $(stat -c %s "$H/progress.db") / 4096 ))
for p in $(seq 1 $((pages - 1))); do
	printf 'GARBAGE%.0s' $(seq 500) | dd of="$H/progress.db" bs=1 seek=$((p * 4096 + 8)) conv=notrunc status=none
done
before=$(sum "$H/progress.db")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a database with damaged pages: chanlab exits 3"
like "$out" "$H/progress.db" "naming the file: $(printf '%s' "$out" | head -1)"
like "$out" "damaged|malformed" "and what is wrong"
is "$(sum "$H/progress.db")" "$before" "the file is left as it was"

# A database from a newer chanlab.
H=$TMP/newer; fresh "$H"
sqlite3 "$H/progress.db" "PRAGMA user_version = 99"
before=$(sum "$H/progress.db")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1)
like "$out" "progress.db' was written by a newer chanlab \(schema 99" "a newer schema is named, not downgraded"
is "$(sum "$H/progress.db")" "$before" "and left as it was"

# A broken attempts repository.
H=$TMP/repo; fresh "$H"
echo "not a ref at all" >"$H/work/.git/HEAD"
before=$(sum "$H/work/.git/HEAD")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a broken work/.git: chanlab exits 3"
like "$out" "attempts repository (is|may be) damaged.*left as it is.*move .*aside" "saying what to do"
like "$out" "$H/work/.git" "naming it"
is "$(sum "$H/work/.git/HEAD")" "$before" "and it is left as it was"
H=$TMP/objects; fresh "$H"
obj=$(git -C "$H/work" rev-parse HEAD)
chmod u+w "$H/work/.git/objects/${obj:0:2}/${obj:2}"
mv "$H/work/.git/objects/${obj:0:2}/${obj:2}" "$TMP/missing-object"
echo "/* more */" >>"$H/work/$EX/squares.c"
before=$(sum "$H/work/$EX/squares.c")
out=$("$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
is $rc 3 "a repository missing its last commit: a reset refuses"
like "$out" "work" "naming the repository: $(printf '%s' "$out" | head -1)"
is "$(sum "$H/work/$EX/squares.c")" "$before" "and the learner's file is untouched"

# A loose object cut short: libgit2 1.5 would inflate it forever, so
# chanlab reads loose objects itself, in bounded time, and names the
# damage; every later command says the same, and nothing is changed.
H=$TMP/cut; fresh "$H"
obj=$(git -C "$H/work" rev-parse HEAD)
f=$H/work/.git/objects/${obj:0:2}/${obj:2}
chmod u+w "$f"; truncate -s $(( $(stat -c %s "$f") / 2 )) "$f"
before=$(sum "$f")
echo "/* the learner's edit */" >>"$H/work/$EX/squares.c"
mine=$(sum "$H/work/$EX/squares.c")
out=$(timeout 30 "$CHANLAB" --home "$H" check "$EX" 2>&1); rc=$?
is $rc 3 "a commit cut short: a check ends at once and exits 3 (not a hang)"
like "$out" "object $obj .*is damaged: the file ends before the object does" "naming the object and the damage: $(printf '%s' "$out" | head -1)"
like "$out" "work/.git and progress.db aside.*Recovering" "and saying what to do"
out2=$(timeout 30 "$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "the next command refuses too"
like "$out2" "object $obj .*is damaged" "saying the same"
is "$(sum "$f")" "$before" "the object is left as it was"
is "$(sum "$H/work/$EX/squares.c")" "$mine" "and the learner's file is untouched"
# A file of an older attempt cut short: showing it ends, naming it.
H=$TMP/cutblob; fresh "$H"
echo "/* two */" >>"$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" reset "$EX" >/dev/null
blob=$(git -C "$H/work" rev-parse "HEAD~1:$EX/squares.c")
f=$H/work/.git/objects/${blob:0:2}/${blob:2}
chmod u+w "$f"; truncate -s $(( $(stat -c %s "$f") - 6 )) "$f"
out=$(timeout 30 "$CHANLAB" --home "$H" show "$EX" 1 squares.c 2>&1); rc=$?
is $rc 3 "a file of attempt #1 cut short: show ends and exits 3"
like "$out" "object $blob .*is damaged" "naming the object: $(printf '%s' "$out" | tail -1 | cut -c1-150)"
# The same in the last attempt: a check refuses before it runs (its commit
# would name the damaged file again).
git -C "$H/work" cat-file -p "HEAD:$EX/squares.c" >/dev/null 2>&1
blob=$(git -C "$H/work" rev-parse "HEAD:$EX/squares.c")
f=$H/work/.git/objects/${blob:0:2}/${blob:2}
chmod u+w "$f"; truncate -s $(( $(stat -c %s "$f") - 6 )) "$f"
head_before=$(git -C "$H/work" rev-parse HEAD)
out=$(timeout 30 "$CHANLAB" --home "$H" check "$EX" 2>&1); rc=$?
is $rc 3 "a file of the last attempt cut short: a check refuses"
like "$out" "object $blob .*is damaged" "naming it: $(printf '%s' "$out" | head -1 | cut -c1-150)"
is "$(git -C "$H/work" rev-parse HEAD)" "$head_before" "and records nothing on top of it"

# A deleted tree object: reported at once, not built upon.
H=$TMP/tree; fresh "$H"
tree=$(git -C "$H/work" rev-parse "HEAD:$EX")
rm -f "$H/work/.git/objects/${tree:0:2}/${tree:2}"
head_before=$(git -C "$H/work" rev-parse HEAD)
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a folder of the last attempt missing: chanlab exits 3"
like "$out" "damaged: the folder '$EX' of the last attempt \(object $tree\) is missing" "saying so in plain words: $(printf '%s' "$out" | head -1 | cut -c1-160)"
echo "/* more */" >>"$H/work/$EX/squares.c"
mine=$(sum "$H/work/$EX/squares.c")
"$CHANLAB" --home "$H" reset "$EX" >/dev/null 2>&1; is $? 3 "a reset refuses"
is "$(git -C "$H/work" rev-parse HEAD)" "$head_before" "nothing is committed on top of the damage"
is "$(sum "$H/work/$EX/squares.c")" "$mine" "and the learner's file is untouched"

# progress.db emptied (0 bytes): set aside, named for when and why, and
# rebuilt from the attempts repository, saying so.
H=$TMP/empty; fresh "$H"
echo "/* two */" >>"$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" reset "$EX" >/dev/null
: >"$H/progress.db"; rm -f "$H/progress.db-wal" "$H/progress.db-shm"
"$CHANLAB" --home "$H" history "$EX" >"$TMP/out" 2>"$TMP/err"; rc=$?
is $rc 0 "an empty progress.db: chanlab recovers"
like "$(cat "$TMP/err")" "^chanlab: progress.db was empty: it was set aside as '$H/progress.db\.set-aside-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-empty'; rebuilt 2 attempts from the attempts repository" "and says so on stderr: $(head -1 "$TMP/err" | cut -c1-150)"
like "$(cat "$TMP/err")" "hints .*could not be recovered" "saying what could not be recovered"
aside=$(ls "$H" | grep -c '^progress\.db\.set-aside-.*-empty$')
is "$aside" 1 "the empty file is kept beside it"
is "$(grep -c '^#[12] .* saved ' "$TMP/out")" 2 "the history is rebuilt"
rows=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY commit_id")
is "$rows" "$(git -C "$H/work" log --format=%H --grep='^Chanlab-Exercise: ' | sort)" "one row per commit, none invented"
"$CHANLAB" --home "$H" history "$EX" 2>&1 >/dev/null | grep -q .; ok $((!$?)) "the next command has nothing to say"
# Three chanlabs starting at once on an emptied progress.db: one rebuilds it.
: >"$H/progress.db"; rm -f "$H/progress.db-wal" "$H/progress.db-shm"
for i in 1 2 3; do "$CHANLAB" --home "$H" history "$EX" >/dev/null 2>"$TMP/race.$i" & done; wait
is "$(cat "$TMP"/race.* | grep -c 'was empty')" 1 "three chanlabs at once on an emptied progress.db: one rebuilds it, and says so"
is "$(ls "$H" | grep -c '^progress\.db\.set-aside-.*-empty')" 2 "setting aside only the empty file (one more beside the first)"
rows=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY commit_id")
is "$rows" "$(git -C "$H/work" log --format=%H --grep='^Chanlab-Exercise: ' | sort)" "and rows and commits still match"

# progress.db deleted: rebuilt, saying so; stale -wal/-shm files are kept aside.
H=$TMP/deleted; fresh "$H"
echo "/* two */" >>"$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" reset "$EX" >/dev/null
rm -f "$H/progress.db"
"$CHANLAB" --home "$H" history "$EX" >"$TMP/out" 2>"$TMP/err"; rc=$?
is $rc 0 "a deleted progress.db: chanlab recovers"
like "$(cat "$TMP/err")" "^chanlab: progress.db was missing: rebuilt 2 attempts from the attempts repository" "and says so: $(head -1 "$TMP/err" | cut -c1-150)"
is "$(grep -c '^#[12] .* saved ' "$TMP/out")" 2 "the history is rebuilt"

# work/.git deleted while progress.db lists attempts kept there: refused,
# nothing made, nothing changed.
H=$TMP/nogit; fresh "$H"
rm -rf "$H/work/.git"
before=$(sum "$H/progress.db")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a deleted work/.git: chanlab exits 3"
like "$out" "'$H/work/.git' is missing, but progress.db lists 1 attempt" "saying what is wrong: $(printf '%s' "$out" | head -1 | cut -c1-150)"
like "$out" "put it back; to start a new history, move progress.db aside" "and what to do"
echo "/* more */" >>"$H/work/$EX/squares.c"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null 2>&1; is $? 3 "a reset refuses too"
[ ! -e "$H/work/.git" ]; ok $? "no new repository is made over the old history"
is "$(sum "$H/progress.db")" "$before" "and progress.db is left as it was"

# The whole work folder gone: a new one is made, and that is said.
H=$TMP/nowork; fresh "$H"
rm -rf "$H/work"
"$CHANLAB" --home "$H" history "$EX" >"$TMP/out" 2>"$TMP/err"; rc=$?
is $rc 0 "a deleted work folder: chanlab goes on"
like "$(cat "$TMP/err")" "^chanlab: the work folder '$H/work' was missing: a new one was made.*lists 1 earlier attempt whose files went with the old folder" \
	"saying what it made and what is lost: $(head -1 "$TMP/err" | cut -c1-150)"
is "$(grep -c '^#1 ' "$TMP/out")" 1 "the history still lists the old attempt"

# A damaged last page of progress.db (here an index no command reads):
# found by an integrity check at open, since the file changed behind
# chanlab's back.
H=$TMP/lastpage; fresh "$H"
for i in 1 2 3; do echo "/* $i */" >>"$H/work/$EX/squares.c"; "$CHANLAB" --home "$H" reset "$EX" >/dev/null; done
sqlite3 "$H/progress.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
pages=$(( $(stat -c %s "$H/progress.db") / 4096 ))
printf 'GARBAGE!%.0s' $(seq 512) | dd of="$H/progress.db" bs=4096 seek=$((pages - 1)) count=1 conv=notrunc status=none
before=$(sum "$H/progress.db")
out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
is $rc 3 "a damaged last page: chanlab exits 3"
like "$out" "'$H/progress.db' is damaged .*[Pp]age $pages" "naming the file and the page: $(printf '%s' "$out" | head -1 | cut -c1-160)"
like "$out" "left as it is: move it aside" "and what to do"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null 2>&1; is $? 3 "a reset refuses too"
is "$(sum "$H/progress.db")" "$before" "and the file is left as it was"

# A read-only home, and a full disk (a small tmpfs; needs root to mount).
M=$TMP/mnt
mkdir -p "$M"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m tmpfs "$M" 2>/dev/null; then
	H=$M/home; fresh "$H"
	mount -o remount,ro "$M"
	out=$("$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
	is $rc 3 "a read-only home: a reset exits 3"
	like "$out" "$H.*(writable|Read-only)" "naming the place and what to do: $(printf '%s' "$out" | head -1)"
	out=$("$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
	is $rc 0 "the history can still be read"
	mount -o remount,rw "$M"
	echo "/* the learner's last edit */" >>"$H/work/$EX/squares.c"
	before=$(sum "$H/work/$EX/squares.c")
	dd if=/dev/zero of="$M/filler" bs=64k status=none 2>/dev/null
	out=$("$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
	is $rc 3 "a full disk: a reset exits 3"
	like "$out" "disk is full: free some space" "saying what to do: $(printf '%s' "$out" | head -1)"
	is "$(sum "$H/work/$EX/squares.c")" "$before" "and the learner's file is untouched"
	umount "$M"
else
	skip 6 "read-only and full disk need root to mount a tmpfs"
fi

# A home the learner may not write (permissions): browsing works, writing
# says what to do. Root ignores permissions, so root runs chanlab in a user
# namespace, where it is nobody.
H=$TMP/perm; fresh "$H"
as_user=
if [ "$(id -u)" = 0 ]; then
	unshare --user true 2>/dev/null && as_user="unshare --user" && chmod 755 "$TMP"
else
	as_user=" "
fi
if [ -n "$as_user" ]; then
	chmod -R a-w "$H"
	before=$(sum "$H/work/$EX/squares.c")
	out=$($as_user "$CHANLAB" --home "$H" history "$EX" 2>&1); rc=$?
	is $rc 0 "a home without write permission: the history can be read"
	out=$($as_user "$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
	is $rc 3 "a reset exits 3"
	like "$out" "$H.*make it writable" "naming the place and what to do: $(printf '%s' "$out" | head -1)"
	is "$(sum "$H/work/$EX/squares.c")" "$before" "and the learner's file is untouched"
	chmod -R u+w "$H"
else
	skip 4 "no way to run as an unprivileged user here"
fi

# A file size limit (as a quota would set): SQLite cannot grow its files.
H=$TMP/quota; fresh "$H"
echo "/* the learner's edit */" >>"$H/work/$EX/squares.c"
before=$(sum "$H/work/$EX/squares.c")
out=$(trap '' XFSZ; ulimit -f 4; "$CHANLAB" --home "$H" reset "$EX" 2>&1); rc=$?
is $rc 3 "a file size limit: a reset exits 3"
like "$out" "progress.db.*file size limit" "naming the database and the limit: $(printf '%s' "$out" | head -1)"
is "$(sum "$H/work/$EX/squares.c")" "$before" "the learner's file is untouched"
"$CHANLAB" --home "$H" reset "$EX" >/dev/null; is $? 0 "without the limit the reset works"
git -C "$H/work" grep -q "the learner's edit" HEAD -- "$EX"
ok $? "and the edit is kept in the save"

# Two chanlab processes on one home.
H=$TMP/two; fresh "$H"
for i in 1 2 3 4; do
	( for j in 1 2 3; do "$CHANLAB" --home "$H" reset "$EX" >/dev/null || echo fail; \
	  echo "/* $i $j */" >>"$H/work/$EX/squares.c"; done ) >"$TMP/two.$i" 2>&1 &
done
wait
is "$(cat "$TMP"/two.*)" "" "four chanlab processes write to one home without an error"
rows=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY commit_id")
commits=$(git -C "$H/work" log --format=%H --grep='^Chanlab-Exercise: ' | sort)
is "$rows" "$commits" "and every commit has its row"
finish
