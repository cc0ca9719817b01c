/*
 * sandbox — limited Lua states; see sandbox.h.
 *
 * Data model: a struct guard lives in the state's extra space. It holds
 * the limits and what the script has spent against each:
 *
 *   memory    The allocator counts the bytes the state holds. Past the
 *             limit it grants up to a quarter more and pokes the hook
 *             (makes it fire at the next instruction), which collects the
 *             garbage and stops the script at its line if that did not
 *             bring it back under. Only past that hard cap does an
 *             allocation fail: Lua raises "not enough memory", which is
 *             reported naming the script's file.
 *   work      A count hook charges the instructions run, PERIOD at a time.
 *             C functions that loop on the script's behalf charge their
 *             own steps (sandbox_charge: the pattern matcher, the table
 *             functions). Other library calls (string.rep, string
 *             comparisons, ...) run in C between two instructions; a
 *             period that took long on the wall clock is charged the
 *             thread CPU time spent since the last look, one instruction
 *             per CPU_NS nanoseconds, when that comes to more than what
 *             was charged meanwhile. Allocating much pokes the hook too.
 *   time      The deadline, checked at every hook and every charge.
 *
 * Passing a limit calls stop(): it writes "file:line: script stopped: ..."
 * and a traceback into the guard, marks it dead and sets the hook to fire
 * at every instruction, which raises the stop again each time: a pcall
 * that caught it gets nowhere (safelib's pcall also raises it again at
 * once), and every later sandbox_call fails with the same message.
 * Interruption happens only through the hook and sandbox_charge, the way
 * lua.c does it.
 *
 * The hook stays set for the state's whole life, so even a metamethod run
 * by a read outside a protected call is bounded; its error then reaches
 * panic(), which names the script and exits (Lua cannot recover there).
 * Finalizers, which Lua runs with hooks off, are refused by safelib.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "lua/safelib.h"
#include "lua/sandbox.h"

enum {
	PERIOD = 100,            /* instructions between two hooks */
	POKE_BYTES = 4 << 20,    /* allocated since the last hook: look now */
	PANIC_EXIT = 3,          /* chanlab's exit status for an error */
};
#define SLOW 0.001               /* seconds: a period this long is charged its CPU time */
#define CPU_NS 20.0              /* CPU nanoseconds worth one instruction */

struct guard {
	struct sandbox_limits limit;
	lua_State *L;            /* the state, while open (scripts have no coroutines) */
	char *script;            /* the file last loaded, for messages */
	size_t used, hard;       /* bytes held; the cap past which allocations fail */
	size_t churn;            /* bytes allocated since the last hook */
	bool over;               /* used passed limit.memory: the hook decides */
	unsigned long long spent, budget;  /* instructions, and their equivalents */
	unsigned long long spent_at_cpu;   /* spent when cpu was read */
	double cpu;              /* thread CPU seconds at that reading */
	double deadline, last;   /* clock_now() of the deadline and of the last hook */
	bool dead;
	char why[512];           /* "file:line: script stopped: ..." */
	char trace[2048];        /* "stack traceback:..." where it was stopped */
};

static void hook(lua_State *L, lua_Debug *ar);

static struct guard *guard_of(lua_State *L)
{
	return *(struct guard **)lua_getextraspace(L);
}

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Makes the hook fire before the next instruction (safe from anywhere,
 * as lua_sethook is). */
static void poke(struct guard *g)
{
	if (g->L)
		lua_sethook(g->L, hook, LUA_MASKCOUNT, 1);
}

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct guard *g = ud;
	size_t grow;

	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		g->used -= osize;
		return NULL;
	}
	grow = nsize > osize ? nsize - osize : 0;
	if (grow > g->hard - g->used)
		return NULL;    /* Lua collects, asks again, then raises "not enough memory" */
	ptr = realloc(ptr, nsize);
	if (!ptr)
		return NULL;
	g->used = g->used - osize + nsize;
	g->churn += grow;
	if (g->used > g->limit.memory)
		g->over = true;
	if ((g->over || g->churn > POKE_BYTES) && g->L)
		poke(g);
	return ptr;
}

