#!/usr/bin/env bash
# The memory limit holds sanitized runs too. A TSan pass costs about 850 KB
# a goroutine (gcc's ThreadSanitizer): a program of 3,000 at once held
# 2.5 GB that no limit weighed (TSan's own only makes it forget old
# accesses). It is stopped at the check's limit now, told why in plain
# words, and the normal build of the same program passes.
. tests/lib.sh
plan 4
P=$TMP/pack
E=$P/basics/crowd
mkdir -p "$E/solution"
printf 'return { name = "scale", version = "1", format = 1, tracks = { "basics" },\n  defaults = { sanitizers = { "tsan" } } }\n' >"$P/pack.lua"
cat >"$E/exercise.lua" <<'LUA'
return {
  title = "A crowd", track = "basics", difficulty = 1,
  files = { "crowd.c" }, headers = { "crowd.h" },
  text = "# A crowd\n\n`crowd(n)` starts n goroutines that wait at a gate, opens it, and counts them out.\n",
  check = function(c)
    c:run_tests(c:build{ harness = "crowd_test.c" }, { timeout = 30 })
  end,
}
LUA
printf 'int crowd(int n);\n' >"$E/crowd.h"
cat >"$E/crowd.c" <<'C'
#include "crowd.h"
#include <go.h>

static go_chan *gate;
static go_waitgroup wg = GO_WAITGROUP_INIT;
static go_mutex mu = GO_MUTEX_INIT;
static int out;

static void wait_at_gate(void *arg)
{
	(void)arg;
	go_recv(gate, NULL);
	go_mutex_lock(&mu);
	out++;
	go_mutex_unlock(&mu);
	go_waitgroup_done(&wg);
}

int crowd(int n)
{
	gate = go_chan_make(0, 0);
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++)
		go_spawn(wait_at_gate, NULL);
	for (int i = 0; i < 100; i++)
		go_yield();         /* they start, and park at the gate */
	go_close(gate);
	go_waitgroup_wait(&wg);
	return out;
}
C
cp "$E/crowd.c" "$E/solution/crowd.c"
cat >"$E/crowd_test.c" <<'C'
#include <chanlab_test.h>

#include "crowd.h"

CL_TEST(three_thousand_at_once) {
	CL_EXPECT_INT(crowd(3000), 3000);
}
C
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" crowd 2>"$TMP/err")
st() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t={x['name']: x for x in d['tests']}; print(t.get('$1', {}).get('$2'), end='')"; }
is "$(st three_thousand_at_once status)" pass "3,000 goroutines at once pass in the normal build"
is "$(st 'three_thousand_at_once (TSan)' status)" fail "under TSan they pass the check's memory limit"
like "$(st 'three_thousand_at_once (TSan)' message)" "used more than 2048 MiB of memory and was stopped" "which the verdict says in plain words"
like "$(st 'three_thousand_at_once (TSan)' message)" "under ThreadSanitizer a goroutine costs about 850 KB" "and why a TSan run holds so much"
finish
