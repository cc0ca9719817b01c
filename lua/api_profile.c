/*
 * api_profile — profiles for check scripts: c:profile, and the `profile`
 * of a c:run{ profile = "cpu" } result.
 *
 * Data model. A profiled run gets CHANLAB_CPUPROFILE naming a file in its
 * private folder; the runtime writes a pprof profile there when the
 * program exits, and proc reads it back before the folder goes (the
 * program wrote it, so checker/profile.c reads it as hostile input). What
 * a script sees is pprof's top table as Lua data:
 *
 *   profile = {
 *     kind = "cpu", unit = "nanoseconds",
 *     total = <ns>, samples = <n>, seconds = <total in seconds>,
 *     functions = {            -- by flat, then cum, descending
 *       { name = "mix", file = "prof.c", line = 16,
 *         flat = <ns>, cum = <ns>, flat_share = 0.98, cum_share = 1.0 }, ...
 *     },
 *     by_name = { mix = <the same row>, ... },
 *   }
 *
 * Shares are fractions of total. CPU shares are statistical: at 100 Hz a
 * run of one CPU-second holds about 100 samples, so a share is known to
 * about ±sqrt(p(1-p)/n); graders should ask for enough samples.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#include "checker/profile.h"
#include "lua/check_int.h"

#define PROFILE_MAX (16u << 20)

static void push_row(lua_State *L, const struct profile *p, const struct profile_row *r, int64_t total)
{
	const char *file = p->funcs[r->func].file;

	if (strncmp(file, "./", 2) == 0)
		file += 2;
	lua_createtable(L, 0, 7);
	check_set_str(L, "name", p->funcs[r->func].name);
	check_set_str(L, "file", file);
	lua_pushinteger(L, r->line);
	lua_setfield(L, -2, "line");
	lua_pushinteger(L, r->flat);
	lua_setfield(L, -2, "flat");
	lua_pushinteger(L, r->cum);
	lua_setfield(L, -2, "cum");
	lua_pushnumber(L, total ? (double)r->flat / (double)total : 0);
	lua_setfield(L, -2, "flat_share");
	lua_pushnumber(L, total ? (double)r->cum / (double)total : 0);
	lua_setfield(L, -2, "cum_share");
}

/* Pushes the profile in data as the table of the data model, or nil and
 * a message. */
static int push_profile(lua_State *L, const char *data, size_t len)
{
	struct profile p;
	struct profile_row *rows = NULL;
	size_t nrows;
	int64_t total, samples = 0;
	int t;

	if (profile_parse(&p, data, len, PROFILE_MAX) < 0 || (t = profile_type(&p, "cpu")) < 0 ||
	    profile_top(&p, t, &rows, &nrows, &total) < 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "the profile cannot be read: %s", *err_msg() ? err_msg() : "it has no cpu samples");
		profile_release(&p);
		return 2;
	}
	for (size_t i = 0, c = (size_t)profile_type(&p, "samples"); c < p.ntypes && i < p.nsamples; i++)
		samples += p.samples[i].values[c];
	lua_createtable(L, 0, 7);
	check_set_str(L, "kind", "cpu");
	check_set_str(L, "unit", p.units[t]);
	lua_pushinteger(L, total);
	lua_setfield(L, -2, "total");
	lua_pushinteger(L, samples);
	lua_setfield(L, -2, "samples");
	lua_pushnumber(L, (double)total / 1e9);
	lua_setfield(L, -2, "seconds");
	lua_createtable(L, (int)nrows, 0);
	lua_createtable(L, 0, (int)nrows);
	for (size_t i = 0; i < nrows; i++) {
		push_row(L, &p, &rows[i], total);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, p.funcs[rows[i].func].name);
		lua_rawseti(L, -3, (lua_Integer)i + 1);
	}
	lua_setfield(L, -3, "by_name");
	lua_setfield(L, -2, "functions");
	free(rows);
	profile_release(&p);
	return 1;
}

void api_profile_result(lua_State *L, const struct proc_result *pr)
{
	if (!pr->fetched) {
		lua_pushfstring(L, "the program wrote no profile: %s", pr->fetch_error);
		lua_setfield(L, -2, "profile_error");
		return;
	}
	if (push_profile(L, pr->fetched, pr->fetched_len) == 2) {
		lua_setfield(L, -3, "profile_error");
		lua_pop(L, 1);
		return;
	}
	lua_setfield(L, -2, "profile");
}

/* c:profile(program, { kind = "cpu", <c:run's options> }): runs the
 * program as c:run{ profile = kind } does and returns the profile and the
 * run's result table. The profile is nil when the program wrote none (it
 * crashed, or was not run because it did not build): the result says why
 * in profile_error and how. */
static int api_profile(lua_State *L)
{
	const char *kind;

	check_ctx_of(L);
	lua_settop(L, 3);
	if (lua_isnil(L, 3)) {
		lua_newtable(L);
		lua_replace(L, 3);
	}
	luaL_checktype(L, 3, LUA_TTABLE);
	kind = check_opt_str(L, 3, "kind", "cpu");
	lua_newtable(L);                        /* c:run's options: a copy, with profile */
	lua_pushnil(L);
	while (lua_next(L, 3)) {
		if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "kind") == 0) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -4);
	}
	lua_pushstring(L, kind);
	lua_setfield(L, -2, "profile");
	lua_getfield(L, 1, "run");
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -4);
	lua_call(L, 3, 1);
	lua_getfield(L, -1, "profile");
	lua_pushvalue(L, -2);
	return 2;
}

const luaL_Reg api_profile_lib[] = {
	{ "profile", api_profile },
	{ NULL, NULL },
};
