#!/usr/bin/env bash
# The CPU profiler: a program with known CPU shares (tests/runtime/prof.c:
# heavy does twice light's work) is profiled through CHANLAB_CPUPROFILE and
# the file is read back by Go's own `go tool pprof`.
. tests/lib.sh
P=$B/tests/runtime/prof
plan 40
command -v go >/dev/null || { echo "# go is missing: run tools/deps.sh test" >&2; }

# share FILE FUNC: FUNC's cumulative share of the samples, in percent
share() { go tool pprof -top "$1" 2>/dev/null | awk -v f="$2" '$6 == f { sub("%", "", $5); print int($5 + 0.5) }'; }
within() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

for p in 1 2; do
	# 1000 Hz for about 3 CPU-seconds: ~800 signals, so a share is known to
	# about 1.7 points (one standard deviation) and 5 points is three
	GOMAXPROCS=$p CHANLAB_CPUPROFILE=$TMP/cpu$p.pb.gz,1000 timeout 60 "$P" 4 >/dev/null; rc=$?
	ok $rc "the profiled program exits 0 [GOMAXPROCS=$p]"
	is "$(head -c2 "$TMP/cpu$p.pb.gz" | od -An -tx1 | tr -d ' ')" 1f8b "the profile is gzip [GOMAXPROCS=$p]"
	# shares of the two functions' samples (the scheduler's own, on g0,
	# vary with the machine's load and are left out)
	h=$(share "$TMP/cpu$p.pb.gz" heavy); l=$(share "$TMP/cpu$p.pb.gz" light)
	hs=$(( ${h:-0} + ${l:-0} > 0 ? ${h:-0} * 100 / (${h:-0} + ${l:-0}) : -1 ))
	within "$hs" 62 72; ok $? "heavy has 2/3 of the work's samples, within 5 points: $hs% (of all: ${h:-none}%) [GOMAXPROCS=$p]"
	within "$((100 - hs))" 28 38; ok $? "light has 1/3, within 5 points: $((100 - hs))% (of all: ${l:-none}%) [GOMAXPROCS=$p]"
done

traces=$(go tool pprof -traces "$TMP/cpu2.pb.gz" 2>&1)
like "$traces" $'mix\n +work\n +heavy' "stacks are whole: the leaf, a frame in between, the goroutine's function"
tags=$(go tool pprof -tags "$TMP/cpu2.pb.gz" 2>&1)
like "$tags" 'G[0-9]+ heavy' "each sample is labelled with its goroutine and the function it runs"

# go_pprof_do (pprof.Do): 300 ms of CPU under phase=parse (100 ms of it
# by a goroutine spawned inside, which inherits the labels), 100 ms under
# phase=render
out=$(GOMAXPROCS=2 CHANLAB_CPUPROFILE=$TMP/labels.pb.gz,1000 timeout 60 "$B/tests/runtime/labels")
is "$out" "before none, child phase=parse,tenant=7, render phase=render, after none" \
	"go_pprof_labels: the labels inside, inherited by a goroutine, gone after"
tags=$(go tool pprof -tags "$TMP/labels.pb.gz" 2>&1)
parse=$(printf '%s\n' "$tags" | sed -n 's/.*(\( *[0-9.]*\)%): parse$/\1/p' | tr -d ' ' | cut -d. -f1)
within "${parse:-0}" 65 85; ok $? "go tool pprof -tags: phase=parse has 3/4 of the samples (${parse:-none}%)"
like "$tags" $'tenant: Total [0-9.]+ms\n +[0-9.]+ms \\(  100%\\): 7' "and tenant=7 only the parse phase's"

# At 1000 Hz the kernel delivers fewer signals than periods (it checks CPU
# timers at its tick): weighting each sample by the timer's overrun keeps
# the total near the CPU time the program used.
TIMEFORMAT='%U %S'
cpu=$( { time GOMAXPROCS=1 CHANLAB_CPUPROFILE=$TMP/fast.pb.gz,1000 "$P" 2 >/dev/null; } 2>&1 | awk '{ print int(($1 + $2) * 1000) }')
total=$(go tool pprof -top "$TMP/fast.pb.gz" 2>/dev/null | sed -n 's/.*Total samples = \([0-9.]*\)\(m*s\).*/\1 \2/p' |
	awk '{ print int($2 == "s" ? $1 * 1000 : $1) }')
