#!/usr/bin/env bash
# A sandboxed run of /bin/true, start to exit: what the walls cost each
# program a check runs. Figures as `name value unit`.
set -eu
B=${B:-build}
"$B/bench/sandbox" 200
