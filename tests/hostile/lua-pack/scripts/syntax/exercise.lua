return {
  title = "Syntax error",
  files = { "prog.c" }
  check = function(c) end,
}
