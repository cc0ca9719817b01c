-- A throw-away pack for tests/verify.t: one sound exercise with three wrong
-- solutions and the metadata fields; the test copies it and breaks it.
return { name = "wrongs", version = "1", format = 1, tracks = { "basics" } }
