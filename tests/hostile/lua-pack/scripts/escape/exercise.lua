-- Everything a script must not reach is simply not there.
return {
  title = "Sandbox escape",
  files = { "prog.c" },
  check = function(c)
    c:test("no io", io == nil, "io is reachable")
    c:test("no os", os == nil, "os is reachable")
    c:test("no require", require == nil, "require is reachable")
    c:test("no load", load == nil and loadstring == nil and dofile == nil and loadfile == nil, "a loader is reachable")
    c:test("no debug", debug == nil, "debug is reachable")
    c:test("no string.dump", string.dump == nil, "string.dump is reachable")
    c:test("no package", package == nil, "package is reachable")
    local ok, err = pcall(c.file, c, "../../../../etc/passwd")
    c:test("c:file stays in the exercise folder", not ok and err:find("inside the exercise folder") ~= nil, tostring(err))
    ok, err = pcall(c.source, c, "exercise.lua")
    c:test("c:source reads only the learner's files", not ok, tostring(err))
    ok, err = pcall(c.build, c, { extra = { "/etc/passwd" } })
    c:test("c:build takes no absolute paths", not ok, tostring(err))
    ok = pcall(getmetatable, c)
    c:test("the API object is sealed", getmetatable(c) == "chanlab check", "its metatable is reachable")
  end,
}
