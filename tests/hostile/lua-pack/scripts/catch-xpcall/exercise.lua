return {
  title = "xpcall catches the stop",
  files = { "prog.c" },
  check = function(c)
    while true do
      xpcall(function()
        while true do end
      end, function(e) return "handled" end)
    end
  end,
}
