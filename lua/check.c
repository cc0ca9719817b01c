/*
 * check — the author API and the verdict; see check.h.
 *
 * Data model: one struct check_ctx per check, reachable from Lua as the
 * userdata `c` passed to the script's check function. Programs built by
 * c:build are userdata too (struct program), so a script can only run what
 * chanlab compiled. Tests accumulate in ctx->v as the script declares them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "checker/buf.h"
#include "checker/build.h"
#include "checker/err.h"
#include "checker/fs.h"
#include "checker/proc.h"
#include "lua/check.h"
#include "lua/sandbox.h"

#define CTX_META "chanlab.check"
#define PROGRAM_META "chanlab.program"

struct check_ctx {
	const struct pack_exercise *ex;
	const struct check_env *env;
	struct check_verdict *v;
	int nbuilds;
};

struct program {
	char path[4096];
	char flavour[16];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_test(struct check_verdict *v, const char *name, enum check_status st,
		    const char *message, const char *output, double seconds)
{
	struct check_test *t = realloc(v->tests, (v->ntests + 1) * sizeof(*t));

	if (!t)
		return err_set("out of memory");
	v->tests = t;
	t = &v->tests[v->ntests++];
	t->name = strdup(name);
	t->status = st;
	t->message = strdup(message ? message : "");
	t->output = strdup(output ? output : "");
	t->seconds = seconds;
	return 0;
}

static struct check_ctx *ctx_of(lua_State *L)
{
	return *(struct check_ctx **)luaL_checkudata(L, 1, CTX_META);
}

/* Reads an optional list of strings from field key of the table at idx. */
static const char **opt_strv(lua_State *L, int idx, const char *key)
{
	const char **v;
	lua_Integer n;

	if (lua_getfield(L, idx, key) == LUA_TNIL) {
		lua_pop(L, 1);
		return NULL;
	}
	luaL_argexpected(L, lua_istable(L, -1), idx, "a list of strings");
	n = luaL_len(L, -1);
	/* Anchored in Lua as a userdata, so a later error cannot leak it. */
	v = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof(*v), 0);
	lua_insert(L, -2);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, -1, i);
		v[i - 1] = luaL_checkstring(L, -1);
		lua_pop(L, 1);   /* the string stays alive in the table */
	}
	v[n] = NULL;
	lua_pop(L, 1);   /* the table: kept alive by the caller's argument */
	return v;
}

/* c:build{ flavour = "normal", extra = { "harness.c" } }
 * Compiles the learner's files (and instructor files named in extra, read
 * from the pack) against the runtime. Returns a program, or nil and records
 * a failing "build" test with the compiler's messages. */
static int api_build(lua_State *L)
{
	struct check_ctx *c = ctx_of(L);
	struct build_opts bo = BUILD_OPTS_INIT;
	struct build_result br;
	const char **extra = NULL, **sources;
	size_t nfiles = 0, nextra = 0, n = 0;
	struct program *prog;
	char dir[2048], name[64];

	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		if (lua_getfield(L, 2, "flavour") != LUA_TNIL)
			bo.flavour = luaL_checkstring(L, -1);
		lua_pop(L, 1);
		extra = opt_strv(L, 2, "extra");
	}
	if (!build_flavour_find(bo.flavour))
		return luaL_error(L, "unknown build flavour '%s' (normal, debug, asan, tsan)", bo.flavour);
	while (c->ex->files[nfiles])
		nfiles++;
	while (extra && extra[nextra])
		nextra++;
	sources = lua_newuserdatauv(L, (nfiles + nextra + 1) * sizeof(*sources), 0);
	for (size_t i = 0; i < nfiles; i++)
		if (strstr(c->ex->files[i], ".c"))
			sources[n++] = c->ex->files[i];   /* relative: messages name the learner's file */
	for (size_t i = 0; i < nextra; i++) {
		if (strstr(extra[i], "..") || extra[i][0] == '/')
			return luaL_error(L, "extra file '%s' must be a path inside the exercise folder", extra[i]);
		lua_pushfstring(L, "%s/%s", c->ex->dir, extra[i]);
		sources[n++] = lua_tostring(L, -1);   /* anchored on the stack */
	}
	sources[n] = NULL;

	snprintf(dir, sizeof(dir), "%s/%s", c->env->builddir, bo.flavour);
	if (fs_mkdirs(dir) < 0)
		return luaL_error(L, "%s", err_msg());
	snprintf(name, sizeof(name), "prog%d", ++c->nbuilds);
	prog = lua_newuserdatauv(L, sizeof(*prog), 0);
	snprintf(prog->path, sizeof(prog->path), "%s/%s", dir, name);
	snprintf(prog->flavour, sizeof(prog->flavour), "%s", bo.flavour);
	luaL_setmetatable(L, PROGRAM_META);

	bo.sources = sources;
	bo.includes = (const char *const[]){ c->ex->dir, NULL };
	bo.rt_include = c->env->rt_include;
	bo.rt_libdir = c->env->rt_libdir;
	bo.output = prog->path;
	bo.cwd = c->env->workdir;
	if (build_run(&br, &bo) < 0)
		return luaL_error(L, "%s", err_msg());
	if (!br.ok) {
		char test[64];

		snprintf(test, sizeof(test), "build (%s)", bo.flavour);
		add_test(c->v, test, CHECK_FAIL, "your code does not compile: fix the first error below", br.log, br.seconds);
		build_result_release(&br);
		lua_pushnil(L);
		return 1;
	}
	{
		char test[64];

		snprintf(test, sizeof(test), "build (%s)", bo.flavour);
		add_test(c->v, test, CHECK_PASS, "", "", br.seconds);
	}
	build_result_release(&br);
	return 1;
}

