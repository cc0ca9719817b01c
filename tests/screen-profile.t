#!/usr/bin/env bash
# The profile view in a real terminal (tmux), at 80x24 and 120x40: p on an
# exercise with no profile kept profiles a check first, then shows the
# merged CPU profile as an icicle flame graph (the learner's heavy() under
# its caller, the work under it); Enter zooms into a frame and u back out;
# Tab shows pprof's top table; Esc goes back to the exercise.
. tests/lib.sh
. tests/screen.sh
plan 16
P=$TMP/pack
X=$P/perf/split
mkdir -p "$X/solution"
printf 'return { name = "prof", version = "1", format = 1, tracks = { "perf" } }\n' >"$P/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Split", track = "perf", difficulty = 1, files = { "work.c" }, headers = { "work.h" },
  text = "# Split\n\nMake heavy() light.",
  hints = { "Look at the profile.", "heavy() does twice light()'s work.", "Read the top table." },
  check = function(c)
    c:run_tests(c:build{ harness = "work_test.c" }, { timeout = 20 })
  end,
}
LUA
printf 'unsigned long heavy(unsigned long n);\nunsigned long light(unsigned long n);\n' >"$X/work.h"
cat >"$X/work.c" <<'C'
#include "work.h"

static unsigned long mix(unsigned long x, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

__attribute__((noinline)) unsigned long heavy(unsigned long n)
{
	return mix(3, 2 * n);
}

__attribute__((noinline)) unsigned long light(unsigned long n)
{
	return mix(5, n);
}
C
cp "$X/work.c" "$X/solution/work.c"
cat >"$X/work_test.c" <<'C'
#include <chanlab_test.h>
#include "work.h"

static volatile unsigned long sink;

CL_TEST(heavy_then_light) {
	sink = heavy(150000000);
	sink = light(150000000);
	CL_EXPECT(sink != 0);
}
C

for size in "80 24" "120 40"; do
	rm -rf "$TMP/home"
	ARGS="--pack $P" start $size
	see "split" "$size: the home screen"
	keys Enter
	see "Make heavy\\(\\) light" "$size: the exercise opens"
	keys p
	see "cpu profile of split: [0-9]+ runs? merged" "$size: p with no profile kept profiles a check, then shows it" 60
	like "$screen" "all: [0-9.]+m?s" "$size: the graph's root is the whole profile"
	at=$(printf '%s\n' "$screen" | awk '/^heavy +light/ { print index($0, "light") - 1; exit }')
	w=${size% *}
	python3 -c "import sys; sys.exit(0 if 0.55 < int(sys.argv[1] or 0) / int(sys.argv[2]) < 0.78 else 1)" "${at:-0}" "$w"
	ok $? "$size: heavy() and light() side by side under their caller, heavy twice as wide (light at column ${at:-none} of $w)"
	keys Enter
	see "zoomed in: u zooms out" "$size: Enter zooms into the selected frame"
	keys u Tab
	see "flat +flat% +sum% +cum +cum%" "$size: Tab shows the top table"
	keys Escape
	see "Make heavy\\(\\) light" "$size: Esc goes back to the exercise"
done
finish
