#!/usr/bin/env bash
# chanlab verify over the bundled pack (the expensive part of make test:
# builds are cached in $B/verify-home, so a second run compiles nothing),
# and over packs made to fail; chanlab new scaffolds an exercise that
# verifies once its solution is written.
. tests/lib.sh
plan 61
VH=$PWD/$B/verify-home

out=$("$CHANLAB" --home "$VH" verify --jobs=2 2>&1); rc=$?
is "$rc" 0 "the bundled pack verifies"
printf '%s\n' "$out" | sed 's/^/# /'
[ "$rc" = 0 ] || printf '%s\n' "$out" | grep -v '^ *instruments:' | sed 's/^/# /' >&2   # why, in CI's log
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
[ -f "$P/basics/running-total/wrong/off-by-one/running-total.c" ]; ok $? "and an example wrong solution"
grep -q 'headers = { "running-total.h" }' "$P/basics/running-total/exercise.lua" &&
	grep -q 'after = {}' "$P/basics/running-total/exercise.lua" &&
	grep -q 'starter_compiles = false' "$P/basics/running-total/exercise.lua"; ok $? "the script scaffolds the metadata fields"
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
is "$rc" 1 "before its solution is written, verify fails"
like "$out" "basics/running-total +ok +fails +0/5" "the starter fails and the solution does not pass yet"
like "$out" "exercises verified in [0-9.]+ s; not sound: basics/running-total" "the last line names the exercise that is not sound"
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
like "$out" "basics/running-total +ok +fails +5/5 +clean +clean +1/1 " "its wrong solution is caught"
printf '%s\n' "$out" | sed 's/^/# /'
# a wrong solution's check stops once it is caught as its marker says: a
# later step of the script (a debug build here) is never reached
sed -i 's|^  end,$|    c:run_tests(c:build{ harness = "running-total_test.c", flavour = "debug" }, { prefix = "debug: " })\n  end,|' \
	"$P/basics/running-total/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
debug_progs() { find "$TMP/h/build" -path "*running-total*$1*" -path '*/debug/*' -name 'prog[0-9]*' ! -name '*.*' | wc -l; }
[ "$rc" = 0 ] && [ "$(debug_progs solution)" -ge 1 ] && [ "$(debug_progs wrong/off-by-one)" = 0 ]
ok $? "a wrong solution's check stops once caught as marked (debug builds: solution $(debug_progs solution), wrong $(debug_progs wrong/off-by-one))" ||
	{ printf '%s\n' "$out"; find "$TMP/h/build" -name 'prog[0-9]*'; } | sed 's/^/# /'

"$CHANLAB" --home "$TMP/h" new --pack="$P" nosuchtrack/x 2>"$TMP/err"; rc=$?
is "$rc" 2 "new refuses a track the pack does not have"
like "$(cat "$TMP/err")" "no track 'nosuchtrack'" "and says so"

# A starter that already passes is a broken exercise.
cp "$P/basics/running-total/solution/running-total.c" "$P/basics/running-total/running-total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$P" 2>&1); rc=$?
is "$rc" 1 "a starter that passes fails verification"
like "$out" "the starter passes every test" "and verify says why"

# tests/packs/wrongs: a sound exercise with metadata and three wrong
# solutions (build at a line, test anywhere, timeout anywhere); each copy
# below breaks it in one way.
W=$TMP/wrongs
fresh() {
	rm -rf "$W" && cp -r "$PWD/tests/packs/wrongs" "$W"
	E=$W/basics/total
}
fresh
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 0 "a sound exercise with three wrong solutions verifies"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "basics/total +ok +fails +5/5 +clean +clean +3/3 +[0-9.]+ s" "the table counts the wrong solutions caught, with seconds"
like "$out" "starter fails: 1 of 3 tests — test ×1: [a-z_]+" "and says which tests the starter fails, and why"
like "$out" "median [0-9.]+ s per exercise" "and the median seconds per exercise"

