/*
 * check — the author API and the verdict; see check.h and docs/authoring.md.
 *
 * Data model: one struct check_ctx per check, reachable from Lua as the
 * userdata `c` passed to the script's check function. Programs built by
 * c:build are userdata too (struct program), so a script can only run what
 * chanlab compiled. Tests and benchmarks accumulate in ctx->v as the script
 * declares them. Every C resource an API function needs while it may raise
 * is anchored in Lua (userdata or strings on the stack); the rest is taken
 * and released between calls that cannot raise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/clock.h"
#include "base/str.h"
#include "checker/bench.h"
#include "base/buf.h"
#include "checker/build.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/proc.h"
#include "checker/report.h"
#include "lua/check_int.h"
#include "lua/sandbox.h"

struct check_test *check_add_test(struct check_verdict *v, const char *name, enum check_status st,
				   const char *message, const char *output, double seconds)
{
	struct check_test *t = realloc(v->tests, (v->ntests + 1) * sizeof(*t));

	if (!t)
		return NULL;
	v->tests = t;
	t = &v->tests[v->ntests++];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->status = st;
	t->message = strdup(message ? message : "");
	t->output = strdup(output ? output : "");
	t->seconds = seconds;
	return t;
}

/* Declares name skipped because a build before it failed:
 * "not run: build (asan) failed". */
struct check_test *check_add_not_run(struct check_ctx *c, const char *name)
{
	char why[128];

	snprintf(why, sizeof(why), "not run: %s failed", c->failed_build[0] ? c->failed_build : "the build");
	return check_add_test(c->v, name, CHECK_SKIP, why, "", 0);
}

struct check_ctx *check_ctx_of(lua_State *L)
{
	return *(struct check_ctx **)luaL_checkudata(L, 1, CTX_META);
}

/* Reads an optional list of strings from field key of the table at idx. */
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

/* A name inside the exercise folder: no absolute paths, no "..". */
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

struct bench_run {
	long n;
	double ns, allocs, bytes;
};

/* One run of benchmark name with n iterations. 0, or -1 with *why set. */
static int bench_once(lua_State *L, struct check_ctx *c, const struct program *prog, const char *name,
		      long n, double timeout, struct bench_run *out, char *why, size_t whysize)
{
	struct run_spec s = RUN_SPEC_INIT;
	char nbuf[32], want[300];
	const char *args[] = { "--bench", name, nbuf, NULL };
	struct buf lines = BUF_INIT;
	struct proc_result pr;
	const char *p;
	int rc = -1;

	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	s.prog = prog;
	s.args = args;
	s.timeout = timeout;
	s.output_cap = 64u << 10;
	if (api_harness_run(L, c, &s, &pr, &lines) < 0) {
		snprintf(why, whysize, "%s", err_msg());
		buf_release(&lines);
		return -1;
	}
	snprintf(want, sizeof(want), "bench %s ", name);
	p = strstr(lines.s, want);
	if (p && pr.status == 0 && !pr.signal && !pr.timed_out) {
		long long ns = 0;
		long k = 0, allocs = 0, bytes = 0;

		if (sscanf(p + strlen(want), "%ld %lld %ld %ld", &k, &ns, &allocs, &bytes) == 4) {
			out->n = k;
			out->ns = (double)ns;
			out->allocs = (double)allocs;
			out->bytes = (double)bytes;
			rc = 0;
		}
	}
	if (rc < 0) {
		char how[160];

		snprintf(why, whysize, "the benchmark %s%s%.200s", proc_describe(&pr, how, sizeof(how)),
			 pr.err_len ? ": " : "", pr.err);
	}
	buf_release(&lines);
	proc_result_release(&pr);
	return rc;
}

/* One benchmark measures at a time on this machine (across chanlab
 * processes, e.g. a parallel verify): a lock on a file in $TMPDIR. */
static int bench_lock(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/chanlab-bench-%u.lock", tmp && *tmp ? tmp : "/tmp", (unsigned)getuid());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		flock(fd, LOCK_EX);
	return fd;
}

