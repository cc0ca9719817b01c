-- At most three at once: a buffered channel as a semaphore, graded by a
-- metric the harness reports (CL_METRIC) and the pack's default passes.
return {
  title = "At most three in flight",
  track = "conc",
  files = { "limit.c" },
  headers = { "limit.h" },
  uses = { "tally", "spin" },      -- lib/tally/ (a folder) and lib/spin.c
  topics = { "channels", "semaphore" },
  time = 10,
  text = [[
# At most three in flight

`run_limited(njobs, limit, job, arg)` runs every job in a goroutine of its
own and returns once all are done; no more than `limit` may run at once.
]],
  hints = {
    { test = "at most 3 jobs in flight", text = "Take a token from a buffered channel of `limit` before the job, give it back after." },
    "A channel with room for `limit` values: a send waits while it is full.",
  },
  check = function(c)
    local t = c:build{ harness = "limit_test.c" }
    -- the pack's defaults add an ASan pass and, in this track, a TSan pass;
    -- the TSan pass runs two of the cases only
    local r = c:run_tests(t, { timeout = 10, tsan = { only = { "runs_every_job", "time_scale" } } })
    local peak = r.metrics.max_in_flight
    c:test("at most 3 jobs in flight", peak ~= nil and peak <= 3,
           peak and string.format("at most 3 jobs may run at once: %d did", peak)
             or "the test did not say how many jobs ran at once")
    local ts = r.passes and r.passes.tsan
    if ts then
      c:test("the harness knows its flavour and scales its time",
             ts.metrics.tsan == 1 and ts.metrics.time_scale >= 5 and r.metrics.tsan == 0 and r.metrics.time_scale >= 1,
             string.format("tsan %s, time scale %s under TSan; %s normally", tostring(ts.metrics.tsan),
                           tostring(ts.metrics.time_scale), tostring(r.metrics.time_scale)))
    else
      c:skip("the harness knows its flavour and scales its time", "no TSan pass in this check")
    end
    -- the pack lists 3 failed expectations per test; this call, one
    c:run_tests(t, { only = { "squares" }, prefix = "one failure listed: ", max_failures = 1 })
  end,
}
