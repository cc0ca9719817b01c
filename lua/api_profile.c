/*
 * api_profile — profiles and traces for check scripts: c:profile and
 * c:trace, and the `profile` or `trace` of a c:run{ profile = ... } result.
 *
 * Data model. A profiled run gets CHANLAB_CPUPROFILE naming a file in its
 * private folder; the runtime writes a pprof profile there when the
 * program exits, and proc reads it back before the folder goes (the
 * program wrote it, so checker/profile.c reads it as hostile input). What
 * a script sees is pprof's top table as Lua data:
 *
 *   profile = {
 *     kind = "cpu", unit = "nanoseconds",     -- or "block", "mutex": delay
 *     total = <ns>, samples = <n>, seconds = <total in seconds>,
 *     functions = {            -- by flat, then cum, descending
 *       { name = "mix", file = "prof.c", line = 16,
 *         flat = <ns>, cum = <ns>, flat_share = 0.98, cum_share = 1.0 }, ...
 *     },
 *     by_name = { mix = <the same row>, ... },
 *   }
 *
 * For block and mutex profiles total and the rows are delays (time parked
 * on channels, select and sync; contention charged to the unlocker) and
 * samples counts the events; every event is kept (rate 1), so these are
 * exact counts and measured times. For alloc profiles they are bytes
 * allocated and samples the allocations, every one recorded: exact. Shares are fractions of total. CPU
 * shares are statistical: at 100 Hz a
 * run of one CPU-second holds about 100 samples, so a share is known to
 * about ±sqrt(p(1-p)/n); graders should ask for enough samples.
 *
 * A traced run gets CHANLAB_TRACE the same way; checker/trace.c reduces
 * the trace to facts, which a script sees as
 *
 *   trace = {
 *     seconds = 0.21, events = 1234, goroutines = 9, max_alive = 9,
 *     max_running = 2, procs = 2,
 *     busy = { 0.20, 0.18 },          -- seconds each P ran goroutines
 *     utilisation = 0.90,             -- sum of busy / (seconds * procs)
 *     blocked = { send = .., recv = .., select = .., sync = .., cond = ..,
 *                 sleep = .., other = .. },   -- seconds, all goroutines
 *     blocks = { send = 3, ... },     -- how many times
 *     latency = { p50 = .., p99 = .., max = .. },  -- runnable to running, s
 *   }
 *
 * These are deterministic counts (goroutines, blocks) and measured times
 * (the rest): grade times with a margin.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fs.h"

#include "checker/profile.h"
#include "checker/trace.h"
#include "lua/check_int.h"

#define PROFILE_MAX (16u << 20)

/* What each kind of run writes, and, for profiles, the sample types that
 * measure (value) and count (count) in it. */
static const struct prof_kind {
	const char *kind, *file, *env, *value, *count;
} kinds[] = {
	{ "cpu", "chanlab-cpu.pb.gz", "CHANLAB_CPUPROFILE=chanlab-cpu.pb.gz", "cpu", "samples" },
	{ "block", "chanlab-block.pb.gz", "CHANLAB_BLOCKPROFILE=chanlab-block.pb.gz", "delay", "contentions" },
	{ "mutex", "chanlab-mutex.pb.gz", "CHANLAB_MUTEXPROFILE=chanlab-mutex.pb.gz", "delay", "contentions" },
	{ "alloc", "chanlab-heap.pb.gz", "CHANLAB_MEMPROFILE=chanlab-heap.pb.gz,1", "alloc_space", "alloc_objects" },
	{ "trace", "chanlab-trace.out", "CHANLAB_TRACE=chanlab-trace.out", NULL, NULL },
};

static const struct prof_kind *kind_of(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

const char *api_profile_file(const char *kind)
{
	const struct prof_kind *k = kind_of(kind);

	return k ? k->file : NULL;
}

const char *api_profile_env(const char *kind)
{
	const struct prof_kind *k = kind_of(kind);

	return k ? k->env : NULL;
}

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
static int push_profile(lua_State *L, const struct prof_kind *k, const char *data, size_t len)
{
	struct profile p;
	struct profile_row *rows = NULL;
	size_t nrows;
	int64_t total, samples = 0;
	int t = -1;

	err_set("%s", "");
	if (profile_parse(&p, data, len, PROFILE_MAX) < 0 || (t = profile_type(&p, k->value)) < 0 ||
	    profile_top(&p, t, &rows, &nrows, &total) < 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "the profile cannot be read: %s", *err_msg() ? err_msg() : "it has no samples of its kind");
		profile_release(&p);
		return 2;
	}
	for (size_t i = 0, c = (size_t)profile_type(&p, k->count); c < p.ntypes && i < p.nsamples; i++)
		samples += p.samples[i].values[c];
	lua_createtable(L, 0, 7);
	check_set_str(L, "kind", k->kind);
	check_set_str(L, "unit", p.units[t]);
	lua_pushinteger(L, total);
	lua_setfield(L, -2, "total");
	lua_pushinteger(L, samples);
	lua_setfield(L, -2, "samples");
	if (strcmp(p.units[t], "nanoseconds") == 0) {
		lua_pushnumber(L, (double)total / 1e9);
		lua_setfield(L, -2, "seconds");
	}
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

static void set_num(lua_State *L, const char *key, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, key);
}

