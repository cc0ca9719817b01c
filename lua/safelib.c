/*
 * safelib — the library scripts see; see safelib.h.
 *
 * Data model: the standard libraries are opened as they are, then changed
 * in place. A replacement that still needs the original keeps it as
 * upvalue 1 and calls it on its own frame, as a plain C call: base
 * functions use no upvalues of their own, and their argument errors then
 * name the function as before.
 */
#include <lauxlib.h>
#include <lualib.h>

#include "lua/safelib.h"
#include "lua/sandbox.h"

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

static lua_CFunction original(lua_State *L)
{
	return lua_tocfunction(L, lua_upvalueindex(1));
}

/* --- pcall and xpcall --------------------------------------------------- */

static int safe_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	if (lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0) == LUA_OK)
		return lua_gettop(L);
	sandbox_charge(L, 0);   /* a stopped script stays stopped */
	lua_pushboolean(L, 0);
	lua_insert(L, -2);
	return 2;
}

static int safe_xpcall(lua_State *L)
{
	int n = lua_gettop(L);

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);    /* f, handler, true, f, arguments */
	if (lua_pcall(L, n - 2, LUA_MULTRET, 2) == LUA_OK)
		return lua_gettop(L) - 2;
	sandbox_charge(L, 0);
	lua_pushboolean(L, 0);
	lua_insert(L, -2);
	return 2;
}

/* --- setmetatable -------------------------------------------------------- */

static int safe_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: a metatable with __gc is not allowed "
					  "(Lua runs finalizers where no limit can stop them)");
		lua_pop(L, 1);
	}
	return original(L)(L);
}

/* --- opening ------------------------------------------------------------- */

/* Replaces field name of the table on top with f, which gets the
 * original as upvalue 1. */
static void wrap(lua_State *L, const char *name, lua_CFunction f)
{
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, -2, name);
}

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
	lua_pushcfunction(L, safe_pcall);
	lua_setfield(L, -2, "pcall");
	lua_pushcfunction(L, safe_xpcall);
	lua_setfield(L, -2, "xpcall");
	wrap(L, "setmetatable", safe_setmetatable);

	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 2);
	return 0;
}
