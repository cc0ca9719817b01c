return {
  title = "Missing file",
  files = { "prog.c" },
  check = function(c)
    local p = c:build{ extra = { "helpers.c" } }
  end,
}