static void spend(struct guard *g, unsigned long long n)
{
	g->spent = n > ~0ull - g->spent ? ~0ull : g->spent + n;
}

/* Charges the CPU time since the last reading where it is worth more
 * than what was charged meanwhile. */
static void spend_cpu(struct guard *g)
{
	double cpu = thread_cpu();
	double worth = (cpu - g->cpu) * 1e9 / CPU_NS;
	unsigned long long charged = g->spent - g->spent_at_cpu;

	if (worth > (double)charged)
		spend(g, (unsigned long long)worth - charged);
	g->cpu = cpu;
	g->spent_at_cpu = g->spent;
}

/* "stack traceback:" and one line per level, as luaL_traceback writes it,
 * into buf without allocating (the state may be out of memory). */
static void traceback(lua_State *L, char *buf, size_t size)
{
	lua_Debug ar;
	size_t n = (size_t)snprintf(buf, size, "stack traceback:");

	for (int level = 0; n < size && lua_getstack(L, level, &ar); level++) {
		int w;

		lua_getinfo(L, "Slnt", &ar);
		if (ar.currentline > 0)
			w = snprintf(buf + n, size - n, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
		else
			w = snprintf(buf + n, size - n, "\n\t%s: in ", ar.short_src);
		n += (size_t)w;
		if (n >= size)
			break;
		if (*ar.namewhat)
			w = snprintf(buf + n, size - n, "%s '%s'", ar.namewhat, ar.name);
		else if (*ar.what == 'm')
			w = snprintf(buf + n, size - n, "main chunk");
		else if (*ar.what == 'C')
			w = snprintf(buf + n, size - n, "?");
		else
			w = snprintf(buf + n, size - n, "function <%s:%d>", ar.short_src, ar.linedefined);
		n += (size_t)w;
		if (ar.istailcall && n < size)
			n += (size_t)snprintf(buf + n, size - n, "\n\t(...tail calls...)");
	}
}

static void raise_stop(lua_State *L)
{
	lua_pushstring(L, guard_of(L)->why);
	lua_error(L);
}

/* Stops the script for good (raises), naming the script line it was at:
 * the innermost level that has one, as a C function has not. */
static void stop(lua_State *L, const char *what)
{
	struct guard *g = guard_of(L);
	lua_Debug ar;
	bool found = false;

	for (int level = 0; !found && lua_getstack(L, level, &ar); level++)
		found = lua_getinfo(L, "Sl", &ar) && ar.currentline > 0;
	if (found)
		snprintf(g->why, sizeof(g->why), "%s:%d: script stopped: %s", ar.short_src, ar.currentline, what);
	else
		snprintf(g->why, sizeof(g->why), "%s: script stopped: %s", g->script ? g->script : "?", what);
	traceback(L, g->trace, sizeof(g->trace));
	g->dead = true;
	lua_sethook(L, hook, LUA_MASKCOUNT, 1);
	raise_stop(L);
}

static void check_limits(lua_State *L, struct guard *g, double now)
{
	char what[96];

	if (g->over) {
		lua_gc(L, LUA_GCCOLLECT);
		g->over = g->used > g->limit.memory;
		if (g->over) {
			snprintf(what, sizeof(what), "it used more than %zu MiB of memory", g->limit.memory >> 20);
			stop(L, what);
		}
	}
	if (g->spent > g->budget) {
		snprintf(what, sizeof(what), "it ran more than %lu thousand instructions", g->limit.steps);
		stop(L, what);
	}
	if (now > g->deadline) {
		snprintf(what, sizeof(what), "it ran longer than %.1f s", g->limit.seconds);
		stop(L, what);
	}
}

static void hook(lua_State *L, lua_Debug *ar)
{
	struct guard *g = guard_of(L);
	double now = clock_now();
	bool slow = now - g->last > SLOW;

	(void)ar;
	if (g->dead)
		raise_stop(L);
	spend(g, (unsigned long long)lua_gethookcount(L));
	if (slow)
		spend_cpu(g);
	g->last = now;
	g->churn = 0;
	check_limits(L, g, now);
	/* after a slow period, look again at the next instruction */
	if (lua_gethookcount(L) != (slow ? 1 : PERIOD))
		lua_sethook(L, hook, LUA_MASKCOUNT, slow ? 1 : PERIOD);
}

void sandbox_charge(lua_State *L, unsigned long long n)
{
	struct guard *g = guard_of(L);

	if (g->dead)
		raise_stop(L);
	spend(g, n);
	check_limits(L, g, clock_now());
}

void sandbox_stop(lua_State *L, const char *what)
{
	stop(L, what);
	abort();        /* stop raises */
}

/* A script error outside any protected call: Lua would abort. */
static int panic(lua_State *L)
{
	struct guard *g = guard_of(L);
	const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "an error that is not a string";

	fprintf(stderr, "chanlab: %s: a script error outside a protected call, which chanlab cannot recover "
		"from (a bug in chanlab): %s\n", g->script ? g->script : "an exercise script",
		g->dead ? g->why : msg);
	fflush(stderr);
	exit(PANIC_EXIT);
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
	g->hard = limits->memory + limits->memory / 4;
	g->budget = (unsigned long long)limits->steps * 1000;
	L = lua_newstate(alloc, g);
	if (!L) {
		free(g);
		err_set("cannot create a Lua state");
		return NULL;
	}
	*(struct guard **)lua_getextraspace(L) = g;
	lua_atpanic(L, panic);
	lua_pushcfunction(L, safelib_open);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		lua_close(L);
		free(g);
		err_set("cannot open the script library: out of memory");
		return NULL;
	}
	g->L = L;
	g->deadline = clock_now() + limits->seconds;
	g->last = clock_now();
	g->cpu = thread_cpu();
	lua_sethook(L, hook, LUA_MASKCOUNT, PERIOD);
	return L;
}

