-- A test pack: one exercise whose learner file is swapped for hostile programs.
return { name = "hostile", version = "1", format = 1, tracks = { "hostile" } }