within "$total" $((cpu * 80 / 100)) $((cpu * 110 / 100)); ok $? "at 1000 Hz the samples add up to the CPU time: ${total:-none} ms of $cpu ms"
# At 1 P the two goroutines are preempted by signal every 10 ms; a sample
# that comes with the preemption is charged where the goroutine was, not to
# the handler that stops it (a sixth of the samples were, before)
is "$(go tool pprof -top "$TMP/fast.pb.gz" 2>/dev/null | grep -cE ' (on_sigurg|async_entry)$')" 0 \
	"no sample is charged to the preemption's signal handler or entry"

GOMAXPROCS=2 timeout 60 "$P" 1 >/dev/null; ok $? "without CHANLAB_CPUPROFILE nothing is profiled"

# Block and mutex profiles of tests/runtime/contend.c: a goroutine parked
# about 100 ms on a channel, another about 50 ms on a mutex held by holder().
C=tests/runtime/contend.c
L() { grep -n "/\* @$1 \*/" $C | cut -d: -f1; }
ms() { awk -v f="$2" '$0 ~ f { v = $4; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	print int(u == "s" ? v * 1000 : u == "us" ? v / 1000 : v); exit }' <<<"$1"; }
CHANLAB_BLOCKPROFILE=$TMP/block.pb.gz CHANLAB_MUTEXPROFILE=$TMP/mutex.pb.gz,1 GOMAXPROCS=2 timeout 60 \
	"$B/tests/runtime/contend" >/dev/null; ok $? "the contended program runs with both profiles on"
block=$(go tool pprof -lines -top "$TMP/block.pb.gz" 2>&1)
w=$(ms "$block" "waiter $C:$(L block)\$")
within "$w" 95 5000; ok $? "the block profile charges about 100 ms to the receive at $C:$(L block) (${w:-none} ms)"
like "$(go tool pprof -tags "$TMP/block.pb.gz" 2>&1)" 'chan receive' "each block sample says what it waited for"
mutex=$(go tool pprof -lines -top "$TMP/mutex.pb.gz" 2>&1)
h=$(ms "$mutex" "holder $C:$(L unlock)\$")
within "$h" 40 5000; ok $? "the mutex profile charges about 45 ms to the unlock at $C:$(L unlock) (${h:-none} ms)"
like "$(go tool pprof -traces "$TMP/mutex.pb.gz" 2>&1)" 'sync.Mutex.Lock' "and says it was a sync.Mutex"

# The heap profile of tests/runtime/heap.c at rate 1 (every allocation):
# exact counts and bytes, allocated and still in use, per function.
CHANLAB_MEMPROFILE=$TMP/heap.pb.gz,1 timeout 60 "$B/tests/runtime/heap" >/dev/null; ok $? "the program runs with the heap profile on"
v() { go tool pprof -sample_index=$1 -unit=B -top "$TMP/heap.pb.gz" 2>/dev/null | awk -v f="$2" '$6 == f { sub("B", "", $1); print $1 }'; }
is "$(v alloc_objects big) $(v alloc_space big) $(v alloc_objects small) $(v alloc_space small)" "4000 12000000 4000 4000000" \
	"alloc_objects and alloc_space are exact per function"
is "$(v inuse_objects big) $(v inuse_space big) $(v inuse_space small)" "1000 3000000 " "inuse counts what was not freed, where it was allocated"
CHANLAB_MEMPROFILE=$TMP/heap2.pb.gz timeout 60 "$B/tests/runtime/heap" >/dev/null &&
	like "$(go tool pprof -sample_index=alloc_space -top "$TMP/heap2.pb.gz" 2>&1)" 'Type: alloc_space' \
	"sampled at Go's 512 KiB, go tool pprof reads it as Go's heap profile"

# The execution trace of the same program, read by Go's own tool.
CHANLAB_TRACE=$TMP/trace.out GOMAXPROCS=2 timeout 60 "$B/tests/runtime/contend" >/dev/null; ok $? "the traced program runs"
events=$(go tool trace -d "$TMP/trace.out" 2>&1); rc=$?
is "$rc" 0 "go tool trace reads the trace"
count() { printf '%s\n' "$events" | grep -c " $1 "; }
is "$(count GoCreate) $(count GoEnd)" "4 3" "it has the four goroutines created and the three that ended"
[ "$(count GoBlockRecv)" -ge 1 ] && [ "$(count GoBlockSync)" -ge 1 ] && [ "$(count GoUnblock)" -ge 3 ]
ok $? "and their blocks on the channel and the mutex, and the unblocks"
go tool trace -pprof=sync "$TMP/trace.out" >"$TMP/sync.pprof" 2>/dev/null
w=$(ms "$(go tool pprof -lines -top "$TMP/sync.pprof" 2>&1)" "waiter $C:$(L block)\$")
within "$w" 95 5000; ok $? "go tool trace -pprof=sync finds the 100 ms receive at $C:$(L block) (${w:-none} ms)"
is "$(printf '%s\n' "$events" | grep -o 'User[A-Za-z]* .*' | sed 's/ p=[0-9]* g=[0-9]* off=[0-9]*//; s/ \(taskid\|id\)=[0-9]*//; s/ \(pid\|typeid\|keyid\)=[0-9]*//g' | tr '\n' '|')" \
	"UserTaskCreate name=contend|UserLog category=phase message=the waiter is fed|UserRegion mode=0 name=lockers|UserRegion mode=1 name=lockers|UserTaskEnd|" \
	"the program's own task, log and region are in it, as runtime/trace's"
