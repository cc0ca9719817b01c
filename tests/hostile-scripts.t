#!/usr/bin/env bash
# Hostile and broken exercise scripts: each gives a clear message with the
# script's file:line, is stopped within its limits, and never stops the
# other exercises of the pack from loading.
. tests/lib.sh
plan 20
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
like "$msg" "script stopped: it used more than 64 MiB of memory" "a memory bomb is stopped"

check missing
like "$msg" "missing/exercise.lua:5: extra file 'helpers.c' is not in the exercise folder" "a missing instructor file names the script line"

check escape
like "$json" '"status":"pass"' "no io, os, require, load, debug, string.dump or package; paths stay inside"
is "$(printf '%s' "$json" | grep -o '"status":"pass"' | wc -l)" 12 "every escape test passes"

# A script cannot catch its own stop: each of these ends within the
# check's limit (50 million instructions), at the line where it was.
stopped() {   # stopped ID LINE-PATTERN WHAT
	check "$1"
	like "$msg" "$1/exercise.lua:$2: script stopped: it ran more than 50000 thousand instructions" "$3 is stopped at its line"
	[ "$rc" = 1 ] && [ "$secs" -lt 20 ]; ok $? "within its limit (exit $rc after $secs s)"
}
stopped catch-pcall 7 "an endless loop inside pcall, called again and again,"
stopped catch-xpcall 7 "an endless loop inside xpcall with a handler"

# A script's error never hides the other exercises from `chanlab check`.
check escape
is "$rc" 0 "an intact exercise in the same pack checks fine"

# The bundled pack is untouched by any of this.
out=$("$CHANLAB" --home "$H" list)
like "$out" "first-goroutine" "the bundled pack still lists"
[ "$(printf '%s' "$out" | grep -c broken)" = 0 ]; ok $? "with no broken exercise"
finish
