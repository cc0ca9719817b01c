return {
  title = "Split", track = "perf", difficulty = 1, files = { "work.c" }, headers = { "work.h" },
  text = "Make heavy() light.",
  hints = { "Look at the profile.", "heavy() does twice light()'s work.", "Read the top table." },
  check = function(c)
    local t = c:build{ harness = "work_test.c" }
    c:run_tests(t, { timeout = 20 })
  end,
}
