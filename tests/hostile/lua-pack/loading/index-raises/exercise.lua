-- The table it returns raises on every field it does not have.
return setmetatable({ files = { "prog.c" } }, {
  __index = function(t, key)
    error("no field " .. key)
  end,
})
