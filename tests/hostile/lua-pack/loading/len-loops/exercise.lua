-- The length of its list of files never comes back.
return {
  title = "Endless length",
  files = setmetatable({ "prog.c" }, { __len = function() while true do end end }),
  check = function(c) end,
}
