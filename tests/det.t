#!/usr/bin/env bash
# Deterministic schedules (runtime/det.c) on tests/runtime/det.c: the same
# seed gives the same run byte for byte, PCT finds a lost update, a
# lock-order deadlock and a lost wake-up and replays them from their seed, the fixed programs
# pass every schedule, and virtual time runs a simulated hour at once.
. tests/lib.sh
R=$B/tests/runtime/det
plan 26

run() {   # run SPEC WHAT: stdout, stderr and status in one string
	CHANLAB_SCHED=$1 timeout 10 "$R" "$2" >"$TMP/o" 2>"$TMP/e"
	printf '%s\n--\n%s\n-- %s' "$(cat "$TMP/o")" "$(cat "$TMP/e")" "$?"
}
same10() {   # same10 SPEC WHAT: true if ten runs are identical
	local first; first=$(run "$1" "$2")
	for i in 2 3 4 5 6 7 8 9 10; do [ "$(run "$1" "$2")" = "$first" ] || return 1; done
}
first_failing() {   # first_failing WHAT STRATEGY N: the first seed that fails, or nothing
	for s in $(seq 1 "$3"); do
		spec=$2:$s; [ "$2" = pct ] && spec=pct:$s:3
		CHANLAB_SCHED=$spec timeout 10 "$R" "$1" >/dev/null 2>&1 || { echo "$spec"; return; }
	done
}
all_pass() {   # all_pass WHAT N
	for s in $(seq 1 "$2"); do CHANLAB_SCHED=pct:$s:3 timeout 10 "$R" "$1" >/dev/null 2>&1 || return 1; done
}

same10 random:7 trace; ok $? "the same random seed prints the same bytes, ten times"
same10 pct:7:3 trace; ok $? "the same PCT seed prints the same bytes, ten times"
outs=$(for s in 1 2 3 4 5 6 7 8; do run random:$s trace | md5sum; done | sort -u | wc -l)
[ "$outs" -ge 3 ]; ok $? "different seeds give different interleavings ($outs of 8 distinct)"

lost=$(first_failing lostupdate pct 1000)
[ -n "$lost" ]; ok $? "PCT (depth 3) finds the lost update within 1000 schedules (${lost:-none})"
same10 "$lost" lostupdate; ok $? "and the failing schedule replays identically ten times"
all_pass fixed 1000; ok $? "the fixed counter passes 1000 PCT schedules"

dead=$(first_failing lockorder pct 1000)
[ -n "$dead" ]; ok $? "PCT finds the lock-order deadlock within 1000 schedules (${dead:-none})"
out=$(run "$dead" lockorder)
like "$out" "all goroutines are asleep - deadlock!" "it is reported as a deadlock"
like "$out" "schedule: $dead \\(replay it with CHANLAB_SCHED=$dead\\)" "the report names the schedule and how to replay it"
same10 "$dead" lockorder; ok $? "the deadlock replays identically ten times"
CHANLAB_SCHED=$dead CHANLAB_SCHED_LOG=$TMP/dead.log timeout 10 "$R" lockorder >/dev/null 2>&1
like "$(cat "$TMP/dead.log")" \
	" after G[0-9]+ sync\.Mutex\.Lock at [a-z/]*det\.c:[0-9]+ [a-z]+ \| the mutex G[0-9]+ locked at [a-z/]*det\.c:[0-9]+; 1 goroutine waits for it"$'\n' \
	"its log says, where a goroutine waits for a mutex, who locked it and where"
all_pass ordered 1000; ok $? "taking the locks in one order passes 1000 PCT schedules"

lost=$(first_failing lostwakeup pct 1000)
[ -n "$lost" ]; ok $? "PCT finds the lost wake-up (a flag checked outside the lock) within 1000 schedules (${lost:-none})"
same10 "$lost" lostwakeup; ok $? "and it replays identically ten times"
all_pass nolostwakeup 1000; ok $? "checked under the lock in a loop, it passes 1000 PCT schedules"

lost=$(first_failing checkact pct 1000)
[ -n "$lost" ]; ok $? "PCT finds the check-then-act race through a channel within 1000 schedules (${lost:-none})"
like "$(run "$lost" checkact)" "all goroutines are asleep - deadlock!" "the second send waits for ever: a deadlock"
same10 "$lost" checkact; ok $? "and it replays identically ten times"
all_pass tryact 1000; ok $? "checking and acting in one step (go_try_send) passes 1000 PCT schedules"
is "$(CHANLAB_SCHED=random:3 timeout 10 "$R" deadline)" "done after 250000000 ns" \
	"a context deadline fires at its virtual time exactly"

start=$(date +%s%N)
is "$(CHANLAB_SCHED=random:1 timeout 10 "$R" ticker)" "3600 ticks in 3600 s" "a 1 s ticker runs a simulated hour: exactly 3600 ticks"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1000 ]; ok $? "on virtual time, in under a second ($ms ms)"

CHANLAB_SCHED=pct:5:2 CHANLAB_SCHED_LOG=$TMP/log1 "$R" trace >/dev/null
CHANLAB_SCHED=pct:5:2 CHANLAB_SCHED_LOG=$TMP/log2 "$R" trace >/dev/null
[ -s "$TMP/log1" ] && cmp -s "$TMP/log1" "$TMP/log2"; ok $? "the schedule log is written, and the same for the same seed"
like "$(head -n2 "$TMP/log1")" $'^# chanlab schedule pct:5:2: [0-9]+ decisions.*\n1 G[0-9]+$' "it lists each decision's goroutine"
like "$(cat "$TMP/log1")" $'\n[0-9]+ G[0-9]+ after G[0-9]+ (yielded|chan (send|receive)|select)( at [a-z/]*det\\.c:[0-9]+ [a-z_]+)?\n' "and how the goroutine before it stopped, at its line"

CHANLAB_SCHED=fair:1 "$R" trace >/dev/null 2>"$TMP/e"; rc=$?
is "$rc $(head -n1 "$TMP/e")" "2 fatal error: CHANLAB_SCHED is random:SEED or pct:SEED[:DEPTH[:STEPS]]" "a bad schedule is refused with what to write"
finish
