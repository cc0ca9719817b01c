#!/usr/bin/env bash
# Damage is reported, never replaced: a corrupt progress.db, a broken
# attempts repository, a database from a newer chanlab, a read-only home
# and a full disk each give a message naming the file and what to do, and
# the damaged file is left byte for byte as it was. Two chanlab processes
# on one home both record.
. tests/lib.sh
plan 36
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
