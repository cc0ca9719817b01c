/*
 * safelib — the library scripts see; see safelib.h.
 *
 * Data model: the standard libraries are opened as they are, then changed
 * in place. A replacement that still needs the original keeps it as
 * upvalue 1 (and, for the table functions charged up front, which of
 * their arguments count the elements they visit as upvalue 2). Most call
 * the original on their own frame, as a plain C call: base and table
 * functions use no upvalues of their own, and their argument errors then
 * name the function as before. math.randomseed keeps its state in an
 * upvalue, so it is called through Lua.
 */
#include <stdbool.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua/pattern.h"
#include "lua/safelib.h"
#include "lua/sandbox.h"

enum { SEED = 1 };       /* math.random's fixed seed */

/* How a table function's arguments say how many elements it visits. */
enum visits {
	VISIT_RANGE,     /* table.move(a1, f, e, t [,a2]): f..e */
	VISIT_LENGTH,    /* table.insert, table.remove: up to #t */
	VISIT_SORT,      /* table.sort: #t times log2(#t) */
	VISIT_CONCAT,    /* table.concat(t, sep, i, j): i..j, j = #t */
	VISIT_UNPACK,    /* table.unpack(t, i, j): i..j, j = #t */
};

static const struct {
	const char *name;
	enum visits visits;
} charged_table[] = {
	{ "move", VISIT_RANGE },
	{ "insert", VISIT_LENGTH },
	{ "remove", VISIT_LENGTH },
	{ "sort", VISIT_SORT },
	{ "concat", VISIT_CONCAT },
	{ "unpack", VISIT_UNPACK },
};

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

/* --- setmetatable and math.randomseed ----------------------------------- */

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

static int safe_randomseed(lua_State *L)
{
	if (lua_isnone(L, 1))
		lua_pushinteger(L, SEED);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* --- table functions, charged before they loop --------------------------- */

/* Integer argument arg, or def when absent; *ok is cleared when it is
 * not an integer (the function itself will say so). */
static lua_Integer int_arg(lua_State *L, int arg, lua_Integer def, bool *ok)
{
	lua_Integer v;
	int isnum;

	if (lua_isnoneornil(L, arg))
		return def;
	v = lua_tointegerx(L, arg, &isnum);
	if (!isnum)
		*ok = false;
	return v;
}

/* From i to j, as a count that does not overflow. */
static unsigned long long count(lua_Integer i, lua_Integer j)
{
	return j < i ? 0 : (unsigned long long)j - (unsigned long long)i + 1;
}

static unsigned long long visits(lua_State *L, enum visits how)
{
	bool ok = true;
	lua_Integer n, i, j;
	unsigned long long c, log2n = 1;

	if (how == VISIT_RANGE) {
		i = int_arg(L, 2, 0, &ok);
		j = int_arg(L, 3, -1, &ok);
		return ok ? count(i, j) : 0;
	}
	if (lua_type(L, 1) != LUA_TTABLE)
		return 0;       /* the function refuses it, or it has no length */
	n = luaL_len(L, 1);     /* as the function reads it: __len may run */
	switch (how) {
	case VISIT_LENGTH:
		return count(1, n);
	case VISIT_SORT:
		c = count(1, n);
		while (log2n < 64 && (c >> log2n))
			log2n++;
		return c > (1ull << 40) ? ~0ull : c * log2n;   /* more than any budget */
	case VISIT_CONCAT:
		i = int_arg(L, 3, 1, &ok);
		j = int_arg(L, 4, n, &ok);
		return ok ? count(i, j) : 0;
	default:
		i = int_arg(L, 2, 1, &ok);
		j = int_arg(L, 3, n, &ok);
		return ok ? count(i, j) : 0;
	}
}

static int charged(lua_State *L)
{
	sandbox_charge(L, visits(L, (enum visits)lua_tointeger(L, lua_upvalueindex(2))));
	return original(L)(L);
}

/* --- opening ------------------------------------------------------------- */

/* Replaces field name of the table on top with f, which gets the
 * original as upvalue 1 and extra as upvalue 2. */
static void wrap(lua_State *L, const char *name, lua_CFunction f, lua_Integer extra)
{
	lua_getfield(L, -1, name);
	lua_pushinteger(L, extra);
	lua_pushcclosure(L, f, 2);
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
	wrap(L, "setmetatable", safe_setmetatable, 0);

	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	pattern_open(L, -1);
	lua_pop(L, 1);

	lua_getfield(L, -1, LUA_TABLIBNAME);
	for (size_t i = 0; i < sizeof(charged_table) / sizeof(charged_table[0]); i++)
		wrap(L, charged_table[i].name, charged, charged_table[i].visits);
	lua_pop(L, 1);

	lua_getfield(L, -1, LUA_MATHLIBNAME);
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, SEED);
	lua_call(L, 1, 0);
	wrap(L, "randomseed", safe_randomseed, 0);
	lua_pop(L, 2);
	return 0;
}
