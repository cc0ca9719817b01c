#!/usr/bin/env bash
# Grading the bundled exercises' starters end to end: each failure is
# reported with its kind, the learner's own file:line and the hint that
# answers it; one crashing test case loses no other result; a failing
# build skips what depends on it.
. tests/lib.sh
plan 48
H=$TMP/home

# field ID EXPR: checks ID (as is in the learner's folder), prints a Python expression over the JSON d.
check() { json=$("$CHANLAB" --home "$H" check --json "$1" 2>&1); rc=$?; }
field() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t=[x for x in d['tests'] if x['status']!='pass']; print($1)"; }

check list-remove
is "$rc" 1 "the list-remove starter does not pass"
is "$(field "t[0]['report']['kind']")" "heap-use-after-free" "ASan's use after free is found"
is "$(field "t[0]['report']['file'] + ':' + str(t[0]['report']['line'])")" "list.c:22" "at the learner's line"
is "$(field "t[0]['hint_on']")" "use-after-free" "as a use after free, for the hints"
like "$(field "[x['name'] for x in d['tests'] if x['status']=='pass']")" "remove_from_empty" "the cases that do not touch freed memory still pass"

check word-split
is "$(field "t[0]['report']['kind'] + ' ' + t[0]['report']['file'] + ':' + str(t[0]['report']['line']) + ' ' + t[0]['report']['function']")" \
	"memory-leak words.c:32 words_split" "LeakSanitizer's leak points at the allocation in words_split"

# A word kept in the function's own array outlives its frame: ASan's
# stack-use-after-return (Go would have moved it to the heap).
cat >"$H/work/word-split/words.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include "words.h"
char **words_split(const char *s, int *n)
{
	char copy[256], **words = calloc(64, sizeof(*words));
	int count = 0;
	strncpy(copy, s, sizeof(copy) - 1);
	copy[sizeof(copy) - 1] = 0;
	for (char *w = strtok(copy, " \t\n"); w; w = strtok(NULL, " \t\n"))
		words[count++] = w;
	*n = count;
	return words;
}
void words_free(char **words, int n)
{
	(void)n;
	free(words);
}
C
check word-split
is "$(field "[x['report']['kind'] + ' ' + x['report']['file'] + ':' + str(x['report']['line']) for x in t if x['report']][0]")" \
	"stack-use-after-return words.c:5" "a pointer into a returned function's local array is ASan's stack-use-after-return, at that function"

check bank-account
# the race loses deposits only when the threads happen to collide (more
# often on a loaded machine); TSan finds it every time
is "$(field "[x['name'] for x in t if x['name'] != 'the balance is 40000']")" "['no data race (ThreadSanitizer)']" \
	"the bank starter fails on TSan (and on the balance when the race shows)"
is "$(field "[x['report']['kind'] + ' ' + x['report']['file'] + ':' + str(x['report']['line']) for x in t if x['name'] == 'no data race (ThreadSanitizer)'][0]")" \
	"data-race bank.c:16" "the data race is at the unguarded update"

check pipeline-close
is "$(field "t[0]['report']['kind'] + ' ' + t[0]['report']['file'] + ':' + str(t[0]['report']['line'])")" "deadlock pipeline.c:50" \
	"the runtime's deadlock points at the receive that waits forever"
out=$("$CHANLAB" --home "$H" check pipeline-close)
like "$out" "a hint: chanlab hint pipeline-close" "the text verdict says where a hint is, and shows none unasked"
like "$("$CHANLAB" --home "$H" hint pipeline-close)" "The deadlock report lists every goroutine" "chanlab hint reveals the hint for a deadlock"
like "$out" "blocked at pipeline.c:50" "and the goroutine dump"

# A goroutine leak (issue 12): the stage that never hears "no more" stays
# blocked after the case; the leak check reports it where it was created.
P=$H/work/pipeline-close/pipeline.c
cp exercises/concurrency/pipeline-close/solution/pipeline.c "$P.good"
cat >"$P" <<'C'
#include <stdio.h>
#include <go.h>
#include "pipeline.h"
struct gen { const int *xs; int n; go_chan *out; };
struct sq { go_chan *in, *out; };
static void generate(void *arg)
{
	struct gen *g = arg;
	for (int i = 0; i < g->n; i++)
		go_send(g->out, &g->xs[i]);
}
static void square(void *arg)
{
	struct sq *s = arg;
	int x;
	while (go_recv2(s->in, &x)) {
		long y = (long)x * x;
		go_send(s->out, &y);
	}
	go_close(s->out);
}
long pipeline_sum_squares(const int *xs, int n)
{
	static struct gen g;
	static struct sq s;
	long sum = 0, y;
	g = (struct gen){ xs, n, go_chan_make(sizeof(int), 0) };
	s = (struct sq){ g.out, go_chan_make(sizeof(long), 0) };
	go_spawn(generate, &g);
	go_spawn(square, &s);
	for (int i = 0; i < n; i++) {
		go_recv(s.out, &y);
		sum += y;
	}
	printf("summed %d\n", n);
	return sum;
}
C
check pipeline-close
is "$rc $(field "t[0]['hint_on'] + ' ' + t[0]['report']['kind'] + ' ' + t[0]['report']['file'] + ':' + str(t[0]['report']['line'])")" \
	"1 leak goroutine-leak pipeline.c:30" "a goroutine leak fails the case, at the go_spawn of the goroutine left blocked"
