return {
  title = "table.move over the whole integer range",
  files = { "prog.c" },
  check = function(c)
    table.move({}, 1, math.maxinteger - 1, 1, {})
  end,
}
