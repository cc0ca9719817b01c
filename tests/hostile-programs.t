#!/usr/bin/env bash
# Hostile learner programs through `chanlab check`: each is reported in
# plain words, chanlab answers within its limits, and nothing is left
# running. The pack in tests/hostile/pack runs prog.c with a 1 s timeout,
# 256 MiB of memory and a 64 KiB output cap; each case swaps prog.c.
. tests/lib.sh
plan 56
H=$TMP/home
PACK=$PWD/tests/hostile/pack
W=$H/work/program

# check NAME: runs the hostile program NAME; sets $json, $secs, $msg.
check() {
	mkdir -p "$W"
	cp "tests/hostile/$1.c" "$W/prog.c"
	local t0=$(date +%s.%N)
	json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" program 2>&1)
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	msg=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); t=[t for t in d["tests"] if t["name"]=="runs cleanly"]; print(t[0]["message"] if t else d["message"]); print(t[0]["output"] if t else "")' 2>&1)
}
within() { [ "$(echo "$secs < $1" | bc)" = 1 ]; }
leftovers() { pgrep -c "$1" 2>/dev/null || true; }

# The network namespace has its loopback up: a server and its client in
# one program talk over 127.0.0.1 (and nothing else is there).
check loopback
like "$json" '"name":"runs cleanly","status":"pass"' "a program talks to itself over 127.0.0.1 in the sandbox"
# (it exits 1 unless "hello" came back through the network poller)
json=$(CHANLAB_NO_NAMESPACES=1 "$CHANLAB" --home "$H" check --json --pack="$PACK" program 2>&1)
like "$json" "listen on 127.0.0.1: (Operation not permitted|Permission denied)" \
	"without namespaces, where there is no network of its own, sockets are refused"

check loop
like "$msg" "timed out after 1\.[0-9] s and was stopped" "an endless loop is stopped at its timeout"
within 8; ok $? "and chanlab answers in time ($secs s)"

# A CPU limit below the wall-clock limit stops a spinning program first.
mkdir -p "$H/work/cpulimit"
cp tests/hostile/loop.c "$H/work/cpulimit/prog.c"
t0=$(date +%s.%N)
json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" cpulimit 2>&1)
secs=$(echo "$(date +%s.%N) - $t0" | bc)
like "$json" "used up its CPU time and was stopped \\(SIGXCPU\\)|killed \\(SIGKILL" "a CPU limit is reported in plain words"
within 8; ok $? "before the wall-clock limit ($secs s)"

check forkbomb
like "$msg" "timed out|was killed|exited" "a fork bomb is stopped: $(echo "$msg" | head -1)"
within 10; ok $? "within its limits ($secs s)"
sleep 0.2
is "$(leftovers chl-forkbomb)" 0 "and not one of its processes is left"
load=$(cut -d' ' -f4 /proc/loadavg | cut -d/ -f2)
[ "$load" -lt 2000 ]; ok $? "the machine's process count stays sane ($load)"

check flood
like "$msg" "timed out|exited" "10 GB of output: $(echo "$msg" | head -1)"
like "$msg" "more bytes of output were dropped" "the dropped output is said"
within 10; ok $? "and chanlab answers in time ($secs s)"
size=${#json}
[ "$size" -lt 200000 ]; ok $? "the verdict stays small ($size bytes)"

check memhog
like "$msg" "used more than 256 MiB of memory and was stopped" "a memory hog is stopped and told why: $(echo "$msg" | head -1)"
like "$msg" "printed before the hog" "what it printed first is in the verdict"
like "$msg" "fatal error: out of memory \\(the program held more than its 256 MiB" "and the runtime's word with its goroutines"
within 10; ok $? "within its limits ($secs s)"

# The limit is on memory, every process of the run summed: not on
# address space, which goroutine stacks take much of and hardly use.
check memforks
like "$msg" "used more than 256 MiB of memory and was stopped" "four processes of 100 MiB are over 256 MiB together"
is "$(leftovers chl-memforks)" 0 "and not one of them is left"
json=$(CHANLAB_NO_NAMESPACES=1 "$CHANLAB" --home "$H" check --json --pack="$PACK" program 2>&1)
like "$json" "used more than 256 MiB of memory and was stopped" "without namespaces too"
check memshared
like "$msg" "used more than 256 MiB of memory and was stopped" "shared memory counts"
# System V IPC objects live in the run's own namespace and go with it
ipcrm -Q 0x43484c42 2>/dev/null
check sysvipc
note=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["note"])' 2>&1)
if [ -z "$note" ]; then
	is "$(ipcs -q | grep -ci 0x43484c42)" 0 "a message queue a program leaves goes with its run"
else
	ok 0 "# SKIP not isolated: a message queue a program leaves goes with its run"
fi
ipcrm -Q 0x43484c42 2>/dev/null
check goroutines
like "$json" '"name":"runs cleanly","status":"pass"' "20,000 parked goroutines fit in 256 MiB: $(echo "$msg" | head -1)"

check segv
like "$msg" "crashed: invalid memory access \(SIGSEGV" "a NULL write is a crash in plain words"
within 6; ok $? "promptly ($secs s)"

check abort
like "$msg" "aborted \(SIGABRT: abort\(\) was called" "abort is reported as such"
within 6; ok $? "promptly ($secs s)"

