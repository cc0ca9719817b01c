-- A throw-away pack for tests/harness-inuse.t: cl_inuse() and
-- cl_inuse_peak(), the bytes a program still points to, in every flavour.
return {
  name = "inuse",
  version = "1",
  format = 1,
  tracks = { "mem" },
  defaults = { sanitizers = { "asan", "tsan" } },
}
