return { name = "sched", version = "1", format = 1, tracks = { "conc" } }
