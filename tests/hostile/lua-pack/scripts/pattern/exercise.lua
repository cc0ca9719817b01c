return {
  title = "Backtracking pattern",
  files = { "prog.c" },
  check = function(c)
    local s = string.rep("a", 60)
    local found = string.find(s, string.rep("a-", 20) .. "b")
    c:test("never", found == nil, "unreachable")
  end,
}
