#!/usr/bin/env bash
# The record (issue 5): recording an attempt, history with 10,000 attempts,
# opening chanlab with none and with 10,000. Figures as `name value unit`.
set -eu
B=${B:-build}
T=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-bench-record.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$B/bench/record" "$T/full"

# The whole program: `chanlab list` opens the record (and would repair it).
median_ms() {   # median_ms HOME: median wall time of 11 `chanlab list` runs
	for _ in $(seq 11); do
		s=$(date +%s%N)
		"$B/chanlab" --home "$1" list >/dev/null
		echo $(( ($(date +%s%N) - s) / 1000 ))
	done | sort -n | sed -n 6p | awk '{ printf "%.2f", $1 / 1000 }'
}
mkdir -p "$T/empty"
"$B/chanlab" --home "$T/empty" reset first-goroutine >/dev/null   # a home with a record and no checks
echo "chanlab_list_empty_median $(median_ms "$T/empty") ms"
echo "chanlab_list_10000_median $(median_ms "$T/full/home") ms"
