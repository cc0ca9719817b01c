-- Twice as fast as the starter at least: a benchmark whose baseline is the
-- starter (c:build{ starter = true }), and an exercise that opts out of the
-- pack's defaults.
return {
  title = "Faster than the starter",
  track = "perf",
  files = { "work.c" },
  headers = { "work.h" },
  uses = { "spin" },
  sanitizers = {},            -- no default sanitizer passes here
  leakcheck = false,          -- nor the goroutine leak check
  max_failures = 2,
  after = { "inflight" },     -- shown as "Do first", and used by the shell's n
  time = 15,
  learn = { "https://go.dev/doc/diagnostics", "https://pkg.go.dev/testing#hdr-Benchmarks" },
  text = [[
# Faster than the starter

`triangle(n)` is right but slow. Make it at least twice as fast.
]],
  check = function(c)
    local t = c:build{ harness = "work_test.c" }
    c:run_tests(t)
    local dbg = c:build{ flavour = "debug", harness = "work_test.c", name = "debug copy" }
    c:run_tests(dbg, { prefix = "debug: ", only = { "small" } })
    local base = c:build{ harness = "work_test.c", starter = true }
    c:bench(t, base, "triangle_2000", { budget = 0.5 })
  end,
}
