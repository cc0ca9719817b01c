return {
  title = "Counter", track = "conc", difficulty = 1, files = { "counter.c" }, headers = nil,
  text = "Make the counter safe.",
  hints = { "Lock around the update.", "go_mutex_lock before reading.", "Unlock after writing." },
  check = function(c)
    local t = c:build{ harness = "counter_test.c" }
    c:run_tests(t, { schedules = 300, strategy = "pct", depth = 3, timeout = 10 })
  end,
}
