/*
 * api_run — running programs: c:run, and api_run_program, the one way any
 * program runs; see check_int.h and docs/authoring.md.
 *
 * Data model: every run, c:run's or a harness's, goes through
 * api_run_program: the argument and environment lists are userdata and
 * strings on the Lua stack, the result a struct proc_result the caller
 * releases before it returns to Lua, after copying what the script sees
 * into a table. The environment is built here in one order, the last of a
 * name winning: the flavour's sanitizer options and CHANLAB_LEAKCHECK=1,
 * the exercise's policy (CHANLAB_LEAKCHECK=0 when it opts out), what the
 * checker knows for cl_time_scale (CHANLAB_LOAD, CHANLAB_TIME_SCALE), then
 * the script's own variables. Each run adds the instruments it used (its
 * flavour, valgrind, the leak check, deterministic schedules, a profile)
 * to the verdict's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/build.h"
#include "checker/kind.h"
#include "lua/check_int.h"

/* --- c:run ------------------------------------------------------------------ */

/* Pushes stdout or stderr; past the cap it says how much was dropped. */
static void push_stream(lua_State *L, const char *s, size_t len, size_t dropped)
{
	if (!dropped) {
		lua_pushlstring(L, s, len);
		return;
	}
	lua_pushlstring(L, s, len);
	lua_pushfstring(L, "\n[chanlab: %I more bytes of output were dropped]\n", (lua_Integer)dropped);
	lua_concat(L, 2);
}

static void push_result(lua_State *L, const struct proc_result *r, const struct report_list *reps)
{
	char how[256];

	lua_createtable(L, 0, 16);
	lua_pushinteger(L, r->status);
	lua_setfield(L, -2, "status");
	lua_pushinteger(L, r->signal);
	lua_setfield(L, -2, "signal");
	lua_pushboolean(L, r->timed_out);
	lua_setfield(L, -2, "timed_out");
	lua_pushboolean(L, r->out_of_memory != 0);
	lua_setfield(L, -2, "out_of_memory");
	push_stream(L, r->out, r->out_len, r->out_dropped);
	lua_setfield(L, -2, "stdout");
	push_stream(L, r->err, r->err_len, r->err_dropped);
	lua_setfield(L, -2, "stderr");
	lua_pushboolean(L, r->out_truncated || r->err_truncated);
	lua_setfield(L, -2, "truncated");
	lua_pushnumber(L, r->seconds);
	lua_setfield(L, -2, "seconds");
	lua_pushnumber(L, r->cpu_seconds);
	lua_setfield(L, -2, "cpu_seconds");
	lua_pushinteger(L, r->max_rss_kb);
	lua_setfield(L, -2, "max_rss_kb");
	reports_describe_end(r, reps, how, sizeof(how));
	if (reps->n && reps->r[0].file && (r->status != 0 || r->signal))
		snprintf(how + strlen(how), sizeof(how) - strlen(how), " (%s at %s:%d)", reps->r[0].kind,
			 reps->r[0].file, reps->r[0].line);
	else if (reps->n && (r->status != 0 || r->signal))
		snprintf(how + strlen(how), sizeof(how) - strlen(how), " (%s)", reps->r[0].kind);
	check_set_str(L, "how", how);
	check_set_str(L, "note", r->note);
	lua_pushboolean(L, !r->timed_out && r->signal == 0 && r->status == 0 && !r->tmp_full);
	lua_setfield(L, -2, "ok");
	lua_pushboolean(L, r->tmp_full != 0);
	lua_setfield(L, -2, "disk_full");
	lua_createtable(L, (int)reps->n, 0);
	for (size_t i = 0; i < reps->n; i++) {
		reports_push(L, &reps->r[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "reports");
	if (reps->n) {
		reports_push(L, &reps->r[0]);
		lua_setfield(L, -2, "report");
	}
}

static void push_skipped(lua_State *L, const char *why)
{
	lua_createtable(L, 0, 8);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "ok");
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "skipped");
	check_set_str(L, "how", why);
	check_set_str(L, "stdout", "");
	check_set_str(L, "stderr", "");
	lua_pushinteger(L, -1);
	lua_setfield(L, -2, "status");
	lua_newtable(L);
	lua_setfield(L, -2, "reports");
}

/* The one way a program runs, for c:run and the harness functions. */
/* The load on this machine per CPU, as a harness's cl_time_scale reads
 * it: the larger of the last minute's average and the tasks running now
 * (this one left out), over the CPUs online. 0 if /proc cannot say. */
