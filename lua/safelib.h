/*
 * safelib — the standard library as exercise scripts see it.
 *
 * base (without dofile, loadfile, load, collectgarbage and print), string
 * (without dump), table, math and utf8; no io, os, package, debug or
 * coroutine. Of what is left, what could get around the sandbox's limits
 * is replaced:
 *   - pcall and xpcall hand back an error, but not the stop of a script
 *     that passed a limit: that is raised again at once;
 *   - setmetatable refuses a metatable with a __gc field: Lua runs
 *     finalizers with hooks off (lgc.c, GCTM), where no limit reaches them;
 *   - string.find, match, gmatch and gsub are pattern.h's, whose matcher
 *     charges every step;
 *   - table.move, insert, remove, concat, unpack and sort charge the
 *     elements they will visit before they start: their loops run in C
 *     (table.move(t, 1, math.maxinteger - 1, 1) would never return);
 *   - math.random starts from a fixed seed, and math.randomseed() without
 *     an argument goes back to it: a script does the same thing each time.
 */
#ifndef LUA_SAFELIB_H
#define LUA_SAFELIB_H

#include <lua.h>

/* Opens the library in L's global table. A lua_CFunction: call it
 * protected (it raises only when out of memory). */
int safelib_open(lua_State *L);

#endif
