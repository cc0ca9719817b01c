return {
  title = "A cache that forgets", track = "mem", difficulty = 1,
  files = { "cache.c" }, headers = { "cache.h" },
  text = "Keep only the last 8 entries.",
  hints = { "Free the oldest.", "A ring of 8.", "Free them all in cache_clear." },
  check = function(c)
    c:run_tests(c:build{ harness = "cache_test.c" })
  end,
}
