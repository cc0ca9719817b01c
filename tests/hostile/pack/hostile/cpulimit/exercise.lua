-- Runs prog.c with a CPU limit below its wall-clock limit (tests/hostile-programs.t).
return {
  title = "A CPU limit",
  files = { "prog.c" },
  check = function(c)
    local p = c:build()
    local r = c:run(p, { timeout = 10, cpu = 1, processes = 16 })
    c:test("runs cleanly", r.ok, "your program " .. r.how, r.stderr)
  end,
}
