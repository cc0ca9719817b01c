#!/usr/bin/env bash
# c:profile and c:run{ profile = "cpu" }: a check script profiles the
# learner's program and grades by what the CPU profile says, the way a
# "find the hot spot" exercise does.
. tests/lib.sh
plan 20
P=$TMP/pack
X=$P/perf/hot
mkdir -p "$X/solution"
printf 'return { name = "prof", version = "1", format = 1, tracks = { "perf" } }\n' >"$P/pack.lua"
cat >"$X/exercise.lua" <<'LUA'
return {
  title = "Hot", track = "perf", difficulty = 1, files = { "hot.c" },
  text = "Make report() fast.",
  hints = { "Look at the profile.", "Hoist strlen out of the loop.", "Read the top table." },
  check = function(c)
    local prog = c:build()
    local p, r = c:profile(prog, { timeout = 20 })
    c:test("runs to the end", r.ok, "your program " .. r.how)
    if not p then
      c:test("writes a profile", false, r.profile_error or "no profile")
      return
    end
    local top = p.functions[1]
    c:test("has samples", p.samples >= 20, "only " .. p.samples .. " samples")
    local sl = p.by_name.count_spaces
    c:test("count_spaces is not the hot spot",
           not (sl and sl.cum_share > 0.5),
           string.format("count_spaces has %.0f%% of the CPU time (%s:%d); top is %s",
                         sl and sl.cum_share * 100 or 0, sl and sl.file or "?", sl and sl.line or 0, top.name))
  end,
}
LUA
cat >"$X/hot.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "go.h"

static char text[1 << 14];
static volatile unsigned long sink;

/* strlen in the loop condition: quadratic (the loop writes to s, so the
 * compiler cannot hoist it). */
static __attribute__((noinline)) long count_spaces(char *s)
{
	long n = 0;
	for (size_t i = 0; i < strlen(s); i++) {
		n += s[i] == ' ';
		s[i] = s[i] == 'a' ? 'b' : 'a';
	}
	return n;
}

/* The rest of the program's work, the same in every version. */
static __attribute__((noinline)) void other_work(void)
{
	unsigned long x = 1;
	for (long i = 0; i < 300000000; i++)
		x = x * 6364136223846793005UL + 1;
	sink = x;
}

int go_main(int argc, char **argv)
{
	long total = 0;
	(void)argc, (void)argv;
	memset(text, 'a', sizeof(text) - 1);
	for (int r = 0; r < 600; r++)
		total += count_spaces(text);
	other_work();
	printf("%ld\n", total);
	return 0;
}
C
sed -e 's/for (size_t i = 0; i < strlen(s); i++)/size_t len = strlen(s);\n\tfor (size_t i = 0; i < len; i++)/' \
    "$X/hot.c" >"$X/solution/hot.c"

json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" hot 2>"$TMP/err"); rc=$?
is "$rc" 1 "the starter's check fails"
test_of() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t=[t for t in d['tests'] if t['name']==sys.argv[1]]; print(t[0]['status'] if t else 'missing', t[0].get('message','') if t else '')" "$1"; }
like "$(test_of 'runs to the end')" '^pass' "the profiled program runs to the end"
like "$(test_of 'has samples')" '^pass' "its profile has samples"
like "$(test_of 'count_spaces is not the hot spot')" '^fail count_spaces has [5-9][0-9]% of the CPU time \(hot.c:1[2-6]\)' \
	"the script reads the hot function, its share and its line from the profile"

cp "$X/solution/hot.c" "$TMP/h/work/perf/hot/hot.c" 2>/dev/null || cp "$X/solution/hot.c" "$(find "$TMP/h" -name hot.c -path '*work*' | head -1)"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" hot 2>"$TMP/err"); rc=$?
is "$rc" 0 "the fixed program's check passes"
like "$(test_of 'count_spaces is not the hot spot')" '^pass' "once the hot spot is gone"

