return {
  title = "Endless loop",
  files = { "prog.c" },
  check = function(c)
    local n = 0
    while true do
      n = n + 1
    end
  end,
}
