-- A test pack of hostile and broken exercise scripts (tests/hostile-scripts.t).
return { name = "hostile-scripts", version = "1", format = 1, tracks = { "scripts" } }