like "$out" "instruments: normal leakcheck" "and which instruments its check uses"
# the harness is compiled once, for the starter's, the solution's and the
# three wrong solutions' builds alike
out=$("$CHANLAB" --home "$TMP/h3" verify "$W" 2>&1); rc=$?
is "$rc $(ls "$TMP/h3/build/verify/objects/normal" | grep -c '\.o$') $(find "$TMP/h3/build/verify" -name shared.objs | wc -l)" "0 1 0" \
	"one object of the harness serves every build of the exercise, and no build keeps one of its own"

fresh
sed -i 's/  check = function(c)/  hints = { { test = "severals", text = "a typo" }, "general" },\n  check = function(c)/' "$E/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 1 "a hint aimed at a test the check never declares fails verification"
like "$out" "hint 1 is aimed at test 'severals', which the check never declares" "and names the hint and the test"

fresh
printf '/* does not compile */\nlong total_sum(const int *xs, int n) { return 0 }\n' >"$E/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 1 "a starter that does not compile fails verification"
like "$out" "basics/total +ok +UNSOUND" "the table calls its starter unsound"
like "$out" "starter fails: 1 of 1 tests — build ×1: build \\(normal\\); unsound: the starter does not compile" "and says why"
sed -i 's/  time = 5,/  time = 5, starter_compiles = false,/' "$E/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 0 "unless the exercise says starter_compiles = false"

fresh
printf '/* implements nothing yet */\n#include "total.h"\n' >"$E/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 1 "a starter that fails only the build (a missing symbol) fails verification"
like "$out" "build ×1: build \\(normal\\); unsound: the starter does not compile" "as unsound"

fresh
sed -i 's/  after = {},/  after = { "nope" },/; s/headers = { "total.h" }/headers = { "total.h", "gone.h" }/' "$E/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 1 "an 'after' naming a missing exercise fails verification"
like "$out" "'after' names 'nope', which is not an exercise of the pack" "and says which"
like "$out" "header 'gone.h' is not a file" "a missing header is named too"

fresh
cp -r "$E" "$W/basics/second"
sed -i 's/  after = {},/  after = { "second" },/' "$E/exercise.lua"
sed -i 's/  after = {},/  after = { "total" },/' "$W/basics/second/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
is "$rc" 1 "a cycle of afters fails verification"
like "$out" "'after' makes a cycle: total -> second -> total" "and shows the cycle"

fresh
# a wrong solution that passes, one caught as another kind, one caught at
# another line, one with no marker
mkdir "$E/wrong/passes" "$E/wrong/unmarked"
sed 's|/\* total.c: the reference solution. \*/|/* Right after all. */ /* wrong: test anywhere */|' \
	"$E/solution/total.c" >"$E/wrong/passes/total.c"
sed 's|/\* wrong: test anywhere \*/||' "$E/wrong/off-by-one/total.c" >"$E/wrong/unmarked/total.c"
sed -i 's|wrong: timeout anywhere|wrong: crash anywhere|' "$E/wrong/forever/total.c"
sed -i 's| /\* wrong: build \*/||; s|long s = 0$|long s = 0 /* wrong: build */|' "$E/wrong/syntax/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify --jobs=2 "$W" 2>&1); rc=$?
is "$rc" 1 "wrong solutions not caught as marked fail verification"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "basics/total +ok +fails +5/5 +clean +clean +1/5 " "the table counts one of five caught"
like "$out" "wrong/passes: expected test \\(anywhere\\), got it passes every test" "a wrong solution that passes"
like "$out" "wrong/forever: expected crash \\(anywhere\\), got timeout" "one caught as another kind"
like "$out" "wrong/syntax: expected build at total.c:6, got build \\(total.c:8\\)" "one caught at another line"
like "$out" "wrong/unmarked: authoring error: has no marker" "one without a marker"
# one exercise alone checks its wrong solutions two at a time with
# --jobs=2: the same lines, in the same order, as one at a time
one=$("$CHANLAB" --home "$TMP/h" verify --jobs=1 "$W" 2>&1 | grep '^    wrong/')
two=$(printf '%s\n' "$out" | grep '^    wrong/')
is "$two" "$one" "wrong solutions checked two at a time are reported as one at a time, by name"
[ "$(printf '%s\n' "$one" | sed 's|: .*||' | sort -c && echo sorted)" = sorted ] && [ "$(printf '%s\n' "$one" | wc -l)" = 4 ]
ok $? "four misses, in name order"
printf '/* two */\n/* wrong: test */ /* wrong: build */\n' >"$E/wrong/unmarked/total.c"
printf '/* no such kind */ /* wrong: slow anywhere */\n' >"$E/wrong/passes/total.c"
printf '/* wrong: timeout anywhere */\n/* wrong: timeout anywhere */\n' >"$E/wrong/forever/total.c"
sed -i '8s|$| /* wrong: build */|' "$E/wrong/syntax/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "wrong/unmarked: authoring error: total.c:2: its marker differs from the first" "two different markers are an authoring error"
like "$out" "wrong/forever: authoring error: total.c:2: a marker .anywhere. stands alone" "so is 'anywhere' repeated"
printf '%s\n' "$out" | grep -q "wrong/syntax:"; [ $? = 1 ]; ok $? "a marker repeated on two lines is met at either"
like "$out" "wrong/passes: authoring error: total.c:1: 'slow' is not a failure kind" "so is an unknown kind"

