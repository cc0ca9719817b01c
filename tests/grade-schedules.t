#!/usr/bin/env bash
# c:run_tests{ schedules = N }: each test case runs under N deterministic
# schedules (runtime/det.c) until one fails; the failure names the schedule
# and replays from it; a correct solution passes all N, every time.
. tests/lib.sh
plan 30
P=$TMP/pack
cp -r "$PWD/tests/packs/schedules" "$P"     # conc/counter: a racy counter, go_sched_point between read and write
X=$P/conc/counter
sed -i 's|CL_LOG("four adders done");|printf("adders done\\n"); CL_LOG("four adders done");|' "$X/counter_test.c"
test_of() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t=[t for t in d['tests'] if t['name']==sys.argv[1]]; print(t[0]['status'] if t else 'missing', t[0].get('message','') if t else '')" "$1"; }

start=$(date +%s%N)
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>"$TMP/err"); rc=$?
is "$rc" 1 "the racy counter fails"
msg=$(test_of four_goroutines_add_twelve)
like "$msg" '^fail .*12.*\(under schedule pct:[0-9]+:3(:[0-9]+)?; replay it: chanlab check counter --sched=pct:[0-9]+:3(:[0-9]+)?\)' \
	"the failure names the schedule that lost an update, and how to replay it"
spec=$(printf '%s' "$msg" | sed -n 's/.*--sched=\(pct:[0-9]*:3[0-9:]*\)).*/\1/p')
like "$msg" "; total ([0-9]|1[01]) \\(under schedule" "with the failing schedule's own note"
! printf '%s' "$msg" | grep -q "total 12"; ok $? "and not those of the schedules that passed before it"
il=$(printf '%s' "$json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
t = [t for t in d['tests'] if t['name'] == 'four_goroutines_add_twelve'][0]
il = t.get('interleaving') or {}
steps = il.get('steps', [])
print(il.get('schedule', ''))
print(len(steps))
print(sum(1 for s in steps if s.get('file') == 'counter.c' and s.get('line') == 8 and s.get('what') == 'yielded'))
print(len(set(s.get('after') for s in steps if s.get('after'))))
")
is "$(sed -n 1p <<<"$il")" "$spec" "the failure carries the interleaving of the schedule that failed it"
[ "$(sed -n 2p <<<"$il")" -ge 10 ] && [ "$(sed -n 3p <<<"$il")" -ge 2 ]; ok $? "its steps stop at the learner's go_sched_point, counter.c:8 ($(sed -n 3p <<<"$il") of $(sed -n 2p <<<"$il"))"
[ "$(sed -n 4p <<<"$il")" -ge 4 ]; ok $? "and every goroutine that ran has steps ($(sed -n 4p <<<"$il"))"
# the printed replay is the failing run: the harness, run alone under that
# schedule, fails the case too (its results go to fd 3, after a token)
prog=$(find "$TMP/h/build" -path '*normal*' -type f -name 'prog[0-9]' | head -1)
replays=0
for i in 1 2 3; do
	printf 'tok\n' >"$TMP/fd3"
	CHANLAB_SCHED=$spec timeout 20 "$prog" --run four_goroutines_add_twelve 3<>"$TMP/fd3" >/dev/null 2>&1
	grep -q "failed four_goroutines_add_twelve" "$TMP/fd3" && replays=$((replays + 1))
done
is "$replays" 3 "CHANLAB_SCHED=$spec replays the failure, every time"
# what the harness passes on is the told schedule's alone: the first that
# failed, its results and what it printed, nothing of those that passed
# (run as chanlab runs it: the leak check's steps are part of a run's
# length, which the next schedule's change points are drawn among)
printf 'tok\n' >"$TMP/fd3"
CHANLAB_LEAKCHECK=1 CHANLAB_SCHED=pct:1:3 CHANLAB_SCHED_RUNS=300 timeout 60 "$prog" --run four_goroutines_add_twelve 3<>"$TMP/fd3" >"$TMP/out" 2>&1
is "$(grep -c 'schedule-run' "$TMP/fd3") $(grep -o "schedule pct:[0-9:]*" "$TMP/fd3") $(grep -c 'adders done' "$TMP/out")" \
	"1 schedule ${spec} 1" "the schedule told is the first that failed, with only its results and output"
json2=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" --sched="$spec" counter 2>/dev/null); rc=$?
lost() { printf '%s' "$1" | grep -o 'total is [0-9]*, expected 12'; }
is "$rc $(lost "$(json=$json2 test_of four_goroutines_add_twelve)")" "1 $(lost "$msg")" "check --sched=$spec replays it: the same update lost"
like "$(json=$json2 test_of four_goroutines_add_twelve)" "under schedule $spec; replay it: chanlab check counter --sched=$spec" "under the same schedule"
"$CHANLAB" --home "$TMP/h" check --pack="$P" --sched=pct:x counter >/dev/null 2>"$TMP/err"; rc=$?
is "$rc $(cat "$TMP/err")" "2 chanlab: --sched is random:SEED or pct:SEED:DEPTH[:STEPS], as a failure names it" "a malformed schedule is bad usage"
json2=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>/dev/null)
is "$(json=$json2 test_of four_goroutines_add_twelve)" "$msg" "the same code fails the same way, at the same schedule"

