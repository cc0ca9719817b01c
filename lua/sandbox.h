/*
 * sandbox — a Lua 5.4 state for exercise scripts, with limits.
 *
 * Scripts see only safe standard functions (see safelib.h) and whatever
 * author API the caller adds. Every call into a script goes through
 * sandbox_call: it is protected, adds a traceback, and stops the script
 * when it passes its memory cap, its instruction budget or its wall-clock
 * deadline.
 */
#ifndef LUA_SANDBOX_H
#define LUA_SANDBOX_H

#include <stddef.h>

#include <lua.h>

struct sandbox_limits {
	size_t memory;          /* bytes the state may hold */
	unsigned long steps;    /* instruction budget, in thousands */
	double seconds;         /* wall clock for one sandbox_call */
};

#define SANDBOX_LIMITS_INIT { 64u << 20, 200000, 10.0 }

/* A new state, or NULL (err_msg says why). Free with sandbox_free. */
lua_State *sandbox_new(const struct sandbox_limits *limits);
void sandbox_free(lua_State *L);

/* Loads the text chunk at path (binary chunks are refused) and pushes it as
 * a function. path is also its name in messages. 0 or -1 (err_msg). */
int sandbox_load(lua_State *L, const char *path);

/* lua_pcall with a traceback and fresh limits. On error returns -1, pops the
 * error, and err_msg holds "file:line: message" and the traceback. */
int sandbox_call(lua_State *L, int nargs, int nresults);

#endif
