#!/usr/bin/env bash
# chanlab verify over the bundled pack (the expensive part of make test:
# builds are cached in $B/verify-home, so a second run compiles nothing),
# and over packs made to fail; chanlab new scaffolds an exercise that
# verifies once its solution is written.
. tests/lib.sh
plan 17
VH=$PWD/$B/verify-home

out=$("$CHANLAB" --home "$VH" verify 2>&1); rc=$?
is "$rc" 0 "the bundled pack verifies"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "concurrency/first-goroutine +ok +fails +5/5 +clean +clean" "a row per exercise: loads, starter fails, solution 5/5, asan, tsan"
sound=$(printf '%s\n' "$out" | grep -cE '^(concurrency|memory|profiling)/[a-z-]+ +ok +fails +5/5 +clean +clean')
[ "$sound" -ge 6 ]; ok $? "every bundled exercise is sound ($sound)"
for track in concurrency memory profiling; do
	[ "$(printf '%s\n' "$out" | grep -c "^$track/")" -ge 2 ]; ok $? "the $track track has at least two exercises"
done

out=$("$CHANLAB" --home "$VH" verify list-remove 2>&1); rc=$?
is "$rc" 0 "one exercise verifies by id"
[ "$(printf '%s\n' "$out" | grep -c '^memory/')" = 1 ]; ok $? "and only that one"

# A scaffold from chanlab new: the starter fails, the solution is not written yet.
P=$TMP/pack
mkdir -p "$P"
printf 'return { name = "mine", version = "1", format = 1, tracks = { "basics" } }\n' >"$P/pack.lua"
out=$("$CHANLAB" --home "$TMP/h" new --pack="$P" basics/running-total 2>&1); rc=$?
is "$rc" 0 "chanlab new scaffolds an exercise"
[ -f "$P/basics/running-total/exercise.lua" ] && [ -f "$P/basics/running-total/running-total_test.c" ] &&
	[ -f "$P/basics/running-total/solution/running-total.c" ]; ok $? "with a script, a harness and solution/"
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
is "$rc" 1 "before its solution is written, verify fails"
like "$out" "basics/running-total +ok +fails +0/5" "the starter fails and the solution does not pass yet"
cat >"$P/basics/running-total/solution/running-total.c" <<'C'
#include "running-total.h"
long running_total_sum(const int *xs, int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += xs[i];
	return s;
}
C
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
is "$rc" 0 "once the solution is written the scaffold verifies"
printf '%s\n' "$out" | sed 's/^/# /'

"$CHANLAB" --home "$TMP/h" new --pack="$P" nosuchtrack/x 2>"$TMP/err"; rc=$?
is "$rc" 2 "new refuses a track the pack does not have"
like "$(cat "$TMP/err")" "no track 'nosuchtrack'" "and says so"

# A starter that already passes is a broken exercise.
cp "$P/basics/running-total/solution/running-total.c" "$P/basics/running-total/running-total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
is "$rc" 1 "a starter that passes fails verification"
like "$out" "the starter passes every test" "and verify says why"
finish