# A program that crashes writes no profile: the script is told, chanlab is not hurt.
cat >"$X/hot.c" <<'C'
#include <signal.h>
#include "go.h"
int go_main(int argc, char **argv) { (void)argc, (void)argv; raise(SIGKILL); return 0; }
C
cp "$X/hot.c" "$(find "$TMP/h" -name hot.c -path '*work*' | head -1)"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" hot 2>"$TMP/err"); rc=$?
is "$rc" 1 "a program killed before it wrote its profile fails"
like "$(test_of 'writes a profile')" "^fail the program wrote no profile" "and the script learns why there is no profile"

# The profile is the learner's file: chanlab reads it without following a
# link or blocking on a pipe.
for kind in link fifo; do
	cat >"$X/hot.c" <<C
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "go.h"
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if ("$kind"[0] == 'l')
		symlink("/etc/passwd", "chanlab-cpu.pb.gz");
	else
		mkfifo("chanlab-cpu.pb.gz", 0600);
	_exit(0);
}
C
	cp "$X/hot.c" "$(find "$TMP/h" -name hot.c -path '*work*' | head -1)"
	json=$(timeout 60 "$CHANLAB" --home "$TMP/h" check --json --pack="$P" hot 2>"$TMP/err")
	like "$(test_of 'writes a profile')" "^fail the program wrote no profile: .*(not a regular file|Too many levels)" \
		"a profile that is a $kind is refused, not followed or waited on"
done

# c:trace: four workers that do their work holding one mutex wait on it;
# the script reads that from the trace's facts.
T=$P/perf/serial
mkdir -p "$T/solution"
cat >"$T/exercise.lua" <<'LUA'
return {
  title = "Serial", track = "perf", difficulty = 1, files = { "work.c" },
  text = "Let the workers run in parallel.",
  hints = { "Look at the trace.", "Hold the lock only to add your total.", "Sum locally." },
  check = function(c)
    local prog = c:build()
    local t, r = c:trace(prog, { env = { "GOMAXPROCS=2" }, timeout = 20 })
    c:test("runs to the end", r.ok, "your program " .. r.how)
    if not t then return c:test("writes a trace", false, r.profile_error) end
    c:test("four workers and go_main", t.goroutines == 5, "goroutines: " .. t.goroutines)
    -- go_main waits once, on the WaitGroup; any other wait on sync is a worker's
    c:test("workers do not wait for each other", t.blocks.sync <= 1,
           string.format("goroutines waited %d times on sync (%.3f s in all); both Ps ran at once: %s",
                         t.blocks.sync, t.blocked.sync, tostring(t.max_running == 2)))
  end,
}
LUA
cat >"$T/work.c" <<'C'
#include <stdio.h>
#include "go.h"

static go_mutex mu = GO_MUTEX_INIT;
static go_waitgroup wg = GO_WAITGROUP_INIT;
static volatile unsigned long total;

static void worker(void *arg)
{
	unsigned long x = total;

	(void)arg;
	go_mutex_lock(&mu);     /* the whole work under the lock */
	for (long i = 0; i < 30000000; i++)
		x = x * 6364136223846793005UL + 1;
	total += x;
	go_mutex_unlock(&mu);
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(worker, NULL);
	go_waitgroup_wait(&wg);
	printf("%lu\n", total & 1);
	return 0;
}
C
sed -e 's|	go_mutex_lock(&mu);     /\* the whole work under the lock \*/||' \
    -e 's|	total += x;|	go_mutex_lock(\&mu);\n	total += x;|' "$T/work.c" >"$T/solution/work.c"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" serial 2>"$TMP/err"); rc=$?
like "$(test_of 'workers do not wait for each other')" '^fail goroutines waited [2-9] times on sync \(0\.[0-9]+ s in all\)' \
	"c:trace tells the script how long the workers waited on the mutex"