# system calls: a goroutine in read(2) and one in usleep at GOMAXPROCS=1;
# traced, the monitor still takes the P, and the trace says so as Go's
CHANLAB_TRACE=$TMP/sys.out GOMAXPROCS=1 timeout 60 "$B/tests/runtime/syscall" >"$TMP/sys.txt"
is "$(cat "$TMP/sys.txt")" "ticks many, read 1 byte, slept" "traced, system calls still give up their P"
sys=$(go tool trace -d "$TMP/sys.out" 2>&1); rc=$?
is "$rc $(printf '%s\n' "$sys" | grep -c ' GoSysBlock ') $(printf '%s\n' "$sys" | grep -c ' GoSysExit ')" "0 2 2" \
	"go tool trace reads the two calls that blocked and their exits"
go tool trace -pprof=syscall "$TMP/sys.out" >"$TMP/sys.pprof" 2>/dev/null
w=$(ms "$(go tool pprof -lines -top "$TMP/sys.pprof" 2>&1)" "sleeper tests/runtime/syscall.c:33\$")
within "$w" 150 5000; ok $? "go tool trace -pprof=syscall finds the 200 ms usleep at syscall.c:33 (${w:-none} ms)"
# a fatal error ends the program without its atexit handlers: the
# profiles and the trace are written all the same (not in a crash, whose
# signal handler may not take malloc's lock)
GOMAXPROCS=1 CHANLAB_CPUPROFILE=$TMP/quit.pb.gz timeout --preserve-status -s QUIT 0.5 "$B/tests/runtime/output" loop >/dev/null 2>&1
like "$(go tool pprof -top "$TMP/quit.pb.gz" 2>&1)" '[0-9.]+m?s +[0-9.]+% +[0-9.]+% +[0-9.]+m?s +[0-9.]+% +go_main' \
	"the checker's SIGQUIT: the CPU profile of the loop it stopped is written"
CHANLAB_TRACE=$TMP/panic.out timeout 30 "$B/tests/runtime/output" panic >/dev/null 2>&1
CHANLAB_MUTEXPROFILE=$TMP/dead.pb.gz timeout 30 "$B/tests/runtime/output" deadlock >/dev/null 2>&1
go tool trace -d "$TMP/panic.out" >/dev/null 2>&1 && go tool pprof -top "$TMP/dead.pb.gz" >/dev/null 2>&1
ok $? "a panic's trace and a deadlock's mutex profile are written, and Go's tools read them"
CHANLAB_CPUPROFILE=$TMP/segv.pb.gz timeout 30 "$B/tests/runtime/output" segv >/dev/null 2>&1; rc=$?
is "$rc $([ -e "$TMP/segv.pb.gz" ] && echo written || echo none)" "2 none" "a crash ends at once, its profile lost"
CHANLAB_SCHED=pct:3:3 CHANLAB_TRACE=$TMP/det.out timeout 60 "$B/tests/runtime/det" trace >/dev/null &&
	go tool trace -d "$TMP/det.out" >/dev/null 2>&1; ok $? "a trace of a deterministic run reads too"
# 800 goroutines talking through the network poller: a trace of many
# buffers per P (written oldest first) and of unblocks from the poller's
# thread, which has no P (Go's "network" unblocks)
CHANLAB_TRACE=$TMP/net.out GOMAXPROCS=2 timeout 60 "$B/tests/runtime/netpoll" >/dev/null &&
	net=$(go tool trace -d "$TMP/net.out" 2>&1); ok $? "a long trace of the network poller reads"
[ "$(printf '%s\n' "$net" | grep -c ' GoBlockNet ')" -ge 100 ] &&
	[ "$(printf '%s\n' "$net" | grep -c ' GoUnblock p=1000002 ')" -ge 100 ]
ok $? "with goroutines blocked on the network and unblocked by the poller"
finish
