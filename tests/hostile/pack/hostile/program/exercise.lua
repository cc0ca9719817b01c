-- Runs whatever prog.c is with tight limits; tests/hostile-programs.t swaps it.
return {
  title = "A hostile program",
  files = { "prog.c" },
  check = function(c)
    local p = c:build()
    local r = c:run(p, { timeout = 1, memory = 256, output = 65536 })
    c:test("runs cleanly", r.ok, "your program " .. r.how,
           r.stdout:sub(-200) .. r.stderr:sub(1, 400))
  end,
}
