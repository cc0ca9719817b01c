/*
 * sandbox — a Lua 5.4 state for exercise scripts, with limits.
 *
 * Scripts see only safe standard functions (see safelib.h) and whatever
 * author API the caller adds. The limits hold from sandbox_new to
 * sandbox_free, over every call into the state together: a memory cap, an
 * instruction budget (work done inside C functions counts too) and a
 * wall-clock deadline. Once a script passes one, it is stopped for good:
 * every later instruction raises the stop again, pcall cannot keep it,
 * and every later sandbox_call fails with the same message.
 *
 * Every read of a script value (a field of a table it returned, a length)
 * may run the script's metamethods, so it must happen inside sandbox_call,
 * the way lua.c's pmain does it: push a C function that does the reading
 * and call it. Outside a protected call, a script error reaches Lua's
 * panic handler, which says which script it was and exits chanlab.
 */
#ifndef LUA_SANDBOX_H
#define LUA_SANDBOX_H

#include <stddef.h>

#include <lua.h>

struct sandbox_limits {
	size_t memory;          /* bytes the state may hold */
	unsigned long steps;    /* instruction budget, in thousands */
	double seconds;         /* wall clock, from sandbox_new */
};

#define SANDBOX_LIMITS_INIT { 64u << 20, 200000, 10.0 }

/* A new state, or NULL (err_msg says why). Free with sandbox_free. */
lua_State *sandbox_new(const struct sandbox_limits *limits);
void sandbox_free(lua_State *L);

/* Loads the text chunk at path and pushes it as a function. path is also
 * its name in messages. A binary (precompiled) chunk is refused. 0 or -1
 * (err_msg, naming path). */
int sandbox_load(lua_State *L, const char *path);

/* lua_pcall with a traceback, under the state's limits. On error returns
 * -1, pops the error, and err_msg holds "file:line: message" and the
 * traceback; a stopped script's message says which limit it passed. */
int sandbox_call(lua_State *L, int nargs, int nresults);

/* Reads t[key] for the table at idx inside a protected call (its __index
 * may run) and pushes the value. Returns its type, or -1 with nothing
 * pushed (err_msg says why, with the script's file:line). */
int sandbox_field(lua_State *L, int idx, const char *key);

/* For C functions bound into a sandbox: counts n instructions' worth of
 * work they do on the script's behalf, and raises the stop if the script
 * has passed a limit (or was stopped before: n may be 0 to just check). */
void sandbox_charge(lua_State *L, unsigned long long n);

/* For C functions bound into a sandbox: stops the script for good, as a
 * limit does (raises; pcall cannot keep it), saying what. */
void sandbox_stop(lua_State *L, const char *what) __attribute__((noreturn));

#endif