void sandbox_free(lua_State *L)
{
	struct guard *g;

	if (!L)
		return;
	g = guard_of(L);
	g->L = NULL;    /* no more pokes: the state is going */
	lua_close(L);
	free(g->script);
	free(g);
}

int sandbox_load(lua_State *L, const char *path)
{
	struct guard *g = guard_of(L);
	int rc;

	free(g->script);
	g->script = str_dup(path);
	rc = luaL_loadfilex(L, path, "t");
	if (rc == LUA_OK)
		return 0;
	if (rc == LUA_ERRFILE)
		err_set("cannot read '%s'", path);
	else if (rc == LUA_ERRMEM)
		err_set("%s: it used more than %zu MiB of memory to load", path, g->limit.memory >> 20);
	else if (strstr(lua_tostring(L, -1), "binary chunk"))
		err_set("%s: a binary (precompiled) chunk cannot be loaded: exercise scripts are Lua source", path);
	else
		err_set("%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return -1;
}

static int message(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

static int stopped(const struct guard *g)
{
	return err_set("%s%s%s", g->why, *g->trace ? "\n" : "", g->trace);
}

int sandbox_call(lua_State *L, int nargs, int nresults)
{
	struct guard *g = guard_of(L);
	int base = lua_gettop(L) - nargs;
	int rc;

	if (g->dead) {
		lua_settop(L, base - 1);
		return stopped(g);
	}
	/* what chanlab did between two calls is not the script's */
	g->last = clock_now();
	g->cpu = thread_cpu();
	g->spent_at_cpu = g->spent;
	lua_pushcfunction(L, message);
	lua_insert(L, base);
	rc = lua_pcall(L, nargs, nresults, base);
	lua_remove(L, base);
	if (rc == LUA_OK)
		return 0;
	if (rc == LUA_ERRMEM && !g->dead) {
		snprintf(g->why, sizeof(g->why), "%s: script stopped: it used more than %zu MiB of memory",
			 g->script ? g->script : "?", g->limit.memory >> 20);
		g->dead = true;
	}
	if (g->dead)
		stopped(g);
	else
		err_set("%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return -1;
}

static int get_field(lua_State *L)
{
	lua_gettable(L, 1);
	return 1;
}

int sandbox_field(lua_State *L, int idx, const char *key)
{
	idx = lua_absindex(L, idx);
	lua_pushcfunction(L, get_field);
	lua_pushvalue(L, idx);
	lua_pushstring(L, key);
	if (sandbox_call(L, 2, 1) < 0)
		return -1;
	return lua_type(L, -1);
}
