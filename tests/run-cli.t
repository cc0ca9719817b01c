#!/usr/bin/env bash
# chanlab run ID (and r in the shell): the learner's code built and run as
# its check runs it, each run with how it ended and all it printed, and
# nothing recorded.
. tests/lib.sh
. tests/screen.sh
plan 15
H=$TMP/home

out=$("$CHANLAB" --home "$H" run pipeline-close 2>&1); rc=$?
is "$rc" 1 "the starter does not pass: run says so by its status"
like "$out" "── no_numbers: exited with status 2 ──" "each test case's run, with how it ended"
like "$out" "all goroutines are asleep - deadlock!" "and everything it printed"
like "$out" "[0-9]+ runs of your code, as its check runs it \\(not recorded" "it says nothing was recorded"
is "$("$CHANLAB" --home "$H" history pipeline-close 2>&1 | grep -c '#')" 0 "and nothing is"

W=$H/work/first-goroutine
"$CHANLAB" --home "$H" run first-goroutine >/dev/null 2>&1
cat >"$W/squares.c" <<'C'
#include <stdio.h>
#include <go.h>

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("hello from my code\n");
	fprintf(stderr, "and from stderr\n");
	return 3;
}
C
out=$("$CHANLAB" --home "$H" run first-goroutine 2>&1)
like "$out" "── your program: exited with status 3 ──" "a program the check runs, with how it ended"
like "$out" "hello from my code" "its own output"
like "$out" "and from stderr" "its stderr too"

# ARGS take the place of the check's arguments, -- lets them start with -
cat >"$H/work/first-goroutine/squares.c" <<'C'
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return 0;
}
C
out=$("$CHANLAB" --home "$H" run first-goroutine -- -n "two words" 2>&1)
like "$out" "arg 1: -n
arg 2: two words" "chanlab run ID -- ARGS runs the program with ARGS"
"$CHANLAB" --home "$H" run first-goroutine -n >/dev/null 2>&1
is "$?" 2 "without --, an argument that starts with - is an unknown option"

# code that does not compile: what the compiler said, not only that it failed
printf 'int go_main(int argc, char **argv) { return undeclared_name; }\n' >"$H/work/first-goroutine/squares.c"
out=$("$CHANLAB" --home "$H" run first-goroutine 2>&1)
like "$out" "your code did not run: your code does not compile" "code that does not compile does not run"
like "$out" "squares\\.c:1:[0-9]+: error: .undeclared_name. undeclared" "and the compiler's error is shown, as 'fix the first error below' promises"

start 100 30
keys /
keys f i r s t - g o Enter Enter
see "In Go you would write" "the exercise opens"
keys r
see "Press Enter to go back to chanlab" "r runs it in the terminal"
keys Enter
see "In Go you would write" "Enter goes back to the exercise"
finish
