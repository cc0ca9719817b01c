-- Runs prog.c under valgrind's memcheck; tests/grade-reports.t swaps prog.c.
return {
  title = "Under valgrind",
  files = { "prog.c" },
  check = function(c)
    local p = c:build{ flavour = "debug" }
    local r = c:run(p, { timeout = 30, valgrind = true })
    c:clean("clean under valgrind", r)
  end,
}
