/*
 * check — the entry point of the author API, the context a script gets, and
 * the verdict with its JSON; see check.h, check_int.h and docs/authoring.md.
 *
 * Data model: check_run gives each check a fresh sandboxed Lua state and
 * one struct check_ctx on its own stack, reachable from Lua as the userdata
 * `c` passed to the script's check function. The metatable's __index holds
 * the author functions, gathered from one table per job (lua/api_*.c).
 * Programs built by c:build are userdata too (struct program), so a script
 * can only run what chanlab compiled. Tests and benchmarks accumulate in
 * ctx->v as the script declares them; the verdict owns their strings, and
 * its status is decided here once the script returns. Every C resource an
 * API function needs while it may raise is anchored in Lua (userdata or
 * strings on the stack); the rest is taken and released between calls that
 * cannot raise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "checker/build.h"
#include "lua/check_int.h"
#include "lua/sandbox.h"

/* --- the context and its options -------------------------------------------- */

struct check_ctx *check_ctx_of(lua_State *L)
{
	struct check_ctx *c = *(struct check_ctx **)luaL_checkudata(L, 1, CTX_META);

	check_enough(L, c);
	return c;
}

bool check_said_enough(struct check_ctx *c)
{
	struct check_verdict *v = c->v;
	bool failed = false;

	for (size_t i = 0; !v->stopped && v->enough && i < v->ntests && !failed; i++)
		failed = v->tests[i].status == CHECK_FAIL;
	if (failed)
		v->stopped = v->enough(v, v->enough_arg);
	return v->stopped;
}

void check_enough(lua_State *L, struct check_ctx *c)
{
	if (check_said_enough(c))
		sandbox_stop(L, "its verdict says enough");
}

const char **check_opt_strv(lua_State *L, int idx, const char *key)
{
	const char **v;
	lua_Integer n;

	if (lua_getfield(L, idx, key) == LUA_TNIL) {
		lua_pop(L, 1);
		return NULL;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "'%s' must be a list of strings", key);
	n = luaL_len(L, -1);
	/* Anchored in Lua as a userdata, so a later error cannot leak it. */
	v = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof(*v), 0);
	lua_insert(L, -2);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_geti(L, -1, i) != LUA_TSTRING)
			luaL_error(L, "'%s' must be a list of strings", key);
		v[i - 1] = lua_tostring(L, -1);
		lua_pop(L, 1);   /* the string stays alive in the table */
	}
	v[n] = NULL;
	lua_pop(L, 1);   /* the table: kept alive by the caller's argument */
	return v;
}

const char *check_opt_str(lua_State *L, int idx, const char *key, const char *def)
{
	const char *s = def;

	if (lua_getfield(L, idx, key) != LUA_TNIL) {
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "'%s' must be a string", key);
		s = lua_tostring(L, -1);
	}
	lua_pop(L, 1);   /* the string stays alive in the table */
	return s;
}

double check_opt_num(lua_State *L, int idx, const char *key, double def)
{
	double d = def;

	if (lua_getfield(L, idx, key) != LUA_TNIL) {
		if (!lua_isnumber(L, -1))
			luaL_error(L, "'%s' must be a number", key);
		d = lua_tonumber(L, -1);
	}
	lua_pop(L, 1);
	return d;
}

bool check_opt_bool(lua_State *L, int idx, const char *key)
{
	bool b;

	lua_getfield(L, idx, key);
	b = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return b;
}

void check_rel(lua_State *L, const char *what, const char *name)
{
	if (!*name || name[0] == '/' || strstr(name, ".."))
		luaL_error(L, "%s '%s' must be a path inside the exercise folder", what, name);
}

void check_set_str(lua_State *L, const char *key, const char *s)
{
	lua_pushstring(L, s ? s : "");
	lua_setfield(L, -2, key);
}

/* --- the verdict ------------------------------------------------------------ */

void check_stream(struct check_verdict *v)
{
	for (; v->on_test && v->streamed < v->ntests; v->streamed++)
		v->on_test(&v->tests[v->streamed], v->on_test_arg);
}

void check_pass_event(struct check_verdict *v, const char *flavour, bool running)
{
	const struct build_flavour *f = build_flavour_find(flavour);
	const char *name = f && f->label ? f->label : flavour;

	if (!v->on_pass)
		return;
	if (!running)
		check_stream(v);   /* its tests before it is said to be done */
	v->on_pass(name, running, v->on_test_arg);
}

struct check_test *check_add_testn(struct check_verdict *v, const char *name, enum check_status st,
				   const char *message, const char *output, size_t output_len, double seconds)
{
	struct check_test *t;

	check_stream(v);   /* the tests before this one are complete now */
	if (!(t = realloc(v->tests, (v->ntests + 1) * sizeof(*t))))
		return NULL;
	v->tests = t;
	t = &v->tests[v->ntests++];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->status = st;
	if ((t->message = strdup(message ? message : "")))
		t->message[check_paths_shorten(v, t->message, strlen(t->message))] = '\0';
	if (!output)
		output = "", output_len = 0;
	if ((t->output = malloc(output_len + 1))) {
		memcpy(t->output, output, output_len);
		t->output_len = check_paths_shorten(v, t->output, output_len);
		t->output[t->output_len] = '\0';
	}
	t->seconds = seconds;
	return t;
}

