#!/usr/bin/env bash
# Many deterministic schedules of one test case, as c:run_tests{ schedules
# = N } runs them: four goroutines, about 200 scheduling points in all,
# 1000 PCT schedules, a fork of the harness per schedule. The budget is
# 2 s on this 2-core machine. Figures as `name value unit`.
set -eu
B=${B:-build}
T=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cat >"$T/sched_test.c" <<'C'
#include <chanlab_test.h>

static long total;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		long t = total;

		go_sched_point();       /* between the read and the write */
		total = t + 1;
	}
	go_waitgroup_done(&wg);
}

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
# built as chanlab builds a harness (lua/api_build.c): its allocator wrappers too
wrap=""
for f in malloc calloc realloc free strdup strndup aligned_alloc posix_memalign memalign; do
	wrap="$wrap -Wl,--wrap=$f"
done
cc -O2 -g -fno-omit-frame-pointer -Iruntime -Iharness -o "$T/sched" "$T/sched_test.c" $wrap \
	-L"$B/rt/normal" -lchanlabrt -lpthread -ldl
runs=1000
printf 'tok\n' >"$T/fd3"
s=$(date +%s%N)
CHANLAB_SCHED=pct:1:3 CHANLAB_SCHED_RUNS=$runs "$T/sched" --run four_goroutines_two_hundred_points 3<>"$T/fd3" >/dev/null
e=$(date +%s%N)
grep -q "passed four_goroutines_two_hundred_points" "$T/fd3" || { echo "the schedules did not all run:"; cat "$T/fd3"; exit 1; }
ms=$(( (e - s) / 1000000 ))
echo "schedules_1000 $ms ms (4 goroutines, 200 scheduling points, PCT depth 3; budget 2000 ms$([ "$ms" -gt 2000 ] && echo ": OVER"))"
echo "schedule_each $(( (e - s) / 1000 / runs )) us"
