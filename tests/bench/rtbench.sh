#!/usr/bin/env bash
# make bench: the runtime against its Go twins (../shared/anchors/go, or
# $GO_ANCHORS, and tests/bench/go for the workloads the anchors lack:
# ctxselect and the learner-shaped ones), workload by workload, at 1 and
# 2 Ps, Go then ours, REPEAT pairs interleaved (default 5), the medians
# compared.
# Prints, per P count, a table of Go's figure, ours, and the ratio
# ours/Go (below 1.0: we are faster, or leaner for idlemem); then the
# bare context switch (ctxswitch, ours only).
set -u
B=${B:-build}
RT=$B/bench/rtbench
ANCHORS=${GO_ANCHORS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/anchors/go}
mkdir -p "$B/bench"
GOBIN=$(cd "$B/bench" && pwd)/go-anchors
TWINS=$(cd "$(dirname "$0")" && pwd)/go
TWINBIN=$(cd "$B/bench" && pwd)/go-twins
# the Go twins in tests/bench/go: workloads the anchors lack, among them
# the shapes learners write
TWIN_WORKLOADS="ctxselect workpool fanin16 mutexmap pipeline5 sleepers sleeplate park1k park10k park100k park1m"
WORKLOADS=${WORKLOADS:-spawn pingpong buffered select4 ctxselect skynet mutex8 yield sieve idlemem $TWIN_WORKLOADS}
PROCS=${PROCS:-1 2}
REPEAT=${REPEAT:-5}
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

[ -x "$RT" ] || { echo "rtbench: $RT not built (make bench builds it)"; exit 1; }
have_go=0
if command -v go >/dev/null && [ -d "$ANCHORS" ]; then
	(cd "$ANCHORS" && GOFLAGS=-mod=mod go build -o "$GOBIN" .) 2>/dev/null &&
	(cd "$TWINS" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$TWINBIN" .) 2>/dev/null && have_go=1
fi
[ $have_go = 1 ] || echo "rtbench: Go or $ANCHORS missing; showing ours only"
gobin() {   # the Go twin of workload $1
	case " $TWIN_WORKLOADS " in *" $1 "*) echo "$TWINBIN" ;; *) echo "$GOBIN" ;; esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

for p in $PROCS; do
	printf '\nGOMAXPROCS=%s (median of %s back-to-back pairs)\n%-10s %12s %12s %7s  %s\n' \
		$p "$REPEAT" workload go ours ratio unit
	for w in $WORKLOADS; do
		: >"$TMPD/go"; : >"$TMPD/ours"
		for i in $(seq 1 "$REPEAT"); do
			[ $have_go = 1 ] && GOMAXPROCS=$p "$(gobin "$w")" "$w" 2>/dev/null | awk '{print $2}' >>"$TMPD/go"
			GOMAXPROCS=$p "$RT" "$w" 2>/dev/null >"$TMPD/line"
			awk '{print $2}' "$TMPD/line" >>"$TMPD/ours"
		done
		go=$(median <"$TMPD/go")
		ours=$(median <"$TMPD/ours")
		unit=$(awk '{print $3}' "$TMPD/line")
		ratio=$(awk -v a="$ours" -v b="$go" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		printf '%-10s %12s %12s %7s  %s\n' "$w" "$go" "$ours" "$ratio" "$unit"
	done
done
echo
"$RT" ctxswitch

# The instruments' cost (issue 14): sieve and skynet at 2 Ps, plain and
# with each instrument on, interleaved (plain, on, plain, on, ...) 5 pairs
# each; the median overhead, and for the tracer the cost per event.
INSTR_REPEAT=${INSTR_REPEAT:-5}
printf '\ninstruments (GOMAXPROCS=2, median of %s interleaved pairs)\n%-10s %-10s %10s %10s %9s  %s\n' \
	"$INSTR_REPEAT" workload instrument plain on overhead note
for w in sieve skynet; do
	for ins in cpu alloc trace; do
		: >"$TMPD/plain"; : >"$TMPD/on"
		case $ins in
		cpu) var="CHANLAB_CPUPROFILE=$TMPD/p.pb.gz" ;;
		alloc) var="CHANLAB_MEMPROFILE=$TMPD/m.pb.gz,1" ;;
		trace) var="CHANLAB_TRACE=$TMPD/t.out" ;;
		esac
		for i in $(seq 1 "$INSTR_REPEAT"); do
			GOMAXPROCS=2 "$RT" "$w" 2>/dev/null | awk '{print $2}' >>"$TMPD/plain"
			env GOMAXPROCS=2 "$var" "$RT" "$w" 2>/dev/null | awk '{print $2}' >>"$TMPD/on"
		done
		plain=$(median <"$TMPD/plain")
		on=$(median <"$TMPD/on")
		note=""
		if [ $ins = trace ] && [ $have_go = 1 ] && [ -s "$TMPD/t.out" ]; then
			events=$(go tool trace -d "$TMPD/t.out" 2>/dev/null | grep -c ' p=')
			# rtbench prints time per operation: the whole run's extra time is
			# (on - plain) per op times the ops, which the unit line gives
			note=$(awk -v e="$events" 'BEGIN { printf "%d events", e }')
		fi
		awk -v w="$w" -v i="$ins" -v a="$plain" -v b="$on" -v n="$note" \
			'BEGIN { o = a > 0 ? 100 * (b - a) / a : 0; printf "%-10s %-10s %10s %10s %8.1f%%  %s\n", w, i, a, b, o, n }'
	done
done
