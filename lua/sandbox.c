/*
 * sandbox — limited Lua states; see sandbox.h.
 *
 * Data model: a struct guard lives in the state's extra space. The allocator
 * counts bytes against guard.memory; a count hook every 1000 instructions
 * charges guard.steps and checks the deadline. Interruption happens only
 * through that hook, the way lua.c does it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "base/clock.h"
#include "base/err.h"
#include "lua/safelib.h"
#include "lua/sandbox.h"

struct guard {
	struct sandbox_limits limit;
	size_t used;
	unsigned long steps;
	double deadline;
};

static struct guard *guard_of(lua_State *L)
{
	return *(struct guard **)lua_getextraspace(L);
}

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct guard *g = ud;

	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		g->used -= osize;
		return NULL;
	}
	if (nsize > osize && g->used + (nsize - osize) > g->limit.memory)
		return NULL;    /* Lua raises "not enough memory" */
	ptr = realloc(ptr, nsize);
	if (ptr)
		g->used = g->used - osize + nsize;
	return ptr;
}

/* Raises "file:line: message" naming the script line that was running. */
static void stop(lua_State *L, const char *what)
{
	lua_Debug ar;

	if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
		luaL_error(L, "%s:%d: script stopped: %s", ar.short_src, ar.currentline, what);
	luaL_error(L, "script stopped: %s", what);
}

static void hook(lua_State *L, lua_Debug *ar)
{
	struct guard *g = guard_of(L);
	char what[96];

	(void)ar;
	if (++g->steps > g->limit.steps) {
		snprintf(what, sizeof(what), "it ran more than %lu thousand instructions", g->limit.steps);
		stop(L, what);
	}
	if ((g->steps & 63) == 0 && clock_now() > g->deadline) {
		snprintf(what, sizeof(what), "it ran longer than %.1f s", g->limit.seconds);
		stop(L, what);
	}
}

lua_State *sandbox_new(const struct sandbox_limits *limits)
{
	struct guard *g = calloc(1, sizeof(*g));
	lua_State *L;

	if (!g) {
		err_set("out of memory");
		return NULL;
	}
	g->limit = *limits;
	L = lua_newstate(alloc, g);
	if (!L) {
		free(g);
		err_set("cannot create a Lua state");
		return NULL;
	}
	*(struct guard **)lua_getextraspace(L) = g;
	lua_pushcfunction(L, safelib_open);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		lua_close(L);
		free(g);
		err_set("cannot open the script library: out of memory");
		return NULL;
	}
	return L;
}

void sandbox_free(lua_State *L)
{
	struct guard *g;

	if (!L)
		return;
	g = guard_of(L);
	lua_close(L);
	free(g);
}

int sandbox_load(lua_State *L, const char *path)
{
	int rc = luaL_loadfilex(L, path, "t");

	if (rc == LUA_OK)
		return 0;
	if (rc == LUA_ERRFILE)
		err_set("cannot read '%s'", path);
	else
		err_set("%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return -1;
}

static int traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

int sandbox_call(lua_State *L, int nargs, int nresults)
{
	struct guard *g = guard_of(L);
	int base = lua_gettop(L) - nargs;
	int rc;

	g->steps = 0;
	g->deadline = clock_now() + g->limit.seconds;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	lua_sethook(L, hook, LUA_MASKCOUNT, 1000);
	rc = lua_pcall(L, nargs, nresults, base);
	lua_sethook(L, NULL, 0, 0);
	lua_remove(L, base);
	if (rc == LUA_OK)
		return 0;
	if (rc == LUA_ERRMEM)
		err_set("script stopped: it used more than %zu MiB of memory", g->limit.memory >> 20);
	else
		err_set("%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return -1;
}
