-- A throw-away pack for tests/api.t: every field and function of the
-- author API's second round (pack defaults, a pack library, named and
-- starter builds, metrics, notes, the failure cap, cl_time_scale).
return {
  name = "api",
  version = "1",
  format = 1,
  tracks = { "conc", "perf" },
  defaults = {
    sanitizers = { "asan" },
    leakcheck = true,
    max_failures = 3,
    tracks = {
      conc = { sanitizers = { "asan", "tsan" } },
    },
  },
}