/* Pushes the facts of the trace in data, or nil and a message. */
static int push_trace(lua_State *L, const char *data, size_t len)
{
	struct trace_facts f;
	double busy = 0;

	if (trace_facts(&f, data, len) < 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "the trace cannot be read: %s", err_msg());
		return 2;
	}
	lua_createtable(L, 0, 12);
	set_num(L, "seconds", f.seconds);
	lua_pushinteger(L, f.events);
	lua_setfield(L, -2, "events");
	lua_pushinteger(L, f.goroutines);
	lua_setfield(L, -2, "goroutines");
	lua_pushinteger(L, f.max_alive);
	lua_setfield(L, -2, "max_alive");
	lua_pushinteger(L, f.max_running);
	lua_setfield(L, -2, "max_running");
	lua_pushinteger(L, f.procs);
	lua_setfield(L, -2, "procs");
	lua_createtable(L, f.nprocs, 0);
	for (int p = 0; p < f.nprocs; p++) {
		lua_pushnumber(L, f.busy[p]);
		lua_rawseti(L, -2, p + 1);
		busy += f.busy[p];
	}
	lua_setfield(L, -2, "busy");
	set_num(L, "utilisation", f.seconds > 0 && f.procs > 0 ? busy / (f.seconds * f.procs) : 0);
	lua_createtable(L, 0, TW_COUNT);
	for (int w = 0; w < TW_COUNT; w++)
		set_num(L, trace_wait_name(w), f.blocked[w]);
	lua_setfield(L, -2, "blocked");
	lua_createtable(L, 0, TW_COUNT);
	for (int w = 0; w < TW_COUNT; w++) {
		lua_pushinteger(L, f.blocks[w]);
		lua_setfield(L, -2, trace_wait_name(w));
	}
	lua_setfield(L, -2, "blocks");
	lua_createtable(L, 0, 3);
	set_num(L, "p50", f.latency_p50);
	set_num(L, "p99", f.latency_p99);
	set_num(L, "max", f.latency_max);
	lua_setfield(L, -2, "latency");
	return 1;
}

void api_profile_result(lua_State *L, const char *kind, const struct proc_result *pr)
{
	const struct prof_kind *k = kind_of(kind);
	bool trace = !k->value;

	if (!pr->fetched) {
		lua_pushfstring(L, "the program wrote no %s: %s", trace ? "trace" : "profile", pr->fetch_error);
		lua_setfield(L, -2, "profile_error");
		return;
	}
	if ((trace ? push_trace(L, pr->fetched, pr->fetched_len) : push_profile(L, k, pr->fetched, pr->fetched_len)) == 2) {
		lua_setfield(L, -3, "profile_error");
		lua_pop(L, 1);
		return;
	}
	lua_setfield(L, -2, trace ? "trace" : "profile");
}

void api_profile_empty(lua_State *L, const char *kind)
{
	const struct prof_kind *k = kind_of(kind);

	lua_createtable(L, 0, 12);
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "empty");
	if (k && !k->value) {           /* a trace's facts, all zero */
		static const char *const zero[] = { "goroutines", "max_alive", "max_running", "procs", "seconds",
						    "busy", "utilisation" };
		static const char *const tables[] = { "blocked", "blocks", "latency" };

		for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
			lua_pushinteger(L, 0);
			lua_setfield(L, -2, zero[i]);
		}
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			lua_newtable(L);
			lua_setfield(L, -2, tables[i]);
		}
	} else {
		static const char *const zero[] = { "total", "samples", "seconds" };

		for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
			lua_pushinteger(L, 0);
			lua_setfield(L, -2, zero[i]);
		}
		lua_newtable(L);
		lua_setfield(L, -2, "functions");
		lua_newtable(L);
		lua_setfield(L, -2, "by_name");
	}
	lua_setfield(L, -2, k && !k->value ? "trace" : "profile");
}

void api_profile_keep(struct check_ctx *c, const struct program *prog, const char *kind,
		      const struct proc_result *pr)
{
	char path[4200];

	if (!c->env->profdir || !pr->fetched || prog->role != ROLE_LEARNER || *prog->label || c->nprofiles >= 999)
		return;
	c->nprofiles++;
	if (strcmp(kind, "trace") == 0)
		snprintf(path, sizeof(path), "%s/trace-%03d.out", c->env->profdir, c->nprofiles);
	else
		snprintf(path, sizeof(path), "%s/%s-%03d.pb.gz", c->env->profdir, kind, c->nprofiles);
	if (fs_write(path, pr->fetched, pr->fetched_len) < 0)
		err_set("%s", "");   /* only missing from the views */
}

/* c:profile(program, { kind = "cpu", <c:run's options> }): runs the
 * program as c:run{ profile = kind } does and returns the profile and the
 * run's result table. The profile is nil when the program wrote none (it
 * crashed, or was not run because it did not build): the result says why
 * in profile_error and how. c:trace(program, opts) is the same with kind
 * "trace", and returns the trace's facts. */
static int run_profiled(lua_State *L, const char *fixed)
{
	const char *kind;

	check_ctx_of(L);
	lua_settop(L, 3);
	if (lua_isnil(L, 3)) {
		lua_newtable(L);
		lua_replace(L, 3);
	}
	luaL_checktype(L, 3, LUA_TTABLE);
	kind = fixed ? fixed : check_opt_str(L, 3, "kind", "cpu");
	if (!fixed && (!kind_of(kind) || !kind_of(kind)->value))
		return luaL_error(L, "unknown profile kind '%s' (cpu, block, mutex, alloc)", kind);
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
	lua_getfield(L, -1, fixed ? "trace" : "profile");
	lua_pushvalue(L, -2);
	return 2;
}

static int api_profile(lua_State *L)
{
	return run_profiled(L, NULL);
}

static int api_trace(lua_State *L)
{
	return run_profiled(L, "trace");
}

const luaL_Reg api_profile_lib[] = {
	{ "profile", api_profile },
	{ "trace", api_trace },
	{ NULL, NULL },
};
