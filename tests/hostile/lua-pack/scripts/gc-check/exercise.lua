return {
  title = "A finalizer in a check",
  files = { "prog.c" },
  check = function(c)
    local mt = { __gc = function() while true do end end }
    local leak = setmetatable({}, mt)
    c:test("finalizer set", true, "")
  end,
}
