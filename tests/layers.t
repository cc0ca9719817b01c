#!/usr/bin/env bash
# The layering check (tools/layers.py): every include in the tree follows
# DESIGN.md's table of the parts, and a forbidden include makes the check fail.
. tests/lib.sh
LAYERS="base checker lua data tui runtime harness"
plan 26

# The tree as it is: one test per layer.
all=$(tools/layers.py 2>&1); all_rc=$?
tree_ok() { # tree_ok LAYER DESCRIPTION
	out=$(printf '%s\n' "$all" | grep "^$1/")
	is "$out" "" "$2"
}
tree_ok base    "base/ includes nothing of ours and no library"
tree_ok checker "checker/ includes base/ only"
tree_ok lua     "lua/ includes checker/ and base/ only"
tree_ok data    "data/ includes base/ only, and neither Lua nor curses"
tree_ok tui     "tui/ includes lua/, data/, checker/ and base/ only"
tree_ok runtime "runtime/ includes nothing outside runtime/"
tree_ok harness "harness/ includes runtime/go.h only"
is "$all_rc:$all" "0:" "and the check says nothing and exits 0"

# A copy of the tree with forbidden includes added, each in a file of its
# own of two lines: the check must name every one and nothing else.
R=$TMP/tree
mkdir "$R" && cp -R $LAYERS "$R"/
want=
forbid() { # forbid FILE INCLUDE WANT-MESSAGE
	printf '/* added by tests/layers.t */\n%s\n' "$2" >"$R/$1"
	want="$want$1:2: $3
"
}
forbid checker/zz1.c '#include "lua/check.h"' \
	'"lua/check.h" is lua/: checker/ may use base/ only'
forbid checker/zz2.h '#include "tui/ui.h"' \
	'"tui/ui.h" is tui/: checker/ may use base/ only'
forbid checker/zz3.c '#include "../data/store.h"' \
	'"../data/store.h" is data/: checker/ may use base/ only'
forbid lua/zz1.c '#include "data/record.h"' \
	'"data/record.h" is data/: lua/ may use checker/, base/ only'
forbid data/zz1.c '#include "lua/pack.h"' \
	'"lua/pack.h" is lua/: data/ may use base/ only'
forbid base/zz1.c '#include "checker/proc.h"' \
	'"checker/proc.h" is checker/: base/ uses nothing of ours'
forbid tui/zz1.c '#include <chanlab_test.h>' \
	'<chanlab_test.h> is harness/: tui/ may use lua/, data/, checker/, base/ only'
forbid runtime/zz1.c '#include "base/err.h"' \
	'"base/err.h" is base/: runtime/ stands alone (nothing of ours outside runtime/)'
forbid harness/zz1.c '#include "runtime/internal.h"' \
	'"runtime/internal.h" is runtime/: harness/ may use runtime/go.h only'
forbid checker/zz4.c '#include <lauxlib.h>' \
	'<lauxlib.h> is Lua: checker/ may use no library but seccomp'
forbid data/zz2.h '#include <lua.h>' \
	'<lua.h> is Lua: data/ may use no library but SQLite and libgit2'
forbid data/zz3.c '#include <curses.h>' \
	'<curses.h> is curses: data/ may use no library but SQLite and libgit2'
forbid base/zz2.c '#include <ncursesw/curses.h>' \
	'<ncursesw/curses.h> is curses: base/ uses no library but libc'
forbid lua/zz2.c '#include "app/x.h"' \
	'"app/x.h" is no header of the tree nor a generated one (tools/layers.py GENERATED)'
out=$(tools/layers.py -C "$R" 2>&1); rc=$?
is "$rc" 1 "a forbidden include makes the check fail"
while IFS= read -r w; do
	[ -n "$w" ] || continue
	f=${w%%:*}
	got=$(printf '%s\n' "$out" | grep -F "$f:")
	is "$got" "$w" "$f: $(sed -n 2p "$R/$f") is named with its line and the rule"
done <<<"$want"
is "$(printf '%s\n' "$out" | wc -l)" "$(printf '%s' "$want" | wc -l)" "and nothing else is named"
rm -f "$R"/*/zz*

allow() { # allow FILE TEXT
	printf '%s\n' "$2" >"$R/$1"
}
allow tui/zz1.c '#include <curses.h>
#include <lua.h>
#include "lua/check.h"
#include "data/store.h"
#include "checker/proc.h"
#include "base/err.h"'
allow harness/zz1.c '#include <go.h>
#include "runtime/go.h"'
allow checker/zz1.c '/*
#include "tui/ui.h"
*/ // #include <lua.h>
static const char *s = "#include \"lua/check.h\"";'
out=$(tools/layers.py -C "$R" 2>&1)
is "$?:$out" "0:" "allowed: tui/ every layer below it, curses and Lua; harness/ <go.h> and runtime/go.h; includes in comments and strings"

tools/layers.py nosuchlayer 2>"$TMP/err"; is $? 2 "an unknown layer is bad usage"
finish
