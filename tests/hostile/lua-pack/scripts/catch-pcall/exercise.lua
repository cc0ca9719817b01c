return {
  title = "pcall catches the stop",
  files = { "prog.c" },
  check = function(c)
    while true do
      pcall(function()
        while true do end
      end)
    end
  end,
}
