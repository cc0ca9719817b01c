#!/usr/bin/env bash
# chanlab trace ID and the shell's t: the exercise's check with every run of
# the learner's code traced; what the trace says and the scheduler timeline
# (a row per P, a letter per goroutine), in command mode and in a real
# terminal at 80x24 and 120x40; the kept file opens in go tool trace.
. tests/lib.sh
. tests/screen.sh
plan 21
P=$TMP/pack
X=$P/conc/spin
mkdir -p "$X/solution"
printf 'return { name = "tr", version = "1", format = 1, tracks = { "conc" } }\n' >"$P/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Spin", track = "conc", difficulty = 1, files = { "spin.c" },
  text = "# Spin\n\nTwo goroutines, two Ps.",
  hints = { "Look at the timeline.", "Both Ps are busy.", "That is the point." },
  check = function(c)
    local r = c:run(c:build(), { env = { "GOMAXPROCS=2" }, timeout = 20 })
    c:test("runs to the end", r.ok, "it " .. r.how)
  end,
}
LUA
cat >"$X/spin.c" <<'C'
#include <stdio.h>
#include <go.h>

static go_waitgroup wg = GO_WAITGROUP_INIT;
static volatile unsigned long sink[2];

static void spin(void *arg)
{
	long i = (long)arg;
	int64_t end = go_now() + 60 * GO_MILLISECOND;

	while (go_now() < end)
		sink[i] = sink[i] * 6364136223846793005UL + 1;
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	go_waitgroup_add(&wg, 2);
	go_spawn(spin, (void *)0L);
	go_spawn(spin, (void *)1L);
	go_waitgroup_wait(&wg);
	puts("done");
	return 0;
}
C
cp "$X/spin.c" "$X/solution/spin.c"

out=$(COLUMNS=80 "$CHANLAB" --home "$TMP/home" --pack="$P" trace spin 2>&1); rc=$?
is "$rc" 0 "chanlab trace runs the check with every run traced"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "trace of run 1 of 1: [0-9.]+ s, [0-9]+ events, [0-9]+ goroutines \\(at most [0-9]+ alive, 2 running at once\\), GOMAXPROCS 2" \
	"what the trace says: two goroutines ran at once on two Ps"
p0=$(printf '%s\n' "$out" | awk '$1 == "P0" && NF == 2 { print $2 }')
p1=$(printf '%s\n' "$out" | awk '$1 == "P1" && NF == 2 { print $2 }')
[ "$(printf '%s' "$p0" | tr -cd 'A-Z' | wc -c)" -ge 30 ] && [ "$(printf '%s' "$p1" | tr -cd 'A-Z' | wc -c)" -ge 30 ]
ok $? "the timeline shows both Ps running goroutines most of the time"
like "$out" "[A-Z]=G[0-9]+ [A-Z]=G[0-9]+" "and which goroutine each letter is"
file=$(printf '%s\n' "$out" | sed -n 's/^  go tool trace //p')
[ -s "$file" ]; ok $? "the trace is kept ($file)"
d=$(go tool trace -d "$file" 2>&1)
like "$d" "GoStart p=1" "go tool trace reads it (a goroutine started on P1)"
before=$("$CHANLAB" --home "$TMP/home" --pack="$P" history spin 2>&1 | grep -c '#')
out=$("$CHANLAB" --home "$TMP/home" --pack="$P" trace --last spin 2>&1)
like "$out" "trace of run 1 of 1" "--last shows the kept trace"
is "$("$CHANLAB" --home "$TMP/home" --pack="$P" history spin 2>&1 | grep -c '#')" "$before" "without a new attempt"
# the timeline for Chrome's about:tracing and Perfetto
"$CHANLAB" --home "$TMP/home" --pack="$P" trace --last --chrome="$TMP/chrome.json" spin >/dev/null 2>&1
is "$(python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
names = sorted(e["args"]["name"] for e in ev if e.get("name") == "thread_name")
xs = [e for e in ev if e["ph"] == "X"]
busy = {p: sum(e["dur"] for e in xs if e["tid"] == p) for p in (0, 1)}
print(names, all(e["name"].startswith("G") and e["dur"] >= 0 for e in xs), all(b > 10000 for b in busy.values()))
' "$TMP/chrome.json" 2>&1)" "['P0', 'P1'] True True" "--chrome writes the timeline as trace events: a thread per P, each running goroutines over 10 ms"

# the timeline at the smallest terminal chanlab takes, and a large one
for size in "80 24" "120 40"; do
	rm -rf "$TMP/home/profiles"
	tmux kill-session -t "$S" 2>/dev/null
	ARGS="--pack $P" start $size
	see "spin" "$size: the home screen"
	keys Enter
	see "Two goroutines, two Ps" "$size: the exercise opens"
	keys t
	see "trace of spin, run 1 of 1: [0-9.]+ s" "$size: t with no trace kept traces a check, then shows it" 60
	like "$screen" "3 goroutines, [12] running at most, GOMAXPROCS 2" "$size: with its counts, whole (on a line of their own when narrow)"
	see "P1 +[.:A-Za-z+]{30}" "$size: with the timeline, a row per P"
	# busy most of the time, two spinning goroutines on two Ps (a loaded
	# machine takes a thread off its core now and then)
	busy() { printf '%s\n' "$screen" | awk -v p="$1" '$1 == p && $2 ~ /^[.:A-Za-z+]+$/ && length($2) > 20 { print $2; exit }' | tr -cd 'A-Za-z' | wc -c; }
	[ "$(busy P0)" -ge 10 ] && [ "$(busy P1)" -ge 10 ]; ok $? "$size: P0 and P1 both run goroutines ($(busy P0) and $(busy P1) columns)"
done
finish
