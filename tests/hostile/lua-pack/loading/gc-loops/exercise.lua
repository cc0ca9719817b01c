-- A finalizer that never returns (Lua runs finalizers with hooks off).
local leak = setmetatable({}, { __gc = function() while true do end end })
return { title = "Endless finalizer", files = { "prog.c" }, check = function(c) end }