is "$(field "len([x for x in t if not x['name'].endswith('San)')])")" 6 "in every case (the assertions passed)"
is "$(field "len(t)")" 18 "and in the pack's ASan and TSan passes of every case"
is "$(field "[(g['id'], g['state'], g['frames'][0]['function'], g['frames'][0]['file'] + ':' + str(g['frames'][0]['line'])) for g in t[0]['report']['goroutines']]")" \
	"[(3, 'chan receive', 'square', 'pipeline.c:16')]" "the JSON carries the leaked goroutine with its frames"
like "$(field "t[0]['output']")" "^summed [0-9]+
found unexpected goroutines:" "the output before the report is kept"
like "$(field "t[0]['message']")" "goroutine-leak at pipeline.c:30" "and the message says where"

# A spinning loop times out: the SIGQUIT dump shows its line.
cat >"$P" <<'C'
#include <stdio.h>
#include <go.h>
#include "pipeline.h"
static volatile int ready;
long pipeline_sum_squares(const int *xs, int n)
{
	long sum = 0;
	printf("waiting for %d\n", n);
	if (n == 1)
		while (!ready) ;
	for (int i = 0; i < n; i++)
		sum += (long)xs[i] * xs[i];
	return sum;
}
C
check pipeline-close
is "$(field "[x['name'] for x in t]")" "['one_number', 'one_number (ASan)', 'one_number (TSan)']" "only the spinning case fails (in each pass)"
msg=$(field "t[0]['message']")
like "$msg" "^the test timed out after [0-9]+\.[0-9] s and was stopped: timeout at pipeline.c:10" \
	"the timeout says how long, and where the loop spins"
case $msg in *pipeline.c:10*) ;; *) field "t[0]['output']" | sed 's/^/#   /' >&2 ;; esac   # the dump, in CI's log
is "$(field "t[0]['hint_on'] + ' ' + t[0]['report']['kind']")" "timeout timeout" "as a timeout"
like "$(field "t[0]['output']")" "^waiting for 1
SIGQUIT: quit" "with the output printed before it"

# A NULL dereference in a normal build: Go's panic, at the line.
cat >"$P" <<'C'
#include <stdio.h>
#include <go.h>
#include "pipeline.h"
long pipeline_sum_squares(const int *xs, int n)
{
	printf("summing %d\n", n);
	long sum = (long)xs[0] * xs[0];
	for (int i = 1; i < n; i++)
		sum += (long)xs[i] * xs[i];
	return sum;
}
C
check pipeline-close
is "$(field "[x['name'] for x in t]")" "['no_numbers', 'no_numbers (ASan)', 'no_numbers (TSan)']" \
	"only the case with no numbers (xs is NULL) crashes (in each pass)"
is "$(field "t[0]['hint_on'] + ' ' + t[0]['report']['kind'] + ' ' + t[0]['report']['file'] + ':' + str(t[0]['report']['line'])")" \
	"crash nil-dereference pipeline.c:7" "a NULL dereference in a normal build is reported at its line"
like "$(field "t[0]['output']")" "^summing 0
panic: runtime error: invalid memory address or nil pointer dereference" "after the output printed before it"
mv "$P.good" "$P"

# One test case crashes: the others keep their results.
W=$H/work/list-remove
cat >"$W/list.c" <<'C'
#include <stdlib.h>
#include "list.h"
void list_push(struct node **head, int value)
{
	struct node *n = malloc(sizeof(*n));
	n->value = value, n->next = *head, *head = n;
}
int list_remove_all(struct node **head, int value)
{
	struct node *prev = NULL, *next;
	int removed = 0;
	if (value == 5)
		*(volatile int *)(long)(value - 5) = 1;    /* crashes for 5 only */
	for (struct node *n = *head; n; n = next) {
		next = n->next;
		if (n->value != value) { prev = n; continue; }
		if (prev) prev->next = next; else *head = next;
		free(n), removed++;
	}
	return removed;
}
void list_free(struct node **head)
{
	while (*head) { struct node *n = *head; *head = n->next; free(n); }
}
C
check list-remove
is "$(field "[x['name'] for x in t]")" "['remove_the_only_node']" "a test case that crashes fails alone"
like "$(field "t[0]['message']")" "NULL|SEGV|segv|invalid memory|undefined-behaviour at list.c:13" "and the crash is named with its line"
is "$(field "len([x for x in d['tests'] if x['status']=='pass'])")" 5 "every other case (and the build) passes"