static void bench_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of(double *x, int n)
{
	qsort(x, (size_t)n, sizeof(*x), cmp_d);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* c:bench(program, reference, name, { budget = 1.5, runs = 10, benchtime = 0.02 })
 * Runs benchmark name of two harness programs (the learner's and the
 * reference's, built with solution = true) interleaved, runs times each,
 * with an iteration count chosen the way Go's testing.B chooses it, and
 * declares the test "benchmark <name>": it passes when the median of the
 * learner/reference time ratios is within budget. Returns the figures. */
static int api_bench(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 4);
	double budget = 1.5, goal = 0.02, timeout = 20;
	int runs = 10, runs_done = 0, lock;
	const struct program *prog, *ref;
	struct bench_run r1, r2;
	struct check_bench *b;
	struct check_test *t;
	struct buf out = BUF_INIT;
	char tname[300], why[400] = "", msg[400];
	double *ratio, *lns, *rns, *lal, *lby, *ral, *rby;
	long n = 1;

	if (!lua_isnoneornil(L, 5)) {
		luaL_checktype(L, 5, LUA_TTABLE);
		budget = check_opt_num(L, 5, "budget", 1.5);
		runs = (int)check_opt_num(L, 5, "runs", 10);
		goal = check_opt_num(L, 5, "benchtime", 0.02);
		luaL_argcheck(L, runs >= 10 && runs <= 100, 5, "runs must be 10 to 100");
		luaL_argcheck(L, goal > 0 && goal <= 5, 5, "benchtime must be 0 < t <= 5 seconds");
		luaL_argcheck(L, budget >= 1, 5, "budget must be at least 1 (a ratio to the reference)");
	}
	snprintf(tname, sizeof(tname), "benchmark %s", name);
	if (lua_isnil(L, 2) || lua_isnil(L, 3)) {
		check_add_not_run(c, tname);
		lua_pushnil(L);
		return 1;
	}
	prog = luaL_checkudata(L, 2, PROGRAM_META);
	ref = luaL_checkudata(L, 3, PROGRAM_META);
	if (c->env->flavour || strcmp(prog->flavour, "normal") != 0 || strcmp(ref->flavour, "normal") != 0) {
		check_add_test(c->v, tname, CHECK_SKIP, "benchmarks run only in the normal flavour", "", 0);
		lua_pushnil(L);
		return 1;
	}
	if (!prog->harness || !ref->harness)
		return luaL_error(L, "bench needs programs built with harness = '<file>.c'");

	ratio = lua_newuserdatauv(L, 7 * 3 * (size_t)runs * sizeof(double), 0);
	lns = ratio + 3 * runs, rns = lns + 3 * runs, lal = rns + 3 * runs;
	lby = lal + 3 * runs, ral = lby + 3 * runs, rby = ral + 3 * runs;
	lock = bench_lock();
	/* Choose n on the reference like testing.B, then make sure the learner's
	 * code gets through one run in reasonable time too. */
	for (int i = 0; i < 30; i++) {
		if (bench_once(L, c, ref, name, n, timeout, &r2, why, sizeof(why)) < 0) {
			snprintf(msg, sizeof(msg), "the reference's benchmark failed: %s", why);
			check_add_test(c->v, tname, CHECK_ERROR, msg, "", 0);
			bench_unlock(lock);
			lua_pushnil(L);
			return 1;
		}
		if (r2.ns >= goal * 1e9 || n >= 1000000000)
			break;
		n = bench_next_n(n, r2.ns, goal * 1e9);
	}
	/* A short run of the learner's code first: a much slower solution gets
	 * fewer iterations, so that one run stays near the goal. */
	if (bench_once(L, c, prog, name, n / 100 > 0 ? n / 100 : 1, timeout, &r1, why, sizeof(why)) < 0) {
		t = check_add_test(c->v, tname, CHECK_FAIL, why, "", 0);
		if (t)
			t->hint_on = strdup("benchmark");
		bench_unlock(lock);
		lua_pushnil(L);
		return 1;
	}
	if (r1.ns / (double)r1.n * (double)n > 3 * goal * 1e9) {
		n = bench_round_down((long)(3 * goal * 1e9 / (r1.ns / (double)r1.n)));
	}
	/* Pairs alternate which program goes first; while the interval still
	 * straddles the budget, half as many pairs again, up to three times runs. */
	for (int i = 0, want = runs; i < want; i++) {
		const struct program *first = i % 2 ? ref : prog, *second = i % 2 ? prog : ref;
		struct bench_run *a = i % 2 ? &r2 : &r1, *z = i % 2 ? &r1 : &r2;

		if (bench_once(L, c, first, name, n, timeout, a, why, sizeof(why)) < 0 ||
		    bench_once(L, c, second, name, n, timeout, z, why, sizeof(why)) < 0) {
			snprintf(msg, sizeof(msg), "a benchmark run failed: %s", why);
			t = check_add_test(c->v, tname, CHECK_FAIL, msg, "", 0);
			if (t)
				t->hint_on = strdup("benchmark");
			bench_unlock(lock);
			lua_pushnil(L);
			return 1;
		}
		lns[i] = r1.ns / (double)n, rns[i] = r2.ns / (double)n;
		ratio[i] = rns[i] > 0 ? lns[i] / rns[i] : 1;
		lal[i] = r1.allocs / (double)n, lby[i] = r1.bytes / (double)n;
		ral[i] = r2.allocs / (double)n, rby[i] = r2.bytes / (double)n;
		if (i + 1 == want && want < 3 * runs) {
			double tmp[300], med, lo, hi;

			memcpy(tmp, ratio, (size_t)want * sizeof(double));
			bench_median_ci(tmp, (size_t)want, &med, &lo, &hi);
			if (lo <= budget && hi > budget)
				want += runs / 2;
		}
		runs_done = i + 1;
	}
	bench_unlock(lock);
	b = realloc(c->v->benches, (c->v->nbenches + 1) * sizeof(*b));
	if (!b)
		return luaL_error(L, "out of memory");
	c->v->benches = b;
	b = &b[c->v->nbenches++];
	memset(b, 0, sizeof(*b));
	b->name = strdup(name);
	b->n = n;
	b->runs = runs;
	b->budget = budget;
	runs = runs_done;
	b->runs = runs;
	bench_median_ci(ratio, (size_t)runs, &b->ratio, &b->lo, &b->hi);
	b->ns_op = median_of(lns, runs);
	b->ref_ns_op = median_of(rns, runs);
	b->allocs_op = median_of(lal, runs);
	b->bytes_op = median_of(lby, runs);
	b->ref_allocs_op = median_of(ral, runs);
	b->ref_bytes_op = median_of(rby, runs);
	b->passed = b->ratio <= budget;

	{
		char gname[256];
		int procs = (int)sysconf(_SC_NPROCESSORS_ONLN);

		/* Go's names: Benchmark + a capital, -GOMAXPROCS */
		snprintf(gname, sizeof(gname), "%c%s", name[0] >= 'a' && name[0] <= 'z' ? name[0] - 'a' + 'A' : name[0],
			 name[0] ? name + 1 : "");
		buf_printf(&out, "yours:\n");
		bench_line(&out, gname, procs, n, b->ns_op, b->bytes_op, b->allocs_op);
		buf_printf(&out, "reference:\n");
		bench_line(&out, gname, procs, n, b->ref_ns_op, b->ref_bytes_op, b->ref_allocs_op);
	}
	buf_printf(&out, "time ratio %.2fx (95%% CI %.2f-%.2fx) over %d interleaved runs each; budget %.2fx",
		   b->ratio, b->lo, b->hi, runs, budget);
	if (b->passed)
		snprintf(msg, sizeof(msg), "%.2fx the reference's time (95%% CI %.2f-%.2fx), within %.2fx%s",
			 b->ratio, b->lo, b->hi, budget, b->hi > budget ? " (close: the interval reaches past the budget)" : "");
	else
		snprintf(msg, sizeof(msg), "%.2fx the reference's time (95%% CI %.2f-%.2fx): the budget is %.2fx%s",
			 b->ratio, b->lo, b->hi, budget,
			 b->allocs_op > b->ref_allocs_op + 0.5 ? "; you allocate more per operation than the reference" : "");
	t = check_add_test(c->v, tname, b->passed ? CHECK_PASS : CHECK_FAIL, b->passed ? "" : msg, out.s, 0);
	if (t) {
		if (b->passed) {
			free(t->message);
			t->message = strdup(msg);   /* the figure is worth showing either way */
		} else {
			t->hint_on = strdup("benchmark");
		}
	}
	buf_release(&out);
	lua_pop(L, 1);
	lua_createtable(L, 0, 8);
	lua_pushnumber(L, b->ratio);
	lua_setfield(L, -2, "ratio");
	lua_pushnumber(L, b->lo);
	lua_setfield(L, -2, "lo");
	lua_pushnumber(L, b->hi);
	lua_setfield(L, -2, "hi");
	lua_pushnumber(L, b->ns_op);
	lua_setfield(L, -2, "ns_op");
	lua_pushnumber(L, b->ref_ns_op);
	lua_setfield(L, -2, "ref_ns_op");
	lua_pushnumber(L, b->allocs_op);
	lua_setfield(L, -2, "allocs_op");
	lua_pushinteger(L, n);
	lua_setfield(L, -2, "n");
	lua_pushboolean(L, b->passed);
	lua_setfield(L, -2, "passed");
	return 1;
}

static const luaL_Reg api[] = {
	{ "bench", api_bench },
	{ NULL, NULL },
};

static int push_ctx(lua_State *L, struct check_ctx *c)
{
	*(struct check_ctx **)lua_newuserdatauv(L, sizeof(c), 0) = c;
	if (luaL_newmetatable(L, CTX_META)) {
		luaL_newlib(L, api);
		luaL_setfuncs(L, api_run_lib, 0);
		luaL_setfuncs(L, api_test_lib, 0);
		luaL_setfuncs(L, api_harness_lib, 0);
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
	double start = clock_now();
	lua_State *L;

	memset(v, 0, sizeof(*v));
	v->note = strdup("");
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
	if (!lua_istable(L, -1) || lua_getfield(L, -1, "check") != LUA_TFUNCTION) {
		v->status = CHECK_ERROR;
		v->message = strdup("the exercise script has no check function");
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

static void report_free(struct check_report *r)
{
	if (!r)
		return;
	free(r->kind), free(r->tool), free(r->file), free(r->function), free(r->explain);
	free(r);
}

void check_verdict_release(struct check_verdict *v)
{
	for (size_t i = 0; i < v->ntests; i++) {
		free(v->tests[i].name);
		free(v->tests[i].message);
		free(v->tests[i].output);
		free(v->tests[i].hint_on);
		report_free(v->tests[i].report);
	}
	for (size_t i = 0; i < v->nbenches; i++)
		free(v->benches[i].name);
	free(v->benches);
	free(v->tests);
	free(v->message);
	free(v->note);
	memset(v, 0, sizeof(*v));
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = { "pass", "fail", "skip", "error" };

	return names[s];
}

static void json_opt_str(struct buf *b, const char *key, const char *s)
{
	buf_printf(b, ",\"%s\":", key);
	if (s)
		buf_json_str(b, s);
	else
		buf_puts(b, "null");
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
		const struct check_test *t = &v->tests[i];

		buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(&b, t->name);
		buf_printf(&b, ",\"status\":\"%s\",\"message\":", check_status_name(t->status));
		buf_json_str(&b, t->message);
		buf_puts(&b, ",\"output\":");
		buf_json_str(&b, t->output);
		buf_printf(&b, ",\"seconds\":%.3f", t->seconds);
		json_opt_str(&b, "hint_on", t->hint_on);
		buf_puts(&b, ",\"report\":");
		if (t->report) {
			buf_puts(&b, "{\"kind\":");
			buf_json_str(&b, t->report->kind);
			json_opt_str(&b, "tool", t->report->tool);
			json_opt_str(&b, "file", t->report->file);
			buf_printf(&b, ",\"line\":%d", t->report->line);
			json_opt_str(&b, "function", t->report->function);
			json_opt_str(&b, "explain", t->report->explain);
			buf_puts(&b, "}");
		} else {
			buf_puts(&b, "null");
		}
		buf_puts(&b, "}");
	}
	buf_puts(&b, "],\"benchmarks\":[");
	for (size_t i = 0; i < v->nbenches; i++) {
		const struct check_bench *k = &v->benches[i];

		buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(&b, k->name);
		buf_printf(&b, ",\"n\":%ld,\"runs\":%d,\"ns_per_op\":%.2f,\"bytes_per_op\":%.1f,\"allocs_per_op\":%.2f,"
			   "\"reference\":{\"ns_per_op\":%.2f,\"bytes_per_op\":%.1f,\"allocs_per_op\":%.2f},"
			   "\"ratio\":%.4f,\"ratio_ci95\":[%.4f,%.4f],\"budget\":%.3f,\"passed\":%s}",
			   k->n, k->runs, k->ns_op, k->bytes_op, k->allocs_op, k->ref_ns_op, k->ref_bytes_op,
			   k->ref_allocs_op, k->ratio, k->lo, k->hi, k->budget, k->passed ? "true" : "false");
	}
	buf_puts(&b, "]}");
	if (b.oom) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
