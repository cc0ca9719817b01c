#!/usr/bin/env bash
# Many deterministic schedules of one test case, as a learner's check runs
# them (c:run_tests{ schedules = 1000 }, built and run by chanlab itself):
# four goroutines, about 200 scheduling points in all, 1000 PCT schedules,
# a fork of the harness per schedule. The budget is 2 s on this 2-core
# machine. Figures as `name value unit`.
set -eu
B=${B:-build}
T=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
X=$T/pack/conc/many
mkdir -p "$X/solution"
printf 'return { name = "bench", version = "1", format = 1, tracks = { "conc" } }\n' >"$T/pack/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Many schedules", track = "conc", difficulty = 1, files = { "adder.c" },
  text = "# Many schedules\n\nA lost update, 1000 times.",
  hints = { "one", "two", "three" },
  check = function(c)
    c:run_tests(c:build{ harness = "sched_test.c" },
                { timeout = 60, schedules = 1000, prefix = "1000 schedules: " })
  end,
}
LUA
cat >"$X/adder.c" <<'C'
#include <go.h>

long total;
go_waitgroup wg = GO_WAITGROUP_INIT;

void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		long t = total;

		go_sched_point();       /* between the read and the write */
		total = t + 1;
	}
	go_waitgroup_done(&wg);
}
C
cp "$X/adder.c" "$X/solution/adder.c"
cat >"$X/sched_test.c" <<'C'
#include <chanlab_test.h>

extern long total;
extern go_waitgroup wg;
void adder(void *arg);

CL_TEST(four_goroutines_two_hundred_points)
{
	total = 0;
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(adder, NULL);
	go_waitgroup_wait(&wg);
	CL_METRIC("total", total);
}
C
# once to build (and fill the object cache), then timed
"$B/chanlab" --home "$T/home" --pack="$T/pack" check many >/dev/null 2>&1 || true
s=$(date +%s%N)
"$B/chanlab" --home "$T/home" --pack="$T/pack" check --json many >"$T/out.json" 2>&1 || true
e=$(date +%s%N)
ms=$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
t = [t for t in v["tests"] if t["name"].startswith("1000 schedules: ")]
print(round(t[0]["seconds"] * 1000) if t and t[0]["status"] == "pass" else "")
' "$T/out.json" 2>/dev/null || true)
[ -n "$ms" ] || { echo "the schedules did not all run:"; cat "$T/out.json"; exit 1; }
echo "schedules_1000 $ms ms (4 goroutines, 200 scheduling points, PCT depth 3; budget 2000 ms$([ "$ms" -gt 2000 ] && echo ": OVER"))"
echo "schedule_each $(( ms * 1000 / 1000 )) us"
echo "schedules_check $(( (e - s) / 1000000 )) ms (the whole check: build from the cache, the schedules, the verdict)"