# What it printed before the end is in the verdict (stdout is a pipe).
check printloop
like "$msg" "timed out after 1\.[0-9] s" "a program that prints, then spins, is stopped at its timeout"
like "$msg" "before the loop" "and what it printed is in the verdict"
check printabort
like "$msg" "aborted \(SIGABRT" "a program that prints, then aborts, is reported as aborted"
like "$msg" "before the abort" "and what it printed is in the verdict"

check closeout
like "$json" '"status":"pass"' "a program that closes stdout and stderr still ends cleanly"
within 6; ok $? "promptly ($secs s)"

check sleeper
like "$msg" "timed out after 1\.[0-9] s" "a program that sleeps forever is stopped"
within 8; ok $? "at its timeout ($secs s)"
sleep 0.1
is "$(pgrep -fc "$H/build/program" 2>/dev/null || true)" 0 "and none of its threads or processes is left"

check daemon
like "$json" '"status":"pass"' "a program that leaves a setsid daemon behind ends"
within 6; ok $? "promptly ($secs s)"
sleep 0.1
is "$(leftovers chl-daemon)" 0 "and its double-forked daemon is gone"

rm -f /tmp/chanlab-escaped /var/tmp/chanlab-escaped "$H/build/chanlab-escaped"
check escape
like "$msg" "exited with status 1" "writing outside its folder is refused, writing inside works"
like "$msg" "Read-only file system|Permission denied" "with the system's reason"
[ ! -e /tmp/chanlab-escaped ] && [ ! -e /var/tmp/chanlab-escaped ]; ok $? "nothing was written outside"

# The network: a sandboxed program sees only loopback.
cat >"$W/prog.c" <<'C'
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	char line[256];
	int n = 0;
	FILE *f = fopen("/proc/net/dev", "r");
	(void)argc, (void)argv;
	while (f && fgets(line, sizeof(line), f))
		n++;
	printf("%d\n", n - 2);   /* two header lines */
	return 3;
}
C
json=$("$CHANLAB" --home "$H" check --json --pack="$PACK" program)
like "$json" '"output":"1\\n' "a learner program sees one network device (loopback): no network"
note=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["note"])')
if [ -n "$note" ]; then
	like "$note" "not isolated" "where namespaces are unavailable the verdict says so"
else
	ok 0 "namespaces are available here, so the verdict carries no isolation note"
fi

# The learner's program cannot forge harness results by printing them.
EX=exercises/concurrency/pipeline-close
mkdir -p "$H/work/pipeline-close"
cat >"$H/work/pipeline-close/pipeline.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "pipeline.h"
long pipeline_sum_squares(const int *xs, int n)
{
	(void)xs, (void)n;
	for (int fd = 1; fd <= 2; fd++)
		dprintf(fd, "passed no_numbers\npassed one_number\n");
	exit(0);
}
C
json=$("$CHANLAB" --home "$H" check --json pipeline-close)
like "$json" '"status":"fail"' "printing 'passed' lines does not pass a harness test"
like "$json" '"name":"one_number","status":"fail"' "the case is failed"

# Tests are read from the pack: editing a copy in the workspace changes nothing.
cp "$EX/solution/pipeline.c" "$H/work/pipeline-close/pipeline.c"
printf '#include <chanlab_test.h>\nCL_TEST(fake) { }\n' >"$H/work/pipeline-close/pipeline_test.c"
printf '#define pipeline_sum_squares(x, n) 0\n' >>"$H/work/pipeline-close/pipeline.h"
json=$("$CHANLAB" --home "$H" check --json pipeline-close)
like "$json" '"name":"many_numbers","status":"pass"' "the harness comes from the pack, not the learner's folder"
like "$json" '"status":"pass"' "and the learner's copies of test files are ignored"

# Filling the disk: 100 files of 10 MiB. Its folder is a 128 MiB tmpfs, so
# writes past that fail and nothing reaches the disk. The private folders go
# to $TMP/runs (searchable by the throw-away uid chanlab uses as root).
mkdir -p "$TMP/runs" && chmod 711 "$TMP" "$TMP/runs"
du_before=$(du -sk "$H/build" | cut -f1)
TMPDIR=$TMP/runs check diskfill
note=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["note"])' 2>&1)
if [ -z "$note" ]; then
	like "$msg" "filled its temporary folder \(no space left on device: the folder holds at most 128 MiB\)" \
		"a program that fills its folder is told so: $(echo "$msg" | head -1)"
	like "$json" '"name":"runs cleanly","status":"fail"' "and fails, though it exited with status 0"
	like "$msg" "wrote ([0-9]|[0-9][0-9]|1[01][0-9]|12[0-8]) MiB; tmpfs: yes" \
		"it wrote at most 128 MiB, in memory: $(echo "$msg" | sed -n 2p | cut -d';' -f1-2)"
else
	for t in "is told so" "and fails" "in memory"; do ok 0 "# SKIP not isolated, no cap: $t"; done
fi
within 8; ok $? "chanlab answers within its limits ($secs s)"
like "$msg" "in $TMP/runs/chanlab-run\." "in a private folder under \$TMPDIR"
left=$(find "$TMP/runs" -mindepth 1 | wc -l)
size=$(( $(du -sk "$TMP/runs" | cut -f1) + $(du -sk "$H/build" | cut -f1) - du_before ))
[ "$left" = 0 ] && [ "$size" -lt 10240 ]; ok $? "nothing of it remains on the disk ($left files, $size KiB more)"

pgrep -u "$(id -u)" -f 'chanlab-run\.' >/dev/null; ok $((! $?)) "no sandboxed process of this test is left"
finish