cp "$T/solution/work.c" "$(find "$TMP/h" -name work.c -path '*work*' | head -1)"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" serial 2>"$TMP/err"); rc=$?
is "$rc" 0 "the parallel version passes"; [ "$rc" = 0 ] || printf "%s\n" "$json" | head -c 1500 | sed "s/^/# /"
like "$(test_of 'four workers and go_main')" '^pass' "and the trace counts its goroutines"

# c:profile{ kind = "block" } and "mutex": who waited where, and which
# unlock made them wait.
W=$P/perf/waits
mkdir -p "$W/solution"
cat >"$W/exercise.lua" <<'LUA'
return {
  title = "Waits", track = "perf", difficulty = 1, files = { "waits.c" },
  text = "Hold the lock less.",
  hints = { "Look at the mutex profile.", "Sleep outside the lock.", "Read the block profile." },
  check = function(c)
    local prog = c:build()
    local b = c:profile(prog, { kind = "block", env = { "GOMAXPROCS=2" } })
    local m = c:profile(prog, { kind = "mutex", env = { "GOMAXPROCS=2" } })
    local w = b and b.by_name.waiter
    c:test("the block profile sees the waiter", w ~= nil and w.cum > 0.05e9,
           w and string.format("waiter waited %.3f s at waits.c:%d", w.cum / 1e9, w.line) or "no waiter")
    local h = m and m.by_name.holder
    c:test("nobody waits for holder", not h or h.cum < 0.01e9,
           h and string.format("holder made others wait %.3f s (unlock at waits.c:%d)", h.cum / 1e9, h.line) or "")
  end,
}
LUA
cat >"$W/waits.c" <<'C'
#include <stdio.h>
#include "go.h"

static go_mutex mu = GO_MUTEX_INIT;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void waiter(void *arg)
{
	int v;

	go_recv(arg, &v);
	go_mutex_lock(&mu);
	go_mutex_unlock(&mu);
	go_waitgroup_done(&wg);
}

static void holder(void *arg)
{
	int one = 1;

	go_mutex_lock(&mu);
	go_send(arg, &one);
	go_sleep(80 * GO_MILLISECOND);
	go_mutex_unlock(&mu);
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	go_chan *c = go_chan_make(sizeof(int), 0);

	(void)argc, (void)argv;
	go_waitgroup_add(&wg, 2);
	go_spawn(waiter, c);
	go_spawn(holder, c);
	go_waitgroup_wait(&wg);
	puts("done");
	return 0;
}
C
sed -e 's|	go_sleep(80 \* GO_MILLISECOND);\n||' "$W/waits.c" | awk '/go_sleep\(80/ { next } { print } /go_mutex_unlock\(&mu\);/ && !d && ++seen == 2 { print "\tgo_sleep(80 * GO_MILLISECOND);"; d = 1 }' >"$W/solution/waits.c"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" waits 2>"$TMP/err"); rc=$?
like "$(test_of 'the block profile sees the waiter')" '^pass' "c:profile{ kind = 'block' } finds where the waiter waited"
like "$(test_of 'nobody waits for holder')" '^fail holder made others wait 0\.0[6-9][0-9] s \(unlock at waits.c:2[0-9]\)' \
	"c:profile{ kind = 'mutex' } charges the wait to the holder's unlock"
cp "$W/solution/waits.c" "$(find "$TMP/h" -name waits.c -path '*work*' | head -1)"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" waits 2>"$TMP/err"); rc=$?
like "$(test_of 'nobody waits for holder')" '^pass' "sleeping outside the lock removes the contention"