# a mistake whose symptom depends on the run names each kind it is caught as
fresh
sed -i 's|wrong: timeout anywhere|wrong: crash or timeout anywhere|' "$E/wrong/forever/total.c"
sed -i 's|wrong: test anywhere|wrong: crash or slow anywhere|' "$E/wrong/off-by-one/total.c"
sed -i 's|wrong: build \*/|wrong: build or */|' "$E/wrong/syntax/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "basics/total +ok +fails +5/5 +clean +clean +1/3 " "a marker naming two kinds is met by either"
like "$out" "wrong/off-by-one: authoring error: total.c:8: 'slow' is not a failure kind" "each kind it names must be one"
like "$out" "wrong/syntax: authoring error: total.c:8: a marker must read" "and 'or' needs a kind after it"
sed -i 's|wrong: crash or slow anywhere|wrong: crash or timeout anywhere|' "$E/wrong/off-by-one/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
like "$out" "wrong/off-by-one: expected crash or timeout \\(anywhere\\), got test" "and a miss names every kind it expected"

# Where the policy's passes ran every test in the solution's first run,
# they stand for verify's asan and tsan checks; a wrong solution is still
# checked with the policy's passes (here one wrong only under TSan).
fresh
rm -r "$E/wrong"
mkdir -p "$E/wrong/tsan-only"
printf 'return { name = "wrongs", version = "1", format = 1, tracks = { "basics" },\n  defaults = { sanitizers = { "asan", "tsan" } } }\n' >"$W/pack.lua"
sed 's|return s;|return s; /* wrong: test anywhere */|; s|long s = 0;|long s = 0;\n#ifdef __SANITIZE_THREAD__\n\ts = 1;\n#endif|' \
	"$E/solution/total.c" >"$E/wrong/tsan-only/total.c"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
is "$rc" 0 "an exercise whose passes cover every test verifies"
like "$out" "basics/total +ok +fails +5/5 +clean +clean +1/1 " "and its wrong solution is caught by the policy's TSan pass"

# The policy's TSan pass in the solution's first run stands for verify's
# tsan check only when it ran every test: a case its `only` leaves out
# still runs under TSan (here one that fails only there).
fresh
rm -r "$E/wrong"
printf 'return { name = "wrongs", version = "1", format = 1, tracks = { "basics" },\n  defaults = { sanitizers = { "tsan" } } }\n' >"$W/pack.lua"
printf '\nCL_TEST(only_under_tsan) {\n#ifdef __SANITIZE_THREAD__\n\tCL_EXPECT_INT(1, 2);\n#endif\n}\n' >>"$E/total_test.c"
sed -i 's|c:run_tests(t, { timeout = 2 })|c:run_tests(t, { timeout = 2, tsan = { only = { "empty" } } })|' "$E/exercise.lua"
out=$("$CHANLAB" --home "$TMP/h" verify "$W" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
is "$rc" 1 "a case the TSan pass leaves out still runs in verify's tsan check"
like "$out" "basics/total +ok +fails +5/5 +clean +DIRTY" "and fails it there"
finish
