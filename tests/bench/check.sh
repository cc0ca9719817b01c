#!/usr/bin/env bash
# chanlab check latency on a typical exercise: one learner C file, five
# harness tests, normal flavour. The learner's file changes before every
# check (as when they save it), so every check compiles. Prints
# `name value unit [note]` lines (see tests/bench/run).
set -u
B=${B:-build}
CHANLAB=$PWD/$B/chanlab
T=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
RUNS=${RUNS:-21}

mkdir -p "$T/pack"
printf 'return { name = "bench", version = "1", format = 1, tracks = { "bench" } }\n' >"$T/pack/pack.lua"
"$CHANLAB" --home "$T/home" new --pack="$T/pack" bench/typical >/dev/null || exit 1
EX=$T/pack/bench/typical
cat >>"$EX/typical_test.c" <<'C'

CL_TEST(negatives) {
	int xs[] = { -1, -2, 3 };

	CL_EXPECT_INT(typical_sum(xs, 3), 0);
}

CL_TEST(many) {
	static int xs[1000];

	for (int i = 0; i < 1000; i++)
		xs[i] = i;
	CL_EXPECT_INT(typical_sum(xs, 1000), 499500);
}
C
cat >"$EX/solution/typical.c" <<'C'
#include "typical.h"
long typical_sum(const int *xs, int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += xs[i];
	return s;
}
C
"$CHANLAB" --home "$T/home" check --pack="$T/pack" typical >/dev/null   # creates the learner's copy
W=$T/home/work/typical

: >"$T/times"
for i in $(seq "$RUNS"); do
	{ cat "$EX/solution/typical.c"; echo "/* edit $i */"; } >"$W/typical.c"
	s=$(date +%s%N)
	"$CHANLAB" --home "$T/home" check --pack="$T/pack" typical >"$T/out" || { cat "$T/out"; exit 1; }
	e=$(date +%s%N)
	echo $(( (e - s) / 1000 )) >>"$T/times"
done
grep -q "5 of 5\|6 of 6" "$T/out" || { echo "unexpected verdict:"; cat "$T/out"; exit 1; }
sort -n "$T/times" | awk -v runs="$RUNS" '
	{ t[NR] = $1 }
	END {
		printf "check_latency_median %.0f ms (typical exercise: 1 file, 5 harness tests, normal flavour, compiled each time; %d runs)\n", t[int((NR + 1) / 2)] / 1000, runs
		printf "check_latency_p90 %.0f ms\n", t[int(NR * 0.9 + 0.5)] / 1000
		printf "check_latency_min %.0f ms\n", t[1] / 1000
	}'

# The same check with nothing changed: the build cache answers.
s=$(date +%s%N)
"$CHANLAB" --home "$T/home" check --pack="$T/pack" typical >/dev/null
e=$(date +%s%N)
echo "check_latency_unchanged $(( (e - s) / 1000000 )) ms (build cached)"

# Every bundled exercise, checked as a learner who wrote the reference
# solution would be (EACH=0 leaves this out): the median of EACH_RUNS
# checks, each after an edit (so the learner's files compile every time).
[ "${EACH:-1}" = 0 ] && exit 0
EACH_RUNS=${EACH_RUNS:-3}
PACK=$PWD/exercises
: >"$T/medians"
for dir in "$PACK"/*/*/; do
	id=$(basename "$dir")
	[ -f "$dir/exercise.lua" ] || continue
	"$CHANLAB" --home "$T/each" check --pack="$PACK" "$id" >/dev/null 2>&1   # the learner's copy
	W=$T/each/work/$id
	: >"$T/times"
	for i in $(seq "$EACH_RUNS"); do
		for f in "$dir"solution/*; do
			{ cat "$f"; case $f in *.c | *.h) echo "/* edit $i */" ;; esac; } >"$W/$(basename "$f")"
		done
		# as the shell runs it: the first test streamed, then the whole verdict
		python3 - "$CHANLAB" "$T/each" "$PACK" "$id" >>"$T/times" <<'PY'
import subprocess, sys, time
exe, home, pack, ex = sys.argv[1:5]
s = time.monotonic()
p = subprocess.Popen([exe, "--home", home, "check", "--json", "--stream", "--pack=" + pack, ex],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
first = None
last = ""
for line in p.stdout:
    # the first test a learner reads as a result: not the build's
    if first is None and line.startswith('{"event":"test"') and not line.startswith('{"event":"test","test":{"name":"build'):
        first = time.monotonic() - s
    last = line
p.wait()
total = time.monotonic() - s
ok = '"status":"pass"' in last.split('"tests"')[0]
print("%d %d %d" % (total * 1000, (first or total) * 1000, 0 if ok else 1))
PY
	done
	sort -n "$T/times" | awk -v id="$id" -v runs="$EACH_RUNS" '
		{ t[NR] = $1; f[NR] = $2; bad += $3 }
		END { printf "check_%s %.0f ms, first results at %.0f ms (the solution, compiled each time; median of %d%s)\n", id, t[int((NR + 1) / 2)], f[int((NR + 1) / 2)], runs, bad ? "; NOT PASSED" : "" }' |
		tee -a "$T/medians"
done
# the issue's budgets, over the exercises' medians: first results 400 ms,
# the complete verdict (sanitizer passes and all) 1.5 s
sed -n 's/^check_[^ ]* \([0-9]*\) ms, first results at \([0-9]*\) ms.*/\1 \2/p' "$T/medians" >"$T/pairs"
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }
tm=$(cut -d' ' -f1 "$T/pairs" | median)
fm=$(cut -d' ' -f2 "$T/pairs" | median)
echo "check_complete_median $tm ms (over $(wc -l <"$T/pairs") exercises; budget 1500 ms$([ "$tm" -gt 1500 ] && echo ": OVER"))"
echo "check_first_results_median $fm ms (budget 400 ms$([ "$fm" -gt 400 ] && echo ": OVER"))"

# check --all over the bundled pack: every exercise above was started
# (checked with the reference solution), so each is checked again, two
# at a time, as the shell's a does. The issue's budget was 30 s for the
# seven exercises of the time.
s=$(date +%s%N)
"$CHANLAB" --home "$T/each" --pack="$PACK" check --all >"$T/all" 2>&1
e=$(date +%s%N)
n=$(grep -c " passed\| not passed" "$T/all")
ms=$(( (e - s) / 1000000 ))
budget=$(( 30000 * n / 7 ))   # 30 s for seven exercises, scaled to the pack's size
echo "check_all $ms ms ($n exercises, two at a time; $(( ms / (n > 0 ? n : 1) )) ms each; budget $budget ms$([ "$ms" -gt "$budget" ] && echo ": OVER"); $(tail -n1 "$T/all"))"
