#!/usr/bin/env bash
# The shell's profile view (issue 14): merging a 10,000-sample profile into
# a call tree and its top table, which is what opening the flame graph
# costs beyond reading the files. Budget: <= 50 ms.
set -eu
B=${B:-build}
"$B/bench/flame" 20
