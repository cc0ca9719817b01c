#!/usr/bin/env bash
# The shell (issue 6), on the real binary in a pseudo-terminal: start to
# the first full frame, key press to redraw, idle CPU and wake-ups, memory.
# Budgets: first frame <= 50 ms, a key within one frame (16.7 ms), idle CPU
# ~0, RSS <= 30 MB. Figures as `name value unit`.
set -eu
B=${B:-build}
T=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-bench-tui.XXXXXX")
trap 'rm -rf "$T"' EXIT
# a home with a record: the first frame reads every exercise's progress
"$B/chanlab" --home "$T/home" check first-goroutine >/dev/null 2>&1 || true
"$B/bench/tui" "$PWD/$B/chanlab" "$T/home" 20
