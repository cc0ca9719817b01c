#!/usr/bin/env bash
# The author API's second round, end to end on tests/packs/api: the pack's
# grading defaults (sanitizer passes side by side, the leak check, the
# failure cap) and an exercise that opts out, a pack library, named and
# starter builds, a benchmark against the starter with a budget under 1,
# metrics and notes from harness cases, failures kept before a crash,
# cl_time_scale and cl_flavour, and the instruments in the verdict.
. tests/lib.sh
plan 42
P=$TMP/api
cp -r "$PWD/tests/packs/api" "$P"
H=$TMP/home

# check ID: the JSON verdict of exercise ID of the api pack, in $json.
check() { json=$("$CHANLAB" --home "$H" check --json --pack="$P" "$1" 2>&1); rc=$?; }
# field EXPR: a Python expression over the verdict d and its tests by name, t.
field() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t={x['name']: x for x in d['tests']}; print($1)"; }

# --- conc/inflight: the starter runs every job at once -----------------------
check inflight
is "$rc" 1 "the inflight starter does not pass"
is "$(field "[n for n in t if t[n]['status'] != 'pass']")" "['at most 3 jobs in flight']" \
	"it fails the script's own test on the harness's metric alone"
like "$(field "t['at most 3 jobs in flight']['message']")" "^at most 3 jobs may run at once: ([4-9]|1[0-2]) did$" \
	"with the script's message and the metric's value"
like "$(field "t['runs_every_job']['message']")" "^at most [0-9]+ jobs ran at once$" "a passing case shows its CL_LOG note"
is "$(field "t['runs_every_job']['status']")" "pass" "and still passes"
is "$(field "sorted(n for n in t if n.endswith('(ASan)'))")" \
	"['runs_every_job (ASan)', 'square_then_limit (ASan)', 'squares (ASan)', 'time_scale (ASan)']" \
	"the pack's default ASan pass runs every case"
is "$(field "[x['name'] for x in d['tests'] if x['name'].endswith('(ASan)')]")" \
	"['runs_every_job (ASan)', 'time_scale (ASan)', 'squares (ASan)', 'square_then_limit (ASan)']" \
	"in the harness's order, though two processes share its cases"
is "$(field "sorted(n for n in t if n.endswith('(TSan)'))")" "['runs_every_job (TSan)', 'time_scale (TSan)']" \
	"the track's TSan pass runs the cases its options name"
is "$(field "[x['name'] for x in d['tests']][:6]")" \
	"['build (normal)', 'runs_every_job', 'time_scale', 'squares', 'square_then_limit', 'build (asan)']" \
	"the main pass's tests come first, then each pass's in the policy's order"
is "$(field "t['the harness knows its flavour and scales its time']['status']")" "pass" \
	"cl_flavour() says tsan and cl_time_scale() is at least 5 in the TSan pass, metrics per pass"
is "$(field "d['instruments']")" "['normal', 'asan', 'tsan', 'leakcheck']" "the verdict names the instruments the check used"
is "$(field "t['one failure listed: squares']['status']")" "pass" "a second call on the same harness"
is "$(field "len([n for n in t if n.startswith('one failure listed')])")" 1 "adds no second sanitizer pass"
out=$("$CHANLAB" --home "$H" check --pack="$P" inflight 2>&1)
like "$out" "flavour tsan, time scale [0-9.]+" "the text verdict shows the notes of passing cases"

# --- the reference solution --------------------------------------------------
cp "$P/conc/inflight/solution/limit.c" "$H/work/inflight/limit.c"
check inflight
is "$rc" 0 "the solution passes every pass"
is "$(field "t['at most 3 jobs in flight']['status']")" "pass" "its metric is within the limit"

# --- a wrong attempt: squares go wrong, then run_limited crashes -------------
cat >"$H/work/inflight/limit.c" <<'C'
#include <stddef.h>
#include "limit.h"
void run_limited(int njobs, int limit, void (*job)(int i, void *arg), void *arg)
{
	volatile int *p = NULL;

	(void)njobs, (void)limit, (void)job, (void)arg;
	*p = 1;
}
int square(int x)
{
	return x + x;
}
C
check inflight
like "$(field "t['squares']['message']")" \
	"^limit_test.c:[0-9]+: square\(i\) is 2, expected 1; (limit_test.c:[0-9]+: [^;]*; ){2}and 145 more failed expectations$" \
	"a test lists the pack's three failed expectations, then how many more failed (past what a case sends)"
like "$(field "t['one failure listed: squares']['message']")" \
	"^limit_test.c:[0-9]+: square\(i\) is 2, expected 1; and 147 more failed expectations$" \
	"c:run_tests{ max_failures = 1 } lists one"
like "$(field "t['square_then_limit']['message']")" \
	"^the test (crashed|exited)[^;]*: .*; before that: limit_test.c:[0-9]+: square\(3\) is 6, expected 9$" \
	"a case that crashes says how it ended, then the expectation that failed before"
is "$(field "t['square_then_limit']['hint_on']")" "crash" "and is a crash for the hints"

