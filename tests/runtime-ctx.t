#!/usr/bin/env bash
# context and sync/atomic against Go: each case of tests/runtime/ctx.c and
# atomic.c prints what its Go twin in tests/runtime/go/ prints, in the
# normal, TSan and ASan builds, with clean stderr; lostcancel and misuse
# are reported at the line.
. tests/lib.sh
R=$B/tests/runtime
C=tests/runtime/ctx.c
L() { grep -n "/\* @$1 \*/" $C | cut -d: -f1; }
CASES="propagate parentfirst idempotent errdone deadline timers values visible forms tree"

# the Go twins, built once; without Go every comparison is skipped, loudly
have_go=0
if command -v go >/dev/null; then
	export GOCACHE=$PWD/$B/go/cache GOPATH=$PWD/$B/go/path GOPROXY=off GOFLAGS=-mod=mod
	(cd tests/runtime/go && go build -o "$TMP/ctx-go" ./ctx && go build -o "$TMP/atomic-go" ./atomic) \
		>"$TMP/gobuild" 2>&1 && have_go=1
	[ $have_go = 1 ] || { echo "# go build of the twins failed:"; sed 's/^/#   /' "$TMP/gobuild"; ok 1 "the Go twins build"; }
else
	echo "# SKIPPING the comparisons with Go: 'go' is not installed (tools/deps.sh test installs golang-go)" >&2
fi

# compare NAME BIN ARGS...: BIN's output equals Go's, stderr is empty, exit 0
compare() {
	local what=$1 bin=$2 gobin=$3 arg=$4 p=$5
	if [ $have_go = 0 ]; then
		echo "ok $((n += 1)) # skip $what: Go not installed"
		return
	fi
	GOMAXPROCS=2 timeout 60 "$gobin" $arg >"$TMP/go.out" 2>&1
	GOMAXPROCS=$p timeout 120 "$bin" $arg >"$TMP/c.out" 2>"$TMP/c.err"; rc=$?
	if [ $rc = 0 ] && cmp -s "$TMP/go.out" "$TMP/c.out" && [ ! -s "$TMP/c.err" ]; then
		ok 0 "$what"
	else
		ok 1 "$what (exit $rc)"
		diff "$TMP/go.out" "$TMP/c.out" | sed 's/^/#   /' | head -20
		sed 's/^/#   /' "$TMP/c.err" | head -30
	fi
}

for c in $CASES; do
	for p in 1 2; do
		compare "ctx $c as Go [GOMAXPROCS=$p]" "$R/ctx" "$TMP/ctx-go" $c $p
	done
	compare "ctx $c as Go, TSan-clean [GOMAXPROCS=2]" "$R/tsan-ctx" "$TMP/ctx-go" $c 2
	compare "ctx $c as Go, ASan-clean [GOMAXPROCS=2]" "$R/asan-ctx" "$TMP/ctx-go" $c 2
done
for p in 1 2 4; do
	compare "atomic as Go [GOMAXPROCS=$p]" "$R/atomic" "$TMP/atomic-go" "" $p
done
compare "atomic as Go, TSan-clean [GOMAXPROCS=2]" "$R/tsan-atomic" "$TMP/atomic-go" "" 2
compare "atomic as Go, ASan+UBSan-clean [GOMAXPROCS=2]" "$R/asan-atomic" "$TMP/atomic-go" "" 2

# the tree of contexts made, cancelled and freed at once, again and again
bad=0
for i in $(seq 1 4); do
	for f in ctx tsan-ctx asan-ctx; do
		GOMAXPROCS=$((i % 2 ? 2 : 4)) timeout 60 "$R/$f" tree >"$TMP/out" 2>&1 ||
			{ bad=$((bad + 1)); sed 's/^/#   /' "$TMP/out" | head -10; }
	done
done
ok $bad "ctx tree x4 in each build ($bad failed)"

# lostcancel: a context never cancelled is reported at exit, at its line
GOMAXPROCS=2 timeout 30 "$R/ctx" lost >"$TMP/out" 2>"$TMP/err"; rc=$?
is "$rc $(cat "$TMP/err")" "0 $C:$(L lost): the context made by go_ctx_with_timeout here was never cancelled: call go_ctx_free(ctx) when done with it (Go's defer cancel()) to avoid a context leak (lostcancel)
$C:$(L lostloop): 1000 contexts made by go_ctx_with_cancel here were never cancelled: call go_ctx_free(ctx) when done with each (Go's defer cancel()) to avoid a context leak (lostcancel)" \
	"lostcancel: contexts never cancelled are reported at exit, once per line that made them; the status is the program's"

# a context cancelled but never freed is a memory leak LSan reports at the
# line that made it (the correct cases above are LSan-clean in asan-ctx)
GOMAXPROCS=2 timeout 30 "$R/asan-ctx" leakfree >/dev/null 2>"$TMP/err"; rc=$?
like "$rc $(grep -A8 'Direct leak' "$TMP/err" | grep -c "in leakfree $C:$(L leakfree)")" '^[1-9][0-9]* 1$' \
	"LSan reports a context never freed at the line that made it"

# misuse: a panic at the line
misuse() {   # CASE MESSAGE
	GOMAXPROCS=2 timeout 30 "$R/ctx" $1 >/dev/null 2>"$TMP/err"; rc=$?
	is "$rc $(head -n1 "$TMP/err") $(grep -A1 '^goroutine 1 ' "$TMP/err" | tail -n1)" \
		"2 panic: $2 	at $C:$(L $1)" "ctx $1: '$2' at the line, exit 2"
}
misuse cancelvalue "go_ctx_cancel of a context that has no cancel (background, TODO or go_ctx_with_value)"
misuse nilparent "cannot create context from nil parent"
misuse doublefree "go_ctx_free of a context freed already"

plan $n
finish
