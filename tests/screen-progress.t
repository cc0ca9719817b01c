#!/usr/bin/env bash
# Progressive verdicts: `check --json --stream` prints each test as soon as
# it is done, then the whole result; the shell shows the tests that are
# done while the rest still run (the normal pass before the slow case),
# then the verdict.
. tests/lib.sh
. tests/screen.sh
plan 15
P=$TMP/pack
X=$P/conc/slow
mkdir -p "$X/solution"
printf 'return { name = "progress", version = "1", format = 1, tracks = { "conc" },\n  defaults = { sanitizers = { "asan" } } }\n' >"$P/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Slow", track = "conc", difficulty = 1, files = { "sum.c" }, headers = { "sum.h" },
  text = "# Slow\n\nOne quick test, one slow one.",
  hints = { "Add them.", { test = "quick", text = "QUICK-HINT: the quick case adds 2 and 1." }, "Return it." },
  check = function(c)
    c:run_tests(c:build{ harness = "sum_test.c" }, { timeout = 30 })
  end,
}
LUA
printf 'int sum(int a, int b);\n' >"$X/sum.h"
printf '#include "sum.h"\nint sum(int a, int b) { return a - b; }\n' >"$X/sum.c"
printf '#include "sum.h"\nint sum(int a, int b) { return a + b; }\n' >"$X/solution/sum.c"
cat >"$X/sum_test.c" <<'C'
#include <chanlab_test.h>
#include "sum.h"

CL_TEST(quick) {
	CL_EXPECT_INT(sum(2, 1), 3);
}

CL_TEST(slow) {
	go_sleep(4 * GO_SECOND);
	CL_EXPECT_INT(sum(2, 2), 4);
}
C

"$CHANLAB" --home "$TMP/h" check --json --stream --pack="$P" slow >"$TMP/out" 2>"$TMP/err"
tests=$(grep '^{"event":"test"' "$TMP/out")
like "$(printf '%s\n' "$tests" | head -n1)" '^\{"event":"test","test":\{"name":"build \(normal\)",' "--stream prints the build's test first"
like "$(printf '%s\n' "$tests" | sed -n 2p)" '^\{"event":"test","test":\{"name":"quick","status":"fail",' "then each test as it is done"
like "$(tail -n1 "$TMP/out")" '^\{"version":2,"exercise":"slow","status":"fail",.*"name":"slow"' "and the whole result last"
# each pass over the tests says when it starts and ends, its tests before its end
events=$(grep -o '^{"event":"pass","pass":"[A-Za-z]*","running":[a-z]*}\|^{"event":"test","test":{"name":"[a-z]*\( (ASan)\)\?"' "$TMP/out" | tr '\n' ' ')
like "$events" '"pass":"ASan","running":true\} .*"pass":"normal","running":true\} .*"name":"quick" .*"name":"slow" .*"pass":"normal","running":false\}' \
	"the main pass starts, with the sanitizer pass beside it, and ends after its tests"
like "$events" '"name":"slow \(ASan\)" \{"event":"pass","pass":"ASan","running":false\}' "the ASan pass ends after its tests"

ARGS="--pack $P" start 100 30
see "slow" "the home screen"
keys Enter
see "One quick test, one slow one" "the exercise opens"
keys c
see "checking: 1 of 2 tests so far passed, more to come from ASan, normal" "while the slow case runs, the build and the quick case show, with the passes still running" 20
like "$screen" "checking slow [0-9.]+ s: ASan, normal" "the spinner names them too"
like "$screen" "✗ quick" "the quick case's result is there"
! printf '%s' "$screen" | grep -q "(ASan)"; ok $? "the normal pass shows before the sanitizer pass"
like "$screen" "✗ quick · ASan …" "and the quick case's line says the ASan pass is still to come"
keys h
see "1\\. QUICK-HINT" "h during the check answers the failure already shown"
see "not passed yet: [0-9]+ of [0-9]+ tests passed" "then the whole verdict replaces it" 30
like "$screen" "✗ quick · ASan ✗" "with the sanitizer pass's result on the same line, updated in place"
finish
