#!/usr/bin/env bash
# chanlab profile ID: the exercise's check as it runs, every run of the
# learner's code profiled; the runs' profiles (one per harness case)
# merged into pprof's top table and folded stacks; the files kept per
# exercise (last, prev) open in go tool pprof; a check that takes its own
# profile keeps it too, and a check that takes none leaves the last ones.
. tests/lib.sh
plan 19
P=$TMP/pack
cp -r "$PWD/tests/packs/split" "$P"         # perf/split: heavy() does twice light()'s work; copy_of() allocates
X=$P/perf/split
top_row() { printf '%s\n' "$1" | awk '$1 ~ /^[0-9.]+(ms|s|us|ns|B|kB|MB)$/ { print $6; exit }'; }

out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile split 2>&1); rc=$?
is "$rc" 0 "chanlab profile runs the check with every run profiled"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "split: passed \\([0-9]+ tests" "it says how the check went (the attempt is recorded)"
like "$out" "cpu profile, [3-9] runs merged" "one profile per run of the harness, merged"
is "$(top_row "$out")" "mix" "the function that does the work is at the top"
like "$out" "heavy  work.c:[0-9]+" "heavy is listed at its line in the learner's file"
heavy=$(printf '%s\n' "$out" | awk '$6 == "heavy" { sub("%", "", $5); print $5 }')
light=$(printf '%s\n' "$out" | awk '$6 == "light" { sub("%", "", $5); print $5 }')
python3 -c "import sys; h, l = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if 1.4 < h / l < 2.8 else 1)" \
	"${heavy:-0}" "${light:-1}"
ok $? "heavy's cum share is about twice light's ($heavy% against $light%)"
like "$out" "go tool pprof -top $TMP/h/profiles/split/last/cpu-\\*.pb.gz" "it prints the command that opens the files in Go's tools"

pp=$(go tool pprof -top "$TMP"/h/profiles/split/last/cpu-*.pb.gz 2>&1)
like "$pp" "Type: cpu" "go tool pprof opens the kept files"
like "$pp" " heavy" "and finds heavy in them too"

attempts=$("$CHANLAB" --home "$TMP/h" --pack="$P" history split 2>&1 | grep -c '#')
out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile --last --folded split 2>&1); rc=$?
is "$rc" 0 "--last shows the kept profile"
like "$out" "(^|;)heavy;mix [0-9]+" "as folded stacks, callers first"
is "$("$CHANLAB" --home "$TMP/h" --pack="$P" history split 2>&1 | grep -c '#')" "$attempts" "without a new attempt"

out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile --alloc split 2>&1); rc=$?
like "$out" "alloc profile, [3-9] runs merged" "--alloc profiles allocations"
like "$out" "copy_of  work.c:[0-9]+" "and names the learner's allocation site"
like "$(printf '%s\n' "$out" | grep -A1 ' flat  flat%' | tail -1)" "copy_of  work.c:[0-9]+" \
	"first, as the allocating function itself: not the harness's counting wrapper"
printf '%s' "$out" | grep -q '__wrap_'; is "$?" 1 "(whose frame is not shown)"
out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile --prev split 2>&1)
like "$out" "cpu profile, [3-9] runs merged" "--prev keeps the profile before, for a comparison"

"$CHANLAB" --home "$TMP/h" --pack="$P" check split >/dev/null 2>&1
out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile --last --alloc split 2>&1)
like "$out" "alloc profile" "a check that takes no profile leaves the last ones in place"

out=$("$CHANLAB" --home "$TMP/h" --pack="$P" profile --block --last split 2>&1); rc=$?
is "$rc" 1 "asking for a kind that was not taken says so"
finish
