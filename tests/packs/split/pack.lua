return { name = "prof", version = "1", format = 1, tracks = { "perf" } }