static void push_result(lua_State *L, const struct proc_result *r)
{
	char how[128];

	lua_createtable(L, 0, 10);
	lua_pushinteger(L, r->status);
	lua_setfield(L, -2, "status");
	lua_pushinteger(L, r->signal);
	lua_setfield(L, -2, "signal");
	lua_pushboolean(L, r->timed_out);
	lua_setfield(L, -2, "timed_out");
	lua_pushlstring(L, r->out, r->out_len);
	lua_setfield(L, -2, "stdout");
	lua_pushlstring(L, r->err, r->err_len);
	lua_setfield(L, -2, "stderr");
	lua_pushboolean(L, r->out_truncated || r->err_truncated);
	lua_setfield(L, -2, "truncated");
	lua_pushnumber(L, r->seconds);
	lua_setfield(L, -2, "seconds");
	lua_pushinteger(L, r->max_rss_kb);
	lua_setfield(L, -2, "max_rss_kb");
	lua_pushstring(L, proc_describe(r, how, sizeof(how)));
	lua_setfield(L, -2, "how");
	lua_pushboolean(L, !r->timed_out && r->signal == 0 && r->status == 0);
	lua_setfield(L, -2, "ok");
}

/* c:run(program, { args = {...}, stdin = "...", timeout = 2 })
 * Runs a built program in the learner's folder with limits and returns a
 * table: ok, status, signal, timed_out, stdout, stderr, truncated, seconds,
 * max_rss_kb, how (a sentence: "exited with status 1"). */
static int api_run(lua_State *L)
{
	struct check_ctx *c = ctx_of(L);
	struct program *prog = luaL_checkudata(L, 2, PROGRAM_META);
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;
	const char **args = NULL, **argv;
	size_t nargs = 0, len = 0;

	po.timeout = 5;
	po.mem = 1u << 30;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		args = opt_strv(L, 3, "args");
		if (lua_getfield(L, 3, "stdin") != LUA_TNIL)
			po.stdin_data = luaL_checklstring(L, -1, &len);
		po.stdin_len = len;
		lua_pop(L, 1);   /* the string stays alive in the table */
		if (lua_getfield(L, 3, "timeout") != LUA_TNIL)
			po.timeout = luaL_checknumber(L, -1);
		lua_pop(L, 1);
		luaL_argcheck(L, po.timeout > 0 && po.timeout <= 300, 3, "timeout must be 0 < t <= 300 seconds");
	}
	if (strcmp(prog->flavour, "asan") == 0 || strcmp(prog->flavour, "tsan") == 0)
		po.mem = 0;   /* sanitizers reserve terabytes of address space */
	while (args && args[nargs])
		nargs++;
	argv = lua_newuserdatauv(L, (nargs + 2) * sizeof(*argv), 0);
	argv[0] = prog->path;
	for (size_t i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	argv[nargs + 1] = NULL;
	po.argv = argv;
	po.cwd = c->env->workdir;
	if (proc_run(&pr, &po) < 0)
		return luaL_error(L, "%s", err_msg());
	push_result(L, &pr);
	proc_result_release(&pr);
	return 1;
}

