#!/usr/bin/env bash
# The interleaving view (i) in a real terminal: a test case that failed
# under a deterministic schedule, replayed step by step, one column per
# goroutine, the learner's line around the selected step.
. tests/lib.sh
. tests/screen.sh
plan 7
P=$TMP/pack
X=$P/conc/counter
mkdir -p "$X/solution"
printf 'return { name = "sched", version = "1", format = 1, tracks = { "conc" } }\n' >"$P/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Counter", track = "conc", difficulty = 1, files = { "counter.c" }, headers = nil,
  text = "Make the counter safe.",
  hints = { "Lock around the update.", "go_mutex_lock before reading.", "Unlock after writing." },
  check = function(c)
    local t = c:build{ harness = "counter_test.c" }
    c:run_tests(t, { schedules = 300, strategy = "pct", depth = 3, timeout = 10 })
  end,
}
LUA
cat >"$X/counter.h" <<'C'
void counter_add(long *n);
C
cat >"$X/counter.c" <<'C'
#include "go.h"
#include "counter.h"

void counter_add(long *n)
{
	long v = *n;

	go_sched_point();       /* the harness explores the gap between read and write */
	*n = v + 1;
}
C
cat >"$X/solution/counter.c" <<'C'
#include "go.h"
#include "counter.h"

static go_mutex mu = GO_MUTEX_INIT;

void counter_add(long *n)
{
	go_mutex_lock(&mu);
	long v = *n;

	go_sched_point();
	*n = v + 1;
	go_mutex_unlock(&mu);
}
C
cat >"$X/counter_test.c" <<'C'
#include <chanlab_test.h>
#include "counter.h"

static long total;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		counter_add(&total);
	go_waitgroup_done(&wg);
}

CL_TEST(four_goroutines_add_twelve)
{
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(adder, NULL);
	go_waitgroup_wait(&wg);
	CL_EXPECT_INT(total, 12);
}
C

ARGS="--pack $P" start 100 32
see "Counter" "the home screen"
keys Enter
see "Make the counter safe" "the exercise opens"
keys c
see "under schedule pct:[0-9]+:3" "the check fails under a schedule" 60
keys i
see "four_goroutines_add_twelve failed under schedule pct:[0-9]+:3: [0-9]+ steps" "i opens the interleaving that failed"
like "$screen" "G1 \\(the test\\) +G[0-9]+" "one column per goroutine, the test's first"
keys 2
see "> +8 +go_sched_point\\(\\);" "a goroutine's first step shows the learner's line in its code"
keys Escape
see "Make the counter safe" "Esc goes back to the exercise"
finish
