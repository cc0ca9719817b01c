return {
  title = "A loop of string.rep",
  files = { "prog.c" },
  check = function(c)
    while true do
      local s = string.rep("x", 1 << 24)
    end
  end,
}
