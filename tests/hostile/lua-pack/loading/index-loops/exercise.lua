-- Reading a field it does not have never returns.
return setmetatable({ files = { "prog.c" } }, {
  __index = function(t, key)
    while true do end
  end,
})
