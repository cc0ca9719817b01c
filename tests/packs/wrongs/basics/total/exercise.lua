-- total: sum an array (the exercise tests/verify.t breaks in every way).
return {
  title = "Total",
  track = "basics",
  difficulty = 1,
  files = { "total.c" },
  headers = { "total.h" },
  topics = { "loops" },
  after = {},
  time = 5,
  learn = { "https://en.cppreference.com/w/c/language/for" },
  text = [[
# Total

Finish `total.c`: `total_sum(xs, n)` returns the sum of the n numbers in xs.
]],
  check = function(c)
    local t = c:build{ harness = "total_test.c" }
    c:run_tests(t, { timeout = 2 })
  end,
}
