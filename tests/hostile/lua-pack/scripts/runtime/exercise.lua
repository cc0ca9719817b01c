return {
  title = "Runtime error",
  files = { "prog.c" },
  check = function(c)
    local p = c:build()
    local t = nil
    c:test("never", t.field == 1, "unreachable")
  end,
}
