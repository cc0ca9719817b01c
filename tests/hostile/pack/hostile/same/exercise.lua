-- Compares what prog.c prints with expected.txt by c:same, and reads prog.c
-- back by c:source; tests/hostile-output.t swaps prog.c.
return {
  title = "Output compared byte by byte",
  files = { "prog.c" },
  check = function(c)
    local src, why = c:source("prog.c")
    c:test("its source can be read", src ~= nil, why)
    local p = c:build()
    local r = c:run(p, { timeout = 2, memory = 256, output = 65536 })
    c:same("prints ok", r.stdout, c:file("expected.txt"))
  end,
}