struct check_test *check_add_test(struct check_verdict *v, const char *name, enum check_status st,
				  const char *message, const char *output, double seconds)
{
	return check_add_testn(v, name, st, message, output, output ? strlen(output) : 0, seconds);
}

struct check_test *check_add_not_run(struct check_ctx *c, const char *name)
{
	char why[160];

	snprintf(why, sizeof(why), "not run: %s failed", c->failed_build[0] ? c->failed_build : "the build");
	return check_add_test(c->v, name, CHECK_SKIP, why, "", 0);
}

/* --- the entry point -------------------------------------------------------- */

/* The author API, by job: c:build, c:run; c:file, c:source; c:test, c:same,
 * c:skip, c:clean; c:run_tests; c:bench; c:profile. */
static const luaL_Reg *const api[] = {
	api_build_lib, api_run_lib, api_files_lib, api_test_lib, api_harness_lib, api_bench_lib, api_profile_lib, NULL,
};

static int push_ctx(lua_State *L, struct check_ctx *c)
{
	*(struct check_ctx **)lua_newuserdatauv(L, sizeof(c), 0) = c;
	if (luaL_newmetatable(L, CTX_META)) {
		lua_newtable(L);
		for (size_t i = 0; api[i]; i++)
			luaL_setfuncs(L, api[i], 0);
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

/* The folders a learner should not see in what the tests show: where
 * chanlab builds (and the folder of each build after it), keeps the
 * harness header and the runtime's, and the pack's exercise folder. */
static void set_paths(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env)
{
	const char *dirs[] = { env->builddir, env->harness_include, env->rt_include, ex->dir, env->workdir };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && n < CHECK_NPATHS; i++) {
		size_t len = dirs[i] ? strlen(dirs[i]) : 0;

		if (len < 2 || !(v->paths[n] = malloc(len + 3)))
			continue;
		snprintf(v->paths[n++], len + 3, "%s/%s", dirs[i], i == 0 ? "*" : "");
	}
}

int check_run(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env)
{
	struct sandbox_limits lim = SANDBOX_LIMITS_INIT;
	struct check_ctx c = { .ex = ex, .env = env, .v = v };
	double start = clock_now();
	lua_State *L;
	int t;

	memset(v, 0, sizeof(*v));
	v->note = strdup("");
	v->on_test = env->on_test;
	v->on_pass = env->on_pass;
	v->on_test_arg = env->on_test_arg;
	v->enough = env->enough;
	v->enough_arg = env->enough_arg;
	set_paths(v, ex, env);
	if (ex->error) {
		v->status = CHECK_ERROR;
		v->message = strdup(ex->error);
		return 0;
	}
	lim.seconds = 300;   /* the programs it runs have their own limits */
	lim.steps = 50000;   /* 50 million instructions: a check script mostly waits for programs */
	L = sandbox_new(&lim);
	if (!L)
		return -1;
	if (sandbox_load(L, ex->script) < 0 || sandbox_call(L, 0, 1) < 0) {
		v->status = CHECK_ERROR;
		v->message = strdup(err_msg());
		goto out;
	}
	t = lua_istable(L, -1) ? sandbox_field(L, -1, "check") : LUA_TNIL;   /* its __index may run */
	if (t != LUA_TFUNCTION) {
		v->status = CHECK_ERROR;
		v->message = strdup(t < 0 ? err_msg() : "the exercise script has no check function");
		goto out;
	}
	push_ctx(L, &c);
	if (sandbox_call(L, 1, 0) < 0 && !v->stopped) {
		v->status = CHECK_ERROR;
		v->message = strdup(err_msg());
		goto out;
	}
	v->status = v->ntests ? CHECK_PASS : CHECK_FAIL;
	for (size_t i = 0; i < v->ntests; i++)
		if (v->tests[i].status != CHECK_PASS)
			v->status = CHECK_FAIL;
	v->message = strdup(v->ntests ? "" : "the check script declared no tests");
out:
	if (c.note) {
		free(v->note);
		v->note = strdup(c.note);
	}
	v->seconds = clock_now() - start;
	sandbox_free(L);
	return 0;
}

/* --- releasing and writing the verdict -------------------------------------- */

static void report_free(struct check_report *r)
{
	if (!r)
		return;
	free(r->kind), free(r->tool), free(r->file), free(r->function), free(r->explain);
	free(r->goroutines);
	free(r);
}

void check_verdict_release(struct check_verdict *v)
{
	for (size_t i = 0; i < v->ntests; i++) {
		free(v->tests[i].name);
		free(v->tests[i].message);
		free(v->tests[i].output);
		free(v->tests[i].hint_on);
		free(v->tests[i].interleaving);
		report_free(v->tests[i].report);
	}
	for (size_t i = 0; i < v->nbenches; i++)
		free(v->benches[i].name), free(v->benches[i].baseline);
	free(v->benches);
	free(v->tests);
	for (size_t i = 0; i < CHECK_NPATHS; i++)
		free(v->paths[i]);
	free(v->message);
	free(v->note);
	memset(v, 0, sizeof(*v));
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = { "pass", "fail", "skip", "error" };

	return names[s];
}

const char *check_instrument_name(unsigned bit)
{
	static const char *const names[] = {
		"normal", "debug", "asan", "tsan", "valgrind", "leakcheck", "schedules", "profile", "bench",
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

static void json_opt_str(struct buf *b, const char *key, const char *s)
{
	buf_printf(b, ",\"%s\":", key);
	if (s)
		buf_json_str(b, s);
	else
		buf_puts(b, "null");
}

/* One test of a verdict as a JSON object (docs/results.md, tests[]). */
static void test_json(struct buf *b, const struct check_test *t)
{
	buf_puts(b, "{\"name\":");
	buf_json_str(b, t->name);
	buf_printf(b, ",\"status\":\"%s\",\"message\":", check_status_name(t->status));
	buf_json_str(b, t->message);
	buf_puts(b, ",\"output\":");
	buf_json_strn(b, t->output ? t->output : "", t->output_len);
	buf_printf(b, ",\"seconds\":%.3f", t->seconds);
	json_opt_str(b, "hint_on", t->hint_on);
	buf_puts(b, ",\"report\":");
	if (t->report) {
		buf_puts(b, "{\"kind\":");
		buf_json_str(b, t->report->kind);
		json_opt_str(b, "tool", t->report->tool);
		json_opt_str(b, "file", t->report->file);
		buf_printf(b, ",\"line\":%d", t->report->line);
		json_opt_str(b, "function", t->report->function);
		json_opt_str(b, "explain", t->report->explain);
		if (t->report->goroutines)   /* checker/report.c made it, valid JSON */
			buf_printf(b, ",\"goroutines\":%s", t->report->goroutines);
		buf_puts(b, "}");
	} else {
		buf_puts(b, "null");
	}
	if (t->interleaving)   /* lua/api_interleave.c made it, valid JSON */
		buf_printf(b, ",\"interleaving\":%s", t->interleaving);
	buf_puts(b, "}");
}

char *check_test_json(const struct check_test *t)
{
	struct buf b = BUF_INIT;

	test_json(&b, t);
	return b.oom ? (buf_release(&b), NULL) : buf_detach(&b);
}

char *check_verdict_json(const struct check_verdict *v, const char *id)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "{\"version\":2,\"exercise\":");
	buf_json_str(&b, id);
	buf_printf(&b, ",\"status\":\"%s\",\"message\":", check_status_name(v->status));
	buf_json_str(&b, v->message ? v->message : "");
	buf_puts(&b, ",\"note\":");
	buf_json_str(&b, v->note ? v->note : "");
	buf_printf(&b, ",\"seconds\":%.3f,\"tests\":[", v->seconds);
	for (size_t i = 0; i < v->ntests; i++) {
		if (i)
			buf_puts(&b, ",");
		test_json(&b, &v->tests[i]);
	}
	buf_puts(&b, "],\"instruments\":[");
	for (unsigned bit = 1, n = 0; bit & CHECK_INS_ALL; bit <<= 1)
		if (v->instruments & bit)
			buf_printf(&b, "%s\"%s\"", n++ ? "," : "", check_instrument_name(bit));
	buf_puts(&b, "],\"benchmarks\":[");
	for (size_t i = 0; i < v->nbenches; i++) {
		const struct check_bench *k = &v->benches[i];

		buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(&b, k->name);
		buf_printf(&b, ",\"n\":%ld,\"runs\":%d,\"ns_per_op\":%.2f,\"cpu_ns_per_op\":%.2f,\"bytes_per_op\":%.1f,"
			   "\"allocs_per_op\":%.2f,\"reference\":{\"ns_per_op\":%.2f,\"cpu_ns_per_op\":%.2f,"
			   "\"bytes_per_op\":%.1f,\"allocs_per_op\":%.2f},\"clock\":\"%s\",\"ratio\":%.4f,\"ratio_ci95\":[%.4f,%.4f],\"budget\":%.3f,\"p_value\":%.4f,\"inconclusive\":%s,"
			   "\"passed\":%s,\"baseline\":",
			   k->n, k->runs, k->ns_op, k->cpu_ns_op, k->bytes_op, k->allocs_op, k->ref_ns_op,
			   k->ref_cpu_ns_op, k->ref_bytes_op, k->ref_allocs_op, k->cpu ? "cpu" : "wall", k->ratio, k->lo, k->hi, k->budget, k->p, k->inconclusive ? "true" : "false",
			   k->passed ? "true" : "false");
		buf_json_str(&b, k->baseline ? k->baseline : "reference");
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}");
	if (b.oom) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