cp "$X/solution/counter.c" "$(find "$TMP/h" -name counter.c -path '*work*' | head -1)"
start=$(date +%s%N)
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>"$TMP/err"); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$rc" 0 "the locked counter passes all 300 schedules"
like "$(test_of four_goroutines_add_twelve)" '^pass' "its case passes"
is "$(test_of four_goroutines_add_twelve)" "pass four adders done; total 12" "a note every schedule makes is said once"
printf '# 300 schedules of one case: %d ms\n' "$ms"

# a bad option is a script error that says what to write
sed -i 's/strategy = "pct"/strategy = "fair"/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1)
like "$json" 'strategy is \\"pct\\" or \\"random\\"' "an unknown strategy is refused with what to write"
sed -i 's/strategy = "fair"/strategy = "random"/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1); rc=$?
is "$rc" 0 "random schedules pass the locked counter too"

# a TSan build runs its cases on real threads: schedules would show TSan
# nothing, and a fork per schedule made it report a race in the runtime
sed -i 's/c:run_tests(t, {/c:run_tests(c:build{ flavour = "tsan", harness = "counter_test.c" }, { prefix = "tsan: ", schedules = 50 })\n    c:run_tests(t, {/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1); rc=$?
is "$rc" 0 "a TSan build asked for schedules passes the locked counter, with no report from the runtime" \
	|| printf '%s\n' "$json" | grep -m5 'sched.c\|message' >&2
# c:run{ schedules = N }: a whole program, run under schedule after schedule
# until one fails; the result names that schedule
mkdir -p "$P/conc/adders"
cat >"$P/conc/adders/exercise.lua" <<'LUA'
return {
  title = "Adders", track = "conc", difficulty = 1, files = { "adders.c" },
  text = "Add without losing updates.",
  hints = { "Lock.", "Lock around read and write.", "go_mutex." },
  check = function(c)
    local r = c:run(c:build(), { schedules = 300, strategy = "pct", depth = 3 })
    c:test("prints 8", r.ok and r.stdout == "8\n",
           (r.schedule and ("under schedule " .. r.schedule .. ": ") or "") .. "printed " .. r.stdout:gsub("\n", ""))
  end,
}
LUA
cat >"$P/conc/adders/adders.c" <<'C'
#include <stdio.h>
#include <go.h>

static long total;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		long v = total;

		go_sched_point();
		total = v + 1;
	}
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(add, NULL);
	go_waitgroup_wait(&wg);
	printf("%ld\n", total);
	return total == 8 ? 0 : 1;
}
C
mkdir -p "$P/conc/adders/solution"
sed 's/long v = total;/go_mutex_lock(\&mu);\n\t\tlong v = total;/; s/total = v + 1;/total = v + 1;\n\t\tgo_mutex_unlock(\&mu);/; s/^static long total;/static long total;\nstatic go_mutex mu = GO_MUTEX_INIT;/' \
	"$P/conc/adders/adders.c" >"$P/conc/adders/solution/adders.c"
json=$("$CHANLAB" --home "$TMP/h3" check --json --pack="$P" adders 2>&1); rc=$?
is "$rc" 1 "c:run{ schedules = 300 } finds the lost update of a whole program"
like "$(printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print([t['message'] for t in d['tests'] if t['name']=='prints 8'][0])")" \
	"^under schedule pct:[0-9]+:3: printed [0-7]$" "and the result names the schedule it failed under"
cp "$P/conc/adders/solution/adders.c" "$TMP/h3/work/adders/adders.c"
"$CHANLAB" --home "$TMP/h3" check --pack="$P" adders >/dev/null 2>&1
is "$?" 0 "the locked version passes all 300 schedules"

# time is virtual under a schedule: bounds scaled for the load, the flavour
# or verify's allowance (cl_scaled) are not stretched there, or a starter
# that starves a goroutine for 500 virtual ms meets a bound of 100 ms x load
cp "$PWD/tests/packs/schedules/conc/counter/exercise.lua" "$X/exercise.lua"
cat >>"$X/counter_test.c" <<'C'
CL_TEST(time_is_not_stretched) {
	CL_EXPECT_MSG(cl_time_scale() == 1, "cl_time_scale() is %g", cl_time_scale());
}
C
sed -i 's/    c:run_tests(t, { schedules = 300, strategy = "pct", depth = 3, timeout = 10 })/    c:run_tests(t, { schedules = 20, env = { "CHANLAB_TIME_SCALE=50" }, only = { "time_is_not_stretched" } })\n    c:run_tests(t, { prefix = "real: ", env = { "CHANLAB_TIME_SCALE=50" }, only = { "time_is_not_stretched" } })/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1)
like "$(test_of time_is_not_stretched)" '^pass' "under deterministic schedules cl_time_scale() is 1, whatever the load or allowance"
like "$(test_of 'real: time_is_not_stretched')" '^fail .*cl_time_scale\(\) is ([5-9][0-9]|100)([ .]|$)' \
	"on real threads it is what chanlab measured and allowed (50, times the load, at most 100)"

