-- The bundled chanlab pack: the advanced Go curriculum, carried over to C.
return {
  name = "chanlab",
  version = "0.1.0",
  format = 1,                 -- the pack format this file is written in
  tracks = { "concurrency", "memory", "profiling" },
}