# --- perf/speedup: opts out of the defaults; a benchmark against the starter -
check speedup
is "$rc" 1 "the speedup starter does not pass"
is "$(field "[x['name'] for x in d['tests']]")" \
	"['build (normal)', 'small', 'large', 'build (debug, debug copy)', 'debug: small', 'build (normal, starter)', 'benchmark triangle_2000']" \
	"builds are named (starter, a name of the script's), and the exercise's sanitizers = {} leaves out the passes"
like "$(field "t['benchmark triangle_2000']['message']")" "the starter's CPU time .*: the budget is 0.50x \(2.0x faster\)" \
	"the benchmark names its baseline and reads a budget under 1 as a speed-up"
like "$(field "t['benchmark triangle_2000']['output']")" "starter:" "its output too"
is "$(field "d['benchmarks'][0]['baseline'] + ' ' + str(d['benchmarks'][0]['budget'])")" "starter 0.5" \
	"the verdict's benchmark says what its baseline was"
is "$(field "d['instruments']")" "['normal', 'debug', 'bench']" "leakcheck = false: no leak check among the instruments"
like "$(field "t['small']['message']")" "^spun to 1$" "the library's function ran (lib/spin.c)"
cp "$P/perf/speedup/solution/work.c" "$H/work/speedup/work.c"
check speedup
is "$rc" 0 "the solution is more than twice as fast as the starter"
like "$(field "t['benchmark triangle_2000']['message']")" "^0\.[0-4][0-9]x the starter's CPU time" "and says how much"
objs=$(ls "$H/build/speedup/normal/shared.objs" | grep -c '\.o$')
is "$objs" 2 "the harness and the library are compiled once for the learner's build and the starter's"

# --- the metadata the shell and the curriculum read ---------------------------
out=$("$CHANLAB" --home "$H" text --pack="$P" speedup 2>&1)
like "$out" "About 15 minutes\. Do first: .?inflight.? \(done\)" "after and time: what to do first, done once it passed"
like "$out" "https://pkg.go.dev/testing#hdr-Benchmarks" "learn: the links to read more"
like "$("$CHANLAB" --home "$H" list --pack="$P" 2>&1)" "speedup +[a-z]+ +Faster than the starter \(about 15 min\)" "list says the minutes"

# --- what the API refuses ----------------------------------------------------
sed -i 's/budget = 0.5/budget = 0/' "$P/perf/speedup/exercise.lua"
check speedup
like "$(field "d['status'] + ' ' + d['message']")" "^error .*budget must be over 0" "a budget of 0 is a script error"
sed -i 's/budget = 0}/budget = 0.5 }/; s/budget = 0 }/budget = 0.5 }/' "$P/perf/speedup/exercise.lua"
sed -i 's/name = "debug copy"/name = "debug (copy)"/' "$P/perf/speedup/exercise.lua"
check speedup
like "$(field "d['message']")" "a build's name is 1 to 40 letters" "a build's name is a plain word or two"
sed -i 's/name = "debug (copy)"/name = "debug copy", starter = true, solution = true/' "$P/perf/speedup/exercise.lua"
check speedup
like "$(field "d['message']")" "of the solution or of the starter, not both" "a build is of one set of files"
sed -i 's/, starter = true, solution = true//; s/uses = { "spin" }/uses = { "spin", "nope" }/' "$P/perf/speedup/exercise.lua"
out=$("$CHANLAB" --home "$H" check --pack="$P" speedup 2>&1)
like "$out" "'uses' names 'nope', but the pack has no lib/nope/" "a library the pack lacks is named when the pack loads"
sed -i 's/uses = { "spin", "nope" }/uses = { "spin" }/' "$P/perf/speedup/exercise.lua"

# --- a sanitizer pass asks the harness for its cases only when its build
# defines others than the main pass's: a case under #ifdef is still run
cat >>"$P/conc/inflight/limit_test.c" <<'C'
#ifdef __SANITIZE_ADDRESS__
CL_TEST(only_under_asan) { CL_LOG("built with ASan"); }
#endif
C
cp "$P/conc/inflight/solution/limit.c" "$H/work/inflight/limit.c"
check inflight
is "$(field "[x['name'] for x in d['tests'] if 'only_under_asan' in x['name']]")" "['only_under_asan (ASan)']" \
	"a case the ASan build alone defines runs in the ASan pass, and only there"
is "$(field "t['squares (ASan)']['status'], t['only_under_asan (ASan)']['message']")" "pass built with ASan" \
	"beside the cases every build defines"

# --- verify: the pack is sound, every pass included --------------------------
out=$("$CHANLAB" --home "$TMP/vh" verify --jobs=2 "$P" 2>&1); rc=$?
is "$rc" 0 "chanlab verify proves the api pack"
printf '%s\n' "$out" | sed 's/^/# /'
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/# /' >&2   # why, in CI's log
like "$out" "conc/inflight +ok +fails +5/5 +clean +clean" "the concurrency exercise, with its passes and skips"
like "$out" "perf/speedup +ok +fails +5/5 +clean +clean" "the benchmark against the starter"
finish
