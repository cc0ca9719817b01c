/*
 * pattern — string.find, string.match, string.gmatch and string.gsub for
 * sandboxed scripts, with a matcher whose work is bounded.
 *
 * Lua's own matcher runs in C, where no count hook fires: a pattern such
 * as ("a-"):rep(20) .. "b" backtracks for longer than anyone waits. These
 * functions take the same arguments and give the same results and errors
 * as Lua 5.4's (reference manual, section 6.4.1), and charge every step
 * of their matcher to the script with sandbox_charge, which stops it at
 * its limit like any loop.
 */
#ifndef LUA_PATTERN_H
#define LUA_PATTERN_H

#include <lua.h>

/* Sets find, match, gmatch and gsub in the table at idx (the string
 * library of a sandboxed state). May raise (memory). */
void pattern_open(lua_State *L, int idx);

#endif
