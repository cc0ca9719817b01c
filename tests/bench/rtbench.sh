#!/usr/bin/env bash
# make bench: the runtime against its Go twins (../shared/anchors/go, or
# $GO_ANCHORS), workload by workload, back to back, at 1 and 2 Ps.
# Prints, per P count, a table of Go's figure, ours, and the ratio
# ours/Go (below 1.0: we are faster, or leaner for idlemem); then the
# bare context switch (ctxswitch, ours only).
set -u
B=${B:-build}
RT=$B/bench/rtbench
ANCHORS=${GO_ANCHORS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/anchors/go}
mkdir -p "$B/bench"
GOBIN=$(cd "$B/bench" && pwd)/go-anchors
WORKLOADS=${WORKLOADS:-spawn pingpong buffered select4 skynet mutex8 yield sieve idlemem}
PROCS=${PROCS:-1 2}

[ -x "$RT" ] || { echo "rtbench: $RT not built (make bench builds it)"; exit 1; }
have_go=0
if command -v go >/dev/null && [ -d "$ANCHORS" ]; then
	(cd "$ANCHORS" && GOFLAGS=-mod=mod go build -o "$GOBIN" .) 2>/dev/null && have_go=1
fi
[ $have_go = 1 ] || echo "rtbench: Go or $ANCHORS missing; showing ours only"

for p in $PROCS; do
	printf '\nGOMAXPROCS=%s\n%-10s %12s %12s %7s  %s\n' $p workload go ours ratio unit
	for w in $WORKLOADS; do
		go=-
		[ $have_go = 1 ] && go=$(GOMAXPROCS=$p "$GOBIN" "$w" 2>/dev/null | awk '{print $2}')
		line=$(GOMAXPROCS=$p "$RT" "$w" 2>/dev/null)
		ours=$(echo "$line" | awk '{print $2}')
		unit=$(echo "$line" | awk '{print $3}')
		ratio=$(awk -v a="$ours" -v b="$go" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		printf '%-10s %12s %12s %7s  %s\n' "$w" "$go" "$ours" "$ratio" "$unit"
	done
done

echo
"$RT" ctxswitch