# a schedule that never ends (a livelock: no goroutine blocks, virtual
# time never moves) meets the time limit: the result names that schedule,
# to replay, and shows what it printed
cat >>"$X/counter_test.c" <<'C'
static int ran;
static void other(void *arg) { (void)arg; ran = 1; }

CL_TEST(spins_on_some_schedules) {
	ran = 0;
	go_spawn(other, NULL);
	go_yield();
	fprintf(stderr, "other ran: %d\n", ran);
	while (ran)
		go_yield();
}
C
sed -i 's/    c:run_tests(t, { schedules = 20, env/    c:run_tests(t, { schedules = 5, timeout = 2, only = { "spins_on_some_schedules" } })\n    c:run_tests(t, { schedules = 20, env/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1)
like "$(test_of spins_on_some_schedules)" '^fail .*timed out.*\(under schedule pct:[1-5]:3(:[0-9]+)?; replay it: chanlab check counter --sched=pct:[1-5]:3(:[0-9]+)?\)' \
	"a schedule that hangs is named, to replay"
like "$(printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print([t['output'] for t in d['tests'] if t['name']=='spins_on_some_schedules'][0])")" \
	"^other ran: 1" "with what it printed before it was stopped"

# a goroutine that waits on a channel: its step in the interleaving says
# what the channel held then, and where it was made
cat >>"$X/counter_test.c" <<'C'
static int sent_first;
static void sender(void *arg) { int v = 1; sent_first = 1; go_send(arg, &v); }

CL_TEST(the_test_receives_before_the_sender_sends) {
	go_chan *c = go_chan_make(sizeof(int), 0);      /* made here */
	int v;

	sent_first = 0;
	go_spawn(sender, c);
	go_sched_point();
	CL_EXPECT_MSG(!sent_first, "the sender ran first");
	go_recv(c, &v);
	go_chan_free(c);
}
C
made=$(grep -n 'made here' "$X/counter_test.c" | cut -d: -f1)
sed -i 's/    c:run_tests(t, { schedules = 5, timeout = 2, only = { "spins_on_some_schedules" } })/    c:run_tests(t, { schedules = 50, only = { "the_test_receives_before_the_sender_sends" } })/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1)
is "$(printf '%s' "$json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
t = [t for t in d['tests'] if t['name'] == 'the_test_receives_before_the_sender_sends'][0]
print(sorted(set(s.get('state', '') for s in (t.get('interleaving') or {}).get('steps', []) if s.get('what') == 'chan send')))
")" "['the channel made at counter_test.c:$made is unbuffered; 1 sender and 0 receivers wait']" \
	"a step that waits on a channel says what it held then and where it was made"
# PCT draws its change points among a run's decisions: a check-then-act
# 150 steps in is out of reach of the first 100 (the runtime's length
# before it knows better), so the harness runs each schedule with the
# longest run it has seen, and names that length in the schedule, for
# the replay to draw the same points
cat >>"$X/counter_test.c" <<'C'
static int claimed, claims;
static void claimer(void *arg)
{
	for (int i = 0; i < 150; i++)
		go_sched_point();   /* a long run before the race */
	if (!claimed) {
		go_sched_point();
		claimed = 1;
		claims++;
	}
	go_waitgroup_done(arg);
}

CL_TEST(late_check_then_act) {
	go_waitgroup wg = GO_WAITGROUP_INIT;

	claimed = claims = 0;
	go_waitgroup_add(&wg, 2);
	go_spawn(claimer, &wg);
	go_spawn(claimer, &wg);
	go_waitgroup_wait(&wg);
	CL_EXPECT_MSG(claims == 1, "claimed %d times", claims);
}
C
sed -i 's/    c:run_tests(t, { schedules = 50, only = { "the_test_receives_before_the_sender_sends" } })/    c:run_tests(t, { schedules = 1000, depth = 3, only = { "late_check_then_act" } })/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" counter 2>&1)
late=$(test_of late_check_then_act)
like "$late" '^fail .*claimed 2 times \(under schedule pct:[0-9]+:3:[0-9]+;' "PCT finds a race 150 steps into a case" \
	|| printf '%s\n' "$late" >&2
spec=$(printf '%s' "$late" | sed -n 's/.*--sched=\(pct:[0-9:]*\)).*/\1/p')
[ "${spec##*:}" -gt 300 ]; ok $? "its schedule names the length it ran with, the case's own (${spec##*:} steps)"
json2=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" --sched="$spec" counter 2>/dev/null)
is "$(json=$json2 test_of late_check_then_act)" "$late" "check --sched=$spec replays it: the same failure, the same schedule"
finish