static double load_per_cpu(void)
{
	FILE *f = fopen("/proc/loadavg", "re");
	double avg = 0, now;
	int running = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!f)
		return 0;
	if (fscanf(f, "%lf %*f %*f %d/", &avg, &running) != 2)
		avg = 0, running = 0;
	fclose(f);
	now = running > 1 ? running - 1 : 0;
	return (avg > now ? avg : now) / (double)(cpus > 0 ? cpus : 1);
}

/* The value of the last NAME= in env (NULL-terminated), or NULL. */
static const char *env_last(const char *const *env, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;

	for (size_t i = 0; env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			v = env[i] + n + 1;
	return v;
}

/* The instruments a run with this environment uses. */
static unsigned run_instruments(const struct run_spec *s, const char *const *env)
{
	static const struct { const char *flavour; unsigned bit; } fl[] = {
		{ "normal", CHECK_INS_NORMAL }, { "debug", CHECK_INS_DEBUG },
		{ "asan", CHECK_INS_ASAN }, { "tsan", CHECK_INS_TSAN },
	};
	const char *leak = env_last(env, "CHANLAB_LEAKCHECK"), *sched = env_last(env, "CHANLAB_SCHED");
	unsigned ins = 0;

	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (strcmp(s->prog->flavour, fl[i].flavour) == 0)
			ins |= fl[i].bit;
	if (s->valgrind)
		ins |= CHECK_INS_VALGRIND;
	if (leak && strcmp(leak, "1") == 0)
		ins |= CHECK_INS_LEAKCHECK;
	if (sched && *sched)
		ins |= CHECK_INS_SCHEDULES;
	if (s->profile)
		ins |= CHECK_INS_PROFILE;
	return ins;
}

int api_run_program(lua_State *L, struct check_ctx *c, const struct run_spec *s, struct proc_result *pr)
{
	const char *const *fenv = reports_flavour_env(s->prog->flavour);
	const char *profile = s->profile;
	struct proc_opts po = PROC_OPTS_INIT;
	size_t nargs = 0, nenv = 0, nf = 0, k = 0;
	const char **argv, **env;
	char load[48], scale[48];

	check_stream(c->v);   /* what finished before this run shows while it runs */
	while (s->args && s->args[nargs])
		nargs++;
	while (s->env && s->env[nenv])
		nenv++;
	while (fenv[nf])
		nf++;
	argv = lua_newuserdatauv(L, (nargs + 8) * sizeof(*argv), 0);
	if (s->valgrind) {
		argv[k++] = "/usr/bin/valgrind";
		argv[k++] = "-q";
		argv[k++] = "--error-exitcode=99";
		argv[k++] = "--leak-check=full";
		argv[k++] = "--errors-for-leak-kinds=definite";
		/* valgrind reads the program by path: it runs a copy in the private folder */
		argv[k++] = lua_pushfstring(L, "./%s", strrchr(s->prog->path, '/') + 1);
	} else {
		argv[k++] = s->prog->path;
	}
	for (size_t i = 0; i < nargs; i++)
		argv[k++] = s->args[i];
	argv[k] = NULL;
	k = 0;
	env = lua_newuserdatauv(L, (nenv + nf + 6) * sizeof(*env), 0);
	for (size_t i = 0; i < nf; i++)
		env[k++] = fenv[i];
	if (!c->ex->policy.leakcheck)
		env[k++] = "CHANLAB_LEAKCHECK=0";   /* the exercise opted out; its script may still say 1 */
	snprintf(load, sizeof(load), "CHANLAB_LOAD=%.2f", load_per_cpu());
	env[k++] = load;
	if (c->env->timeout_scale > 1) {
		snprintf(scale, sizeof(scale), "CHANLAB_TIME_SCALE=%.2f", c->env->timeout_scale);
		env[k++] = scale;
	}
	for (size_t i = 0; i < nenv; i++)
		env[k++] = s->env[i];
	/* chanlab profile: every run of the learner's own code takes a profile */
	if (!profile && c->env->profile_all && s->prog->role == ROLE_LEARNER && !*s->prog->label &&
	    !s->valgrind && (strcmp(s->prog->flavour, "normal") == 0 || strcmp(s->prog->flavour, "debug") == 0))
		profile = c->env->profile_all;
	if (profile)
		env[k++] = api_profile_env(profile);
	env[k] = NULL;
	c->v->instruments |= run_instruments(s, env) | (profile ? CHECK_INS_PROFILE : 0);
	po.argv = argv;
	po.env = env;
	po.sandbox = true;
	po.timeout = s->timeout * (c->env->timeout_scale > 1 ? c->env->timeout_scale : 1);
	po.cpu = s->cpu;
	po.nproc = s->nproc;
	po.tmp_size = s->disk;
	po.stdin_data = s->stdin_data;
	po.stdin_len = s->stdin_len;
	po.output_cap = s->output_cap;
	po.pass_fd = s->pass_fd;
	po.share_file = s->valgrind ? s->prog->path : NULL;
	po.leak_check = strcmp(s->prog->flavour, "asan") == 0;   /* LeakSanitizer stops its threads */
	po.fetch = profile ? api_profile_file(profile) : s->fetch;
	po.mem = s->mem;
	/* Sanitizers reserve terabytes of address space: no backstop on it. */
	po.reserves = strcmp(s->prog->flavour, "asan") == 0 || strcmp(s->prog->flavour, "tsan") == 0;
	if (strcmp(s->prog->flavour, "tsan") == 0)
		po.oom_note = "under ThreadSanitizer a goroutine costs about 850 KB";
	if (proc_run(pr, &po) < 0)
		return -1;
	if (profile)
		api_profile_keep(c, s->prog, profile, pr);
	if (c->env->on_run && s->what && s->prog->role == ROLE_LEARNER && !*s->prog->label)
		c->env->on_run(s->what, pr, c->env->on_run_arg);
	lua_pop(L, 2 + s->valgrind);
	if (*pr->note)
		c->note = pr->note;
	return 0;
}

/* c:run(program, { args = {...}, stdin = "...", env = { "K=V" }, timeout = 5,
 *                  cpu = 5, memory = 1024, processes = 256, output = 1048576,
 *                  disk = 128, valgrind = false, profile = "cpu"|"trace",
 *                  schedules = 0, strategy = "pct", depth = 3 })
 * Runs a built program, sandboxed, and returns a table: ok, status, signal,
 * timed_out, out_of_memory, disk_full, stdout, stderr, truncated, seconds, cpu_seconds, max_rss_kb,
 * how (a sentence), note, reports (parsed sanitizer and runtime reports),
 * report (the first one, or nil) and, with profile, the profile or the
 * trace's facts (see lua/api_profile.c), or profile_error. */
static int api_run(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	struct run_spec s = RUN_SPEC_INIT;
	struct report_list reps = REPORT_LIST_INIT;
	struct proc_result pr;
	size_t len = 0, nenv = 0;
	double disk;
	int schedules = 0, depth = 3;
	const char *strategy = "pct", **env, *empty = NULL;
	char spec[64] = "", sched_env[96];
	bool sanitized = false;

	if (lua_isnil(L, 2)) {
		push_skipped(L, "was not run: it did not build");
		return 1;
	}
	s.prog = luaL_checkudata(L, 2, PROGRAM_META);
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		s.valgrind = check_opt_bool(L, 3, "valgrind");
		sanitized = strcmp(s.prog->flavour, "asan") == 0 || strcmp(s.prog->flavour, "tsan") == 0;
		/* verify's sanitizer passes build everything sanitized: the
		 * sanitizer watches the run in valgrind's place */
		if (s.valgrind && sanitized && c->env->flavour)
			s.valgrind = false;
		if (s.valgrind && sanitized)
			return luaL_error(L, "valgrind runs only programs of the normal or debug flavour");
		if (s.valgrind && access("/usr/bin/valgrind", X_OK) < 0)
			return luaL_error(L, "valgrind is not installed (/usr/bin/valgrind)");
		s.args = check_opt_strv(L, 3, "args");
		if (c->env->run_args && s.prog->role == ROLE_LEARNER && !*s.prog->label && !s.prog->harness)
			s.args = c->env->run_args;
		s.env = check_opt_strv(L, 3, "env");
		if (lua_getfield(L, 3, "stdin") != LUA_TNIL)
			s.stdin_data = luaL_checklstring(L, -1, &len);
		s.stdin_len = len;
		lua_pop(L, 1);   /* the string stays alive in the table */
		s.timeout = check_opt_num(L, 3, "timeout", 5);
		s.mem = (size_t)check_opt_num(L, 3, "memory", 2048) << 20;
		s.output_cap = (size_t)check_opt_num(L, 3, "output", 1u << 20);
		s.cpu = check_opt_num(L, 3, "cpu", 0);
		s.nproc = (unsigned)check_opt_num(L, 3, "processes", 0);
		disk = check_opt_num(L, 3, "disk", PROC_TMP_SIZE >> 20);
		luaL_argcheck(L, disk >= 1 && disk <= 1024, 3, "disk must be 1 to 1024 MiB");
		s.disk = (size_t)disk << 20;
		luaL_argcheck(L, s.cpu >= 0 && s.cpu <= 300, 3, "cpu must be 0 to 300 seconds");
		luaL_argcheck(L, s.nproc <= 4096, 3, "processes must be at most 4096");
		luaL_argcheck(L, s.timeout > 0 && s.timeout <= 300, 3, "timeout must be 0 < t <= 300 seconds");
		luaL_argcheck(L, s.output_cap >= 1024 && s.output_cap <= (64u << 20), 3, "output must be 1 KiB to 64 MiB");
		s.profile = check_opt_str(L, 3, "profile", NULL);
		if (s.profile && !api_profile_file(s.profile))
			return luaL_error(L, "unknown profile '%s' (cpu, block, mutex, alloc, trace)", s.profile);
		if (s.profile && sanitized && c->env->flavour) {
			empty = s.profile;      /* verify's sanitizer pass: the run, and an empty profile */
			s.profile = NULL;
		}
		if (s.profile && (s.valgrind || sanitized))
			return luaL_error(L, "a profile needs a program of the normal or debug flavour, not under valgrind");
		schedules = (int)check_opt_num(L, 3, "schedules", 0);
		strategy = check_opt_str(L, 3, "strategy", "pct");
		depth = (int)check_opt_num(L, 3, "depth", 3);
		luaL_argcheck(L, schedules >= 0 && schedules <= 10000, 3, "schedules must be 0 to 10000");
		luaL_argcheck(L, strcmp(strategy, "pct") == 0 || strcmp(strategy, "random") == 0, 3,
			      "strategy is \"pct\" or \"random\"");
		luaL_argcheck(L, depth >= 1 && depth <= 16, 3, "depth must be 1 to 16");
		if (schedules && strcmp(s.prog->flavour, "tsan") == 0)
			schedules = 0;   /* as c:run_tests: TSan watches real threads */
	}
	s.what = "your program";
	if (schedules) {        /* the script's environment and a slot for CHANLAB_SCHED */
		while (s.env && s.env[nenv])
			nenv++;
		env = lua_newuserdatauv(L, (nenv + 2) * sizeof(*env), 0);
		for (size_t i = 0; i < nenv; i++)
			env[i] = s.env[i];
		env[nenv] = sched_env;
		env[nenv + 1] = NULL;
		s.env = env;
	}
	/* With schedules = N, a run per schedule (seeds 1..N) until one fails:
	 * the result is that run's, with the schedule, else the last one's. */
	for (int seed = 1;; seed++) {
		if (schedules) {
			if (strcmp(strategy, "pct") == 0)
				snprintf(spec, sizeof(spec), "pct:%d:%d", seed, depth);
			else
				snprintf(spec, sizeof(spec), "random:%d", seed);
			snprintf(sched_env, sizeof(sched_env), "CHANLAB_SCHED=%s", spec);
		}
		if (api_run_program(L, c, &s, &pr) < 0)
			return luaL_error(L, "%s", err_msg());
		if (!schedules || seed >= schedules || pr.status != 0 || pr.signal || pr.timed_out)
			break;
		proc_result_release(&pr);
	}
	reports_parse(c, &reps, &pr);
	push_result(L, &pr, &reps);
	if (schedules && (pr.status != 0 || pr.signal || pr.timed_out)) {
		lua_pushstring(L, spec);
		lua_setfield(L, -2, "schedule");
	}
	if (s.profile)
		api_profile_result(L, s.profile, &pr);
	else if (empty)
		api_profile_empty(L, empty);
	report_list_release(&reps);
	proc_result_release(&pr);
	return 1;
}

/* c:run, told to the front end as a pass in its program's flavour while
 * it runs ("normal", "ASan"). */
static int api_run_pass(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const struct program *prog = lua_isuserdata(L, 2) ? luaL_checkudata(L, 2, PROGRAM_META) : NULL;

	if (prog)
		check_pass_event(c->v, prog->flavour, true);
	lua_pushcfunction(L, api_run);
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	if (prog)
		check_pass_event(c->v, prog->flavour, false);
	return 1;
}

const luaL_Reg api_run_lib[] = {
	{ "run", api_run_pass },
	{ NULL, NULL },
};
