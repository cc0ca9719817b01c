# packfix.sh — a throw-away exercise pack for tests/packs.t and
# tests/screen-packs.t (sourced after tests/lib.sh).

# A throw-away pack whose harness includes an instructor header (tally.h
# is not among the learner's files, so only the pack's folder has it).
mkpack() {   # mkpack DIR NAME
	local d=$1/counting/tally
	mkdir -p "$d/solution"
	printf 'return { name = "%s", version = "1", format = 1, tracks = { "counting" } }\n' "$2" >"$1/pack.lua"
	cat >"$d/exercise.lua" <<'LUA'
return {
  title = "Tally the numbers",
  track = "counting",
  files = { "tally.c" },
  text = "# Tally\n\nThe instructor's words: finish `tally.c` so the numbers add up.\n",
  hints = { "first hint: add them all", "second hint: start the total at zero" },
  check = function(c)
    local t = c:build{ harness = "tally_test.c" }
    c:run_tests(t, { timeout = 10 })
  end,
}
LUA
	printf '/* tally.h: instructor-only */\nlong tally(const int *xs, int n);\n' >"$d/tally.h"
	printf '#include "tally.h"\nlong tally(const int *xs, int n)\n{\n\t(void)xs, (void)n;\n\treturn 0;\n}\n' >"$d/tally.c"
	printf '#include "tally.h"\nlong tally(const int *xs, int n)\n{\n\tlong s = 0;\n\tfor (int i = 0; i < n; i++)\n\t\ts += xs[i];\n\treturn s;\n}\n' >"$d/solution/tally.c"
	cat >"$d/tally_test.c" <<'C'
#include <chanlab_test.h>

#include "tally.h"

CL_TEST(adds_up) {
	int xs[] = { 1, 2, 3 };

	CL_EXPECT_INT(tally(xs, 3), 6);
}
C
}