# Hints fit the failure's own kind: a leak gets the leak hint, never the
# one that explains the use after free (both are sanitizer findings).
cp exercises/memory/list-remove/wrong/unlinks-without-free/list.c "$W/list.c"
check list-remove
is "$(field "t[0]['hint_on']")" "memory-leak" "nodes unlinked and never freed are a memory leak"
out=$("$CHANLAB" --home "$H" hint list-remove 2>&1)
like "$out" "LeakSanitizer shows where each leaked node" "and the hint for it is the leak's"
! printf "%s" "$out" | grep -q "heap-use-after-free"; ok $? "not the use after free's"

# A compile error: the learner's path and line; what depends on the build is skipped.
W=$H/work/first-goroutine
check first-goroutine
printf 'int go_main(int argc, char **argv) { return argc + ; }\n' >"$W/squares.c"
check first-goroutine
is "$(field "t[0]['name']")" "build (normal)" "a compile error fails the build"
like "$(field "t[0]['output']")" "^squares.c:1:[0-9]+: error" "the compiler's message names the learner's file:line"
is "$(field "[x['status'] for x in t[1:]]")" "['skip', 'skip']" "the tests that need the program are skipped"
like "$(field "t[1]['message']")" "not run: build \(normal\) failed" "saying why"
out=$("$CHANLAB" --home "$H" check first-goroutine)
like "$out" "– runs to the end|skip runs to the end" "the text verdict marks them as skipped"

# A timeout is named as such, with its hint.
cat >"$W/squares.c" <<'C'
#include <go.h>
int go_main(int argc, char **argv)
{
	go_chan *c = go_chan_make(sizeof(int), 0);
	int v = 1;
	(void)argc, (void)argv;
	go_spawn((void (*)(void *))go_yield, NULL);
	for (;;)
		go_try_send(c, &v);
}
C
check first-goroutine
like "$(field "t[0]['message']")" "timed out after [5-9]\.[0-9] s" "a program that never ends times out in plain words"

# The JSON result: version 2 with the fields docs/results.md promises.
like "$json" '^\{"version":2,"exercise":"first-goroutine","status":"fail","message":"","note":"[^"]*","seconds":[0-9.]+,"tests":\[' "the result is JSON version 2"
like "$json" '"benchmarks":\[\]\}$' "with a benchmarks list"
like "$json" '"hint_on":"test","report":null' "and per test a hint class and a report slot"
# valgrind's memcheck, read like the sanitizers.
mkdir -p "$H/work/memcheck"
cp tests/hostile/uaf.c "$H/work/memcheck/prog.c"
json=$("$CHANLAB" --home "$H" check --json --pack="$PWD/tests/hostile/pack" memcheck 2>&1)
is "$(field "t[0]['report']['kind'] + ' ' + t[0]['report']['file'] + ':' + str(t[0]['report']['line'])")" "invalid-read prog.c:11" \
	"valgrind's invalid read points at the learner's line"
is "$(field "t[0]['report']['tool']")" "valgrind" "and names valgrind"
cp "$H/work/memcheck/prog.c" "$H/work/memcheck/prog.c.bak"
printf '#include <go.h>\nint go_main(int argc, char **argv) { (void)argc, (void)argv; return 0; }\n' >"$H/work/memcheck/prog.c"
json=$("$CHANLAB" --home "$H" check --json --pack="$PWD/tests/hostile/pack" memcheck 2>&1)
like "$json" '"status":"pass"' "a clean program is clean under valgrind"

is "$(sqlite3 "$H/progress.db" "SELECT count(*) FROM attempt WHERE exercise = 'first-goroutine'")" 4 "every check is recorded"

# The sanitizer passes fail a case as the main pass did: the text verdict
# says so once, a mark on the case's line, instead of a second and third
# dump; a pass that passes is a mark too, and so is its build.
out=$("$CHANLAB" --home "$TMP/fold" check pipeline-close 2>&1)
is "$(printf '%s\n' "$out" | grep -c '^  ✗ no_numbers · ASan ✗ · TSan ✗$') $(printf '%s\n' "$out" | grep -c 'no_numbers (ASan)')" "1 0" \
	"a sanitizer pass's failure, the same as the case's, is a mark on the case's line"
is "$(printf '%s\n' "$out" | grep -c 'all goroutines are asleep')" 1 "the deadlock's dump is shown once"
cp exercises/concurrency/pipeline-close/solution/pipeline.c "$TMP/fold/work/pipeline-close/"
out=$("$CHANLAB" --home "$TMP/fold" check pipeline-close 2>&1)
is "$(printf '%s\n' "$out" | sed -n '2,3p')" "  ✓ build (normal) · ASan ✓ · TSan ✓
  ✓ no_numbers · ASan ✓ · TSan ✓" "passes are marks on the case's line, builds on the main build's"
finish
