#!/usr/bin/env bash
# Hostile and broken exercise scripts: each gives a clear message with the
# script's file:line, is stopped within its limits, and never stops the
# other exercises of the pack from loading.
. tests/lib.sh
plan 39
H=$TMP/home
PACK=$PWD/tests/hostile/lua-pack

# check ID: sets $json and $rc; $msg is the verdict's message; $secs how
# long it took. A chanlab that hangs is killed, and the test fails.
check() {
	local t0=$(date +%s%N)
	json=$(timeout -k 5 60 "$CHANLAB" --home "$H" check --json --pack="$PACK" "$1" 2>&1); rc=$?
	secs=$((($(date +%s%N) - t0) / 1000000000))
	msg=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["message"])' 2>&1)
}

out=$(timeout -k 5 180 "$CHANLAB" --home "$H" verify "$PACK" 2>&1)
like "$out" "scripts/syntax +BROKEN" "verify lists a script with a syntax error as broken"
like "$out" "scripts/syntax: .*syntax/exercise.lua:4: '}' expected" "with its file, line and Lua's message"
like "$out" "scripts/escape +ok" "and still loads the pack's other exercises"

check syntax
is "$rc" 1 "checking a broken exercise exits 1"
like "$msg" "syntax/exercise.lua:4:" "and names the file and line"

check runtime
like "$msg" "runtime/exercise.lua:7: attempt to index a nil value" "a runtime error names its file and line"
like "$msg" "stack traceback" "with a traceback"

t0=$(date +%s)
check endless
like "$msg" "endless/exercise.lua:[67]: script stopped: it ran more than [0-9]+ thousand instructions" "an endless loop is stopped at its line"
[ $(($(date +%s) - t0)) -lt 20 ]; ok $? "within its limits"

check membomb
like "$msg" "membomb/exercise.lua:[67]: script stopped: it used more than 64 MiB of memory" \
	"a memory bomb is stopped at its line"

check missing
like "$msg" "missing/exercise.lua:5: extra file 'helpers.c' is not in the exercise folder" "a missing instructor file names the script line"

check escape
like "$json" '"status":"pass"' "no io, os, require, load, debug, string.dump or package; paths stay inside"
is "$(printf '%s' "$json" | grep -o '"status":"pass"' | wc -l)" 12 "every escape test passes"

# Work done inside C functions counts against the script's instructions,
# and a script cannot catch its own stop: each of these ends within the
# check's limit (50 million instructions), at the line where it was.
stopped() {   # stopped ID LINE-PATTERN WHAT
	check "$1"
	like "$msg" "$1/exercise.lua:$2: script stopped: it ran more than 50000 thousand instructions" "$3 is stopped at its line"
	[ "$rc" = 1 ] && [ "$secs" -lt 20 ]; ok $? "within its limit (exit $rc after $secs s)"
}
stopped pattern 6 "a backtracking pattern in string.find"
stopped rep-loop "[56]" "a loop of string.rep calls"
stopped move 5 "table.move over the whole integer range"
stopped catch-pcall 7 "an endless loop inside pcall, called again and again,"
stopped catch-xpcall 7 "an endless loop inside xpcall with a handler"

check gc-check
like "$msg" "gc-check/exercise.lua:6: .*__gc" "a finalizer is refused where it is set (Lua runs finalizers with no limit)"
[ "$rc" = 1 ] && [ "$secs" -lt 20 ]; ok $? "and the check ends (exit $rc after $secs s)"

# A script's error never hides the other exercises from `chanlab check`.
check escape
is "$rc" 0 "an intact exercise in the same pack checks fine"

# The bundled pack is untouched by any of this.
out=$("$CHANLAB" --home "$H" list)
like "$out" "first-goroutine" "the bundled pack still lists"
[ "$(printf '%s' "$out" | grep -c broken)" = 0 ]; ok $? "with no broken exercise"

# Scripts that misbehave while the pack loads, dropped into a copy of the
# bundled pack: `chanlab list` names each one's file and line, within a few
# seconds each, and the rest of the pack still lists and checks.
INST=$TMP/inst
mkdir -p "$INST/build"
cp "$CHANLAB" "$INST/build/chanlab"
ln -s "$PWD/$B/rt" "$INST/build/rt"
ln -s "$PWD/runtime" "$INST/runtime"
cp -r exercises "$INST/exercises"
cp -r "$PACK"/loading/* "$INST/exercises/concurrency/"
t0=$(date +%s)
out=$(timeout -k 5 120 "$INST/build/chanlab" --home "$TMP/home2" list 2>&1); rc=$?
secs=$(($(date +%s) - t0))
is "$rc" 0 "chanlab list still works with hostile scripts in the pack"
[ "$secs" -lt 30 ]; ok $? "and ends within their limits ($secs s)"
like "$out" "first-goroutine" "it lists the sound exercises"
like "$out" "error: .*index-raises/exercise.lua:4: no field title" \
	"a table whose __index raises is named with the line of the raise"
like "$out" "error: .*index-loops/exercise.lua:4: script stopped: it ran more than 200000 thousand instructions" \
	"a table whose __index loops is stopped at its line"
like "$out" "error: .*len-loops/exercise.lua:4: script stopped: it ran more than 200000 thousand instructions" \
	"a list whose __len loops is stopped at its line"
like "$out" "error: .*gc-loops/exercise.lua:2: .*__gc" "a finalizer is refused at its line"
like "$out" "error: .*binary/exercise.lua: .*binary" "a binary chunk is refused, naming its file"
is "$(printf '%s\n' "$out" | grep -c 'broken')" 5 "exactly the five hostile exercises are broken"
json=$(timeout -k 5 120 "$INST/build/chanlab" --home "$TMP/home2" check --json first-goroutine 2>&1)
like "$json" '"status":"(fail|pass)"' "a sound exercise of the same pack still checks"
json=$(timeout -k 5 120 "$INST/build/chanlab" --home "$TMP/home2" check --json index-loops 2>&1)
like "$json" '"status":"error".*index-loops/exercise.lua:4: script stopped' "checking a hostile one says why it is broken"
finish
