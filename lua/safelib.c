/*
 * safelib — the library scripts see; see safelib.h.
 *
 * Data model: the standard libraries are opened as they are, then changed
 * in place.
 */
#include <lauxlib.h>
#include <lualib.h>

#include "lua/safelib.h"

static const luaL_Reg libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ NULL, NULL },
};

/* Base functions a script must not have: they reach files or load bytecode. */
static const char *const removed[] = {
	"dofile", "loadfile", "load", "collectgarbage", "print", NULL,
};

int safelib_open(lua_State *L)
{
	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	for (const char *const *name = removed; *name; name++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *name);
	}
	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 2);
	return 0;
}
