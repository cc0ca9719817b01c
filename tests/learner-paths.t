#!/usr/bin/env bash
# Reports speak the learner's paths only: no build folders, no checkout
# paths, no test-harness machinery in stacks; the learner's file and the
# test's file by name, at their lines.
. tests/lib.sh
plan 18
H=$TMP/h
field() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); t={x['name']: x for x in d['tests']}; print($1)"; }

json=$("$CHANLAB" --home "$H" check --json list-remove 2>/dev/null)
out=$(field "t['remove_the_only_node']['output']")
like "$out" "in list_remove_all list\\.c:22" "an ASan frame in the learner's file: its name and line"
like "$out" "in cl_test_remove_the_only_node list_test\\.c:[0-9]+" "a frame in the test: the test file's name and line"
! printf '%s' "$out" | grep -Eq "/build/|$PWD|src-learner"; ok $? "no build folder and no checkout path"
! printf '%s' "$out" | grep -Eq "chanlab_test\\.h|go__g_entry|main_goroutine|__interceptor_"; ok $? "no harness machinery, goroutine entry or interceptor frames"
! printf '%s' "$out" | grep -Eq "#[0-9]+ 0x[0-9a-f]+ in [^ ]+ \\([^).]*\\+0x"; ok $? "nor the statically linked sanitizer's (malloc in the program itself)"

json=$("$CHANLAB" --home "$H" check --json pipeline-close 2>/dev/null)
out=$(field "t['no_numbers']['output']")
like "$out" "#0 pipeline_sum_squares pipeline\\.c:[0-9]+" "a goroutine dump frame in the learner's file, without ./"
like "$out" "#1 cl_test_no_numbers pipeline_test\\.c:[0-9]+" "the test's frame by its file's name"
! printf '%s' "$out" | grep -Eq "chanlab_test\\.h|/build/|$PWD"; ok $? "no harness frames or folders in the dump"
! printf '%s' "$out" | grep -q "runtime/chan\\.c"; ok $? "the runtime's own frames are hidden"
json=$(GOTRACEBACK=system "$CHANLAB" --home "$H" check --json pipeline-close 2>/dev/null)
like "$(field "t['no_numbers']['output']")" "#0 chanrecv runtime/chan\\.c:[0-9]+" "unless asked for as in Go: GOTRACEBACK=system"
like "$(field "t['no_numbers']['message']")" "deadlock at pipeline\\.c:[0-9]+" "and the report is still at the learner's line"
text=$("$CHANLAB" --home "$H" check pipeline-close 2>/dev/null)
like "$text" "#1 cl_test_no_numbers pipeline_test\\.c:[0-9]+   \\(the test's code\\)" "the text verdict labels a frame in the test's file as the test's"
! printf '%s\n' "$text" | grep -q "pipeline\\.c:[0-9]*   (the test's code)"; ok $? "never one in the learner's own file"

# TSan's frames read "#2 go__g_entry runtime/sched.c:879 (prog2+0x5605)",
# and it says where the scheduler made each goroutine's fiber
json=$("$CHANLAB" --home "$H" check --json bank-account 2>/dev/null)
out=$(field "[x for x in d['tests'] if 'race' in x['name']][0]['output']")
like "$out" "#0 deposit bank\\.c:[0-9]+ \\(prog[0-9]+\\+0x" "a TSan frame in the learner's file"
! printf '%s' "$out" | grep -Eq "go__g_entry|runtime/"; ok $? "no goroutine entry or runtime frames in TSan's form"
! printf '%s' "$out" | grep -q "created by"; ok $? "nor the scheduler's line on where it made a goroutine"

printf 'this is not C\n' >>"$H/work/list-remove/list.c"
json=$("$CHANLAB" --home "$H" check --json list-remove 2>/dev/null)
out=$(field "[x for x in d['tests'] if x['name'].startswith('build')][0]['output']")
like "$out" "(^|\\n)list\\.c:[0-9]+:[0-9]+: error" "a compiler error names the learner's file as they know it"
! printf '%s' "$out" | grep -Eq "/build/|src-learner"; ok $? "without the folder it was compiled in"
finish
