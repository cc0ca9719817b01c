#!/usr/bin/env bash
# Benchmarks against the reference: Go's line format, allocation counts,
# the median ratio with its interval against the budget, in the text and
# the JSON verdict.
. tests/lib.sh
plan 13
H=$TMP/home
EX=exercises/profiling/string-builder

json=$("$CHANLAB" --home "$H" check --json string-builder); rc=$?
is "$rc" 1 "the quadratic starter does not pass"
b() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); b=d['benchmarks'][0]; t=[x for x in d['tests'] if x['name'].startswith('benchmark')][0]; print($1)"; }
is "$(b "b['name'], b['passed'], b['budget']")" "build_4k False 1.5" "the benchmark is in the verdict, failed, with its budget"
[ "$(b "int(b['ratio'] > 2 and b['ratio_ci95'][0] <= b['ratio'] <= b['ratio_ci95'][1])")" = 1 ]; ok $? "the median ratio ($(b "round(b['ratio'], 2)")x) lies in its interval"
[ "$(b "int(b['runs'] >= 10)")" = 1 ]; ok $? "from at least 10 interleaved runs each"
is "$(b "int(b['allocs_per_op']), int(b['reference']['allocs_per_op'])")" "1000 7" "allocs/op counted by wrapping malloc: 1000 against the reference's 7"
[ "$(b "int(b['bytes_per_op'] > 100 * b['reference']['bytes_per_op'])")" = 1 ]; ok $? "and B/op"
bn=$(b "b['n']")
[ "$(b "int(str(b['n'])[0] in '1235' and set(str(b['n'])[1:]) <= {'0'})")" = 1 ]; ok $? "b.N is a round number like Go's ($bn)"
line=$(b "t['output']" | grep -A1 '^yours:' | tail -1)
like "$line" '^BenchmarkBuild_4k-[0-9]+	 +[0-9]+	 +[0-9.]+ ns/op	 +[0-9]+ B/op	 +[0-9]+ allocs/op$' "a line in Go's benchmark format"
like "$(b "t['message']")" "the budget is 1.50x; you allocate more per operation" "the message says what the budget is and what differs"
is "$(b "t['hint_on']")" "benchmark" "a hint class for benchmarks"

out=$("$CHANLAB" --home "$H" check string-builder)
like "$("$CHANLAB" --home "$H" hint string-builder)" "Look at allocs/op" "chanlab hint reveals the benchmark hint"

cp "$EX/solution/sb.c" "$H/work/string-builder/sb.c"
json=$("$CHANLAB" --home "$H" check --json string-builder); rc=$?
is "$rc" 0 "the doubling solution passes its benchmark"
like "$(b "t['message']")" "^[0-9.]+x the reference's time \(95% CI [0-9.]+-[0-9.]+x\), within 1.50x" "and the figure is shown"
finish