# c:profile{ kind = "alloc" }: every allocation, by function, exact.
A=$P/perf/allocs
mkdir -p "$A/solution"
cat >"$A/exercise.lua" <<'LUA'
return {
  title = "Allocs", track = "perf", difficulty = 1, files = { "lines.c" },
  text = "Allocate the buffer once.",
  hints = { "Look at the alloc profile.", "Hoist the malloc.", "Reuse the buffer." },
  check = function(c)
    local prog = c:build()
    local p, r = c:profile(prog, { kind = "alloc" })
    if not p then return c:test("writes a profile", false, r.profile_error) end
    local f = p.by_name.format_lines
    c:test("format_lines allocates once", f and f.flat <= 4096,
           f and string.format("format_lines allocated %d bytes (lines.c:%d)", f.flat, f.line) or "no format_lines")
  end,
}
LUA
cat >"$A/lines.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "go.h"

static __attribute__((noinline)) long format_lines(int n)
{
	long total = 0;

	for (int i = 0; i < n; i++) {
		char *buf = malloc(1024);       /* one per line */

		total += snprintf(buf, 1024, "line %d", i);
		free(buf);
	}
	return total;
}

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("%ld\n", format_lines(100));
	return 0;
}
C
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" allocs 2>"$TMP/err"); rc=$?
like "$(test_of 'format_lines allocates once')" '^fail format_lines allocated 102400 bytes \(lines.c:1[01]\)' \
	"c:profile{ kind = 'alloc' } counts every byte the function allocated, at its line"

# A script may not profile a sanitized build.
sed -i 's/local prog = c:build()/local prog = c:build{ flavour = "tsan" }/' "$X/exercise.lua"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" hot 2>"$TMP/err")
like "$json$(cat "$TMP/err")" "a profile needs a program of the normal or debug flavour" "profiling a tsan build is a script error that says why"

# verify's ASan and TSan passes build every program sanitized, where no
# profile can be taken and valgrind cannot run: the program runs, the
# sanitizer watches it, and the script gets an empty profile and trace
V=$TMP/vpack
mkdir -p "$V/perf/steps/solution"
printf 'return { name = "v", version = "1", format = 1, tracks = { "perf" } }\n' >"$V/pack.lua"
cat >"$V/perf/steps/exercise.lua" <<'LUA'
return {
  title = "Steps", track = "perf", difficulty = 1, files = { "main.c" },
  text = "Print 2.",
  hints = { "Look.", "Print 2.", "printf." },
  check = function(c)
    local prog = c:build()
    local r = c:run(prog, { valgrind = true })
    c:test("prints 2", r.stdout == "2\n", "printed " .. r.stdout)
    local p = c:profile(prog, {})
    if p.empty then c:skip("has a profile", "no profile of a sanitized build")
    else c:test("has a profile", p.samples >= 0 and p.functions ~= nil, "no profile") end
    local t = c:trace(prog, {})
    if t.empty then c:skip("has a trace", "no trace of a sanitized build")
    else c:test("has a trace", t.goroutines >= 1, "goroutines: " .. t.goroutines) end
  end,
}
LUA
printf '#include <stdio.h>\n#include "go.h"\nint go_main(int argc, char **argv) { (void)argc, (void)argv; printf("1\\n"); return 0; }\n' >"$V/perf/steps/main.c"
sed 's/"1/"2/' "$V/perf/steps/main.c" >"$V/perf/steps/solution/main.c"
out=$("$CHANLAB" --home "$TMP/hv" verify --pack="$V" steps 2>&1)
like "$out" "every one is sound" "a script that profiles, traces and runs valgrind verifies: its sanitizer passes run without them" \
	|| printf '%s\n' "$out" | sed 's/^/# /' >&2
cp "$V/perf/steps/solution/main.c" "$TMP/hv/work/steps/main.c" 2>/dev/null || { "$CHANLAB" --home "$TMP/hv" check --pack="$V" steps >/dev/null 2>&1; cp "$V/perf/steps/solution/main.c" "$TMP/hv/work/steps/main.c"; }
json=$("$CHANLAB" --home "$TMP/hv" check --json --pack="$V" steps 2>"$TMP/err")
is "$(test_of 'has a profile' | cut -c1-4) $(test_of 'has a trace' | cut -c1-4)" "pass pass" "in a check they are taken as usual"
finish
