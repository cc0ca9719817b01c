/*
 * safelib — the standard library as exercise scripts see it.
 *
 * base (without dofile, loadfile, load, collectgarbage and print), string
 * (without dump), table, math and utf8; no io, os, package, debug or
 * coroutine.
 */
#ifndef LUA_SAFELIB_H
#define LUA_SAFELIB_H

#include <lua.h>

/* Opens the library in L's global table. A lua_CFunction: call it
 * protected (it raises only when out of memory). */
int safelib_open(lua_State *L);

#endif
