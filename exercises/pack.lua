-- The bundled chanlab pack: the advanced Go curriculum, carried over to C.
return {
  name = "chanlab",
  version = "0.1.0",
  format = 1,                 -- the pack format this file is written in
  tracks = { "concurrency", "memory", "profiling" },
  -- The grading policy every exercise inherits unless it says otherwise
  -- (docs/authoring.md, "Grading policy"): every harness's cases also run
  -- under ASan+UBSan+LSan, a concurrency exercise's under TSan too; the
  -- goroutine leak check runs after every case and when go_main returns;
  -- a test lists its first five failed expectations.
  defaults = {
    sanitizers = { "asan" },
    leakcheck = true,
    max_failures = 5,
    tracks = {
      concurrency = { sanitizers = { "asan", "tsan" } },
    },
  },
}