/* c:test(name, ok, message [, output])
 * Declares a test: passed when ok is true; message says why it failed. */
static int api_test(lua_State *L)
{
	struct check_ctx *c = ctx_of(L);
	const char *name = luaL_checkstring(L, 2);
	bool ok = lua_toboolean(L, 3);
	const char *msg = luaL_optstring(L, 4, "");
	const char *out = luaL_optstring(L, 5, "");

	if (add_test(c->v, name, ok ? CHECK_PASS : CHECK_FAIL, ok ? "" : msg, ok ? "" : out, 0) < 0)
		return luaL_error(L, "%s", err_msg());
	lua_pushboolean(L, ok);
	return 1;
}

static const luaL_Reg api[] = {
	{ "build", api_build },
	{ "run", api_run },
	{ "test", api_test },
	{ NULL, NULL },
};

static int push_ctx(lua_State *L, struct check_ctx *c)
{
	*(struct check_ctx **)lua_newuserdatauv(L, sizeof(c), 0) = c;
	if (luaL_newmetatable(L, CTX_META)) {
		luaL_newlib(L, api);
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "chanlab check");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
	if (luaL_newmetatable(L, PROGRAM_META)) {
		lua_pushliteral(L, "chanlab program");
		lua_setfield(L, -2, "__metatable");
	}
	lua_pop(L, 1);
	return 0;
}

int check_run(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env)
{
	struct sandbox_limits lim = SANDBOX_LIMITS_INIT;
	struct check_ctx c = { .ex = ex, .env = env, .v = v };
	double start = now();
	lua_State *L;

	memset(v, 0, sizeof(*v));
	if (ex->error) {
		v->status = CHECK_ERROR;
		v->message = strdup(ex->error);
		return 0;
	}
	lim.seconds = 300;   /* the programs it runs have their own limits */
	L = sandbox_new(&lim);
	if (!L)
		return -1;
	if (sandbox_load(L, ex->script) < 0 || sandbox_call(L, 0, 1) < 0 ||
	    lua_getfield(L, -1, "check") != LUA_TFUNCTION) {
		v->status = CHECK_ERROR;
		v->message = strdup(err_msg());
		goto out;
	}
	push_ctx(L, &c);
	if (sandbox_call(L, 1, 0) < 0) {
		v->status = CHECK_ERROR;
		v->message = strdup(err_msg());
		goto out;
	}
	v->status = v->ntests ? CHECK_PASS : CHECK_FAIL;
	for (size_t i = 0; i < v->ntests; i++)
		if (v->tests[i].status == CHECK_FAIL || v->tests[i].status == CHECK_ERROR)
			v->status = CHECK_FAIL;
	v->message = strdup(v->ntests ? "" : "the check script declared no tests");
out:
	v->seconds = now() - start;
	sandbox_free(L);
	return 0;
}

void check_verdict_release(struct check_verdict *v)
{
	for (size_t i = 0; i < v->ntests; i++) {
		free(v->tests[i].name);
		free(v->tests[i].message);
		free(v->tests[i].output);
	}
	free(v->tests);
	free(v->message);
	memset(v, 0, sizeof(*v));
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = { "pass", "fail", "skip", "error" };

	return names[s];
}

char *check_verdict_json(const struct check_verdict *v, const char *id)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "{\"version\":1,\"exercise\":");
	buf_json_str(&b, id);
	buf_printf(&b, ",\"status\":\"%s\",\"message\":", check_status_name(v->status));
	buf_json_str(&b, v->message ? v->message : "");
	buf_printf(&b, ",\"seconds\":%.3f,\"tests\":[", v->seconds);
	for (size_t i = 0; i < v->ntests; i++) {
		const struct check_test *t = &v->tests[i];

		buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(&b, t->name);
		buf_printf(&b, ",\"status\":\"%s\",\"message\":", check_status_name(t->status));
		buf_json_str(&b, t->message);
		buf_puts(&b, ",\"output\":");
		buf_json_str(&b, t->output);
		buf_printf(&b, ",\"seconds\":%.3f}", t->seconds);
	}
	buf_puts(&b, "]}");
	if (b.oom) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
