/*
 * api_bench — the benchmark loop: c:bench; see check_int.h and
 * docs/authoring.md.
 *
 * Data model: a benchmark compares two harness programs, the learner's and
 * a baseline (the reference's, the starter's, or any other build, named in
 * the messages by what it is), on one CL_BENCH. Each run is a sandboxed process of its
 * own (`--bench NAME N`, see lua/api_harness.c) that reports N, wall ns,
 * allocs, bytes and CPU ns; the times compared are CPU time unless the
 * exercise asks for the wall clock, since on a shared machine the CPU time
 * of a run stays put where its wall time doubles with the load. N is chosen on the reference the way Go's testing.B chooses
 * it, then cut down when the learner's code is much slower; the pairs of
 * runs alternate which program goes first; six pairs that agree end it,
 * and more pairs follow while the 95% interval of the time ratio
 * straddles the budget. The figures of every
 * run live in one userdata (nine arrays of up to three times runs
 * doubles); their medians become a struct check_bench in the verdict and
 * the test "benchmark NAME". One benchmark measures at a time on the
 * machine: the loop holds a lock on a file in $TMPDIR.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/bench.h"
#include "checker/kind.h"
#include "lua/check_int.h"

struct bench_run {
	long n;
	double ns, allocs, bytes, cpu;   /* cpu: -1 when the harness did not say */
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
		long long ns = 0, cpu = -1;
		long k = 0, allocs = 0, bytes = 0;

		if (sscanf(p + strlen(want), "%ld %lld %ld %ld %lld", &k, &ns, &allocs, &bytes, &cpu) >= 4) {
			out->n = k;
			out->ns = (double)ns;
			out->cpu = (double)cpu;
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
	char name[64], path[4096];
	int fd;

	snprintf(name, sizeof(name), "chanlab-bench-%u.lock", (unsigned)getuid());
	if (fs_join(path, sizeof(path), tmp && *tmp ? tmp : "/tmp", name) < 0)
		return -1;   /* measured without the lock, as when it cannot be opened */
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

/* --- the iteration count, kept ----------------------------------------------- */

/* Where the count for benchmark name of program ref is kept (beside the
 * program, for a name fit for a file's) into path, and the key of ref's
 * build (malloc'd); NULL when there is no such place or key. */
static char *kept_file(const struct program *ref, const char *name, char *path, size_t size)
{
	char keypath[4200], *key;

	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name) ||
	    snprintf(path, size, "%s.n-%s", ref->path, name) >= (int)size)
		return NULL;
	snprintf(keypath, sizeof(keypath), "%s.key", ref->path);
	if ((key = fs_read(keypath, NULL)))
		key[strcspn(key, "\n")] = '\0';
	return key;
}

/* The iteration count chosen before for benchmark name on this very build
 * of ref (its build key, checker/build.c) at goal seconds a run, or 0.
 * Choosing it takes three to five runs of the baseline, about 70 ms of
 * every check of an exercise with a benchmark; the same build of the
 * baseline gets the same count. */
static long kept_n(const struct program *ref, const char *name, double goal)
{
	char path[4200], k[40], *key = kept_file(ref, name, path, sizeof(path)), *kept;
	double g;
	long n = 0;

	if (key && (kept = fs_read(path, NULL))) {
		if (sscanf(kept, "%39s %lf %ld", k, &g, &n) != 3 || strcmp(k, key) != 0 || g != goal || n < 1 ||
		    n > 1000000000)
			n = 0;
		free(kept);
	}
	free(key);
	return n;
}

static void keep_n(const struct program *ref, const char *name, double goal, long n)
{
	char path[4200], tmp[4300], line[128], *key = kept_file(ref, name, path, sizeof(path));
	int len;

	if (!key)
		return;
	len = snprintf(line, sizeof(line), "%s %.17g %ld\n", key, goal, n);
	free(key);
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if (len < (int)sizeof(line) && fs_write(tmp, line, (size_t)len) == 0 && rename(tmp, path) < 0)
		unlink(tmp);
}

/* --- c:bench ---------------------------------------------------------------- */

/* Pairs after which a benchmark may stop early: with n ratios all on one
 * side of the budget, a true median at the budget would have done that
 * with probability 2 * 2^-n, about 3% for six (a sign test). */
enum { EARLY_PAIRS = 6 };

/* Whether the first n pairs already decide a benchmark: every ratio within
 * the budget (it passes whatever more pairs say, to within the sign test's
 * 3%), or every ratio over it with a U test that says so surely (p < 0.05:
 * the rule the whole set of pairs is judged by). */
static bool early_answer(const double *ratio, const double *mine, const double *base, int n, double budget)
{
	double over[EARLY_PAIRS];
	int below = 0;

	for (int i = 0; i < n; i++)
		below += ratio[i] <= budget;
	if (below == n)
		return true;
	if (below > 0)
		return false;
	for (int i = 0; i < n; i++)
		over[i] = budget * base[i];
	return bench_mann_whitney(mine, (size_t)n, over, (size_t)n) < 0.05;
}

/* A run of the learner's code failed (it crashed, or took too long): the
 * benchmark fails with why, the lock goes, and c:bench returns nil. */
static int run_failed(lua_State *L, struct check_ctx *c, const char *tname, const char *why, int lock)
{
	struct check_test *t = check_add_test(c->v, tname, CHECK_FAIL, why, "", 0);

	if (t)
		t->hint_on = strdup(kind_name(KIND_BENCHMARK));
	bench_unlock(lock);
	lua_pushnil(L);
	return 1;
}

/* What the baseline of a benchmark is called in its messages: the build's
 * name, or what it is ("reference", "starter"). */
static const char *baseline_name(const struct program *ref)
{
	if (*ref->label)
		return ref->label;
	return ref->role == ROLE_STARTER ? "starter" : ref->role == ROLE_SOLUTION ? "reference" : "baseline";
}

/* c:bench(program, baseline, name, { budget = 1.5, runs = 10, benchtime = 0.02,
 *                                     allocs_op = N, bytes_op = N, clock = "cpu" })
 * Runs benchmark name of two harness programs (the learner's and a
 * baseline: the reference's, built with solution = true, the starter's,
 * built with starter = true, or any other build) interleaved, runs times
 * each (six when all six agree), with an iteration count chosen the way
 * Go's testing.B chooses it, and declares the test "benchmark <name>": it passes unless the learner's
 * times (CPU time, every thread's; clock = "wall" compares elapsed time,
 * for an exercise whose point is to finish sooner on more cores) are surely over budget times the baseline's (median ratio over the
 * budget and a Mann-Whitney U test, as benchstat compares, at p < 0.05;
 * over the budget but not surely is "inconclusive", a pass that says so),
 * and the learner's allocations and bytes per operation are within
 * allocs_op and bytes_op when given (exact counts). Returns the figures. */
static int api_bench(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 4);
	double budget = 1.5, goal = 0.02, timeout = 20, allocs_budget = -1, bytes_budget = -1;
	int runs = 10, runs_done = 0, lock, cpu = 1;
	const struct program *prog, *ref;
	struct bench_run r1, r2;
	struct check_bench *b;
	struct check_test *t;
	struct buf out = BUF_INIT;
	char tname[300], why[400] = "", msg[600], faster[64] = "";
	const char *base, *clock = "cpu", *what;
	double *ratio, *lns, *rns, *lal, *lby, *ral, *rby, *lcpu, *rcpu, per_op = 0;
	long n = 1;

	if (!lua_isnoneornil(L, 5)) {
		luaL_checktype(L, 5, LUA_TTABLE);
		budget = check_opt_num(L, 5, "budget", 1.5);
		runs = (int)check_opt_num(L, 5, "runs", 10);
		goal = check_opt_num(L, 5, "benchtime", 0.02);
		luaL_argcheck(L, runs >= 10 && runs <= 100, 5, "runs must be 10 to 100");
		luaL_argcheck(L, goal > 0 && goal <= 5, 5, "benchtime must be 0 < t <= 5 seconds");
		luaL_argcheck(L, budget > 0 && budget <= 1000, 5,
			      "budget must be over 0 and at most 1000 (a ratio of times: 0.2 is five times faster)");
		allocs_budget = check_opt_num(L, 5, "allocs_op", -1);
		bytes_budget = check_opt_num(L, 5, "bytes_op", -1);
		luaL_argcheck(L, allocs_budget == -1 || allocs_budget >= 0, 5, "allocs_op is a number of allocations per operation, 0 or more");
		luaL_argcheck(L, bytes_budget == -1 || bytes_budget >= 0, 5, "bytes_op is a number of bytes per operation, 0 or more");
		lua_getfield(L, 5, "clock");
		if (!lua_isnil(L, -1))
			clock = luaL_checkstring(L, -1);
		luaL_argcheck(L, strcmp(clock, "cpu") == 0 || strcmp(clock, "wall") == 0, 5,
			      "clock is \"cpu\" (the default) or \"wall\"");
		cpu = strcmp(clock, "cpu") == 0;
		lua_pop(L, 1);   /* clock stays valid: the string is the option table's */
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
	base = baseline_name(ref);
	c->v->instruments |= CHECK_INS_BENCH;

	what = cpu ? "CPU time" : "time";
	ratio = lua_newuserdatauv(L, 9 * 3 * (size_t)runs * sizeof(double), 0);
	lns = ratio + 3 * runs, rns = lns + 3 * runs, lal = rns + 3 * runs;
	lby = lal + 3 * runs, ral = lby + 3 * runs, rby = ral + 3 * runs;
	lcpu = rby + 3 * runs, rcpu = lcpu + 3 * runs;
	lock = bench_lock();
	/* Choose n on the reference like testing.B (or take the one chosen for
	 * this build before), then make sure the learner's code gets through
	 * one run in reasonable time too. */
	if ((n = kept_n(ref, name, goal)) > 0)
		goto chosen;
	n = 1;
	for (int i = 0; i < 30; i++) {
		if (bench_once(L, c, ref, name, n, timeout, &r2, why, sizeof(why)) < 0) {
			snprintf(msg, sizeof(msg), "the %s's benchmark failed: %s", base, why);
			check_add_test(c->v, tname, CHECK_ERROR, msg, "", 0);
			bench_unlock(lock);
			lua_pushnil(L);
			return 1;
		}
		if (r2.ns >= goal * 1e9 || n >= 1000000000)
			break;
		n = bench_next_n(n, r2.ns, goal * 1e9);
	}
	keep_n(ref, name, goal, n);
chosen:
	/* A short run of the learner's code first: a much slower solution gets
	 * fewer iterations, so that one run stays near the goal. A run that
	 * short (a hundredth of one, a fraction of a millisecond) loses its
	 * CPU to any other process on a loaded machine for longer than it
	 * runs, so the count is cut only when a second short run says so too,
	 * and by the faster of the two. */
	for (int probe = 0; probe < 2; probe++) {
		double op;

		if (bench_once(L, c, prog, name, n / 100 > 0 ? n / 100 : 1, timeout, &r1, why, sizeof(why)) < 0)
			return run_failed(L, c, tname, why, lock);
		op = r1.ns / (double)r1.n;
		if (probe == 0 || op < per_op)
			per_op = op;
		if (per_op * (double)n <= 3 * goal * 1e9)
			break;
	}
	if (per_op * (double)n > 3 * goal * 1e9)
		n = bench_round_down((long)(3 * goal * 1e9 / per_op));
	/* Pairs alternate which program goes first. After EARLY_PAIRS pairs
	 * whose ratios all lie on one side of the budget the answer is known
	 * (see early_answer); otherwise runs pairs, and while the interval
	 * still straddles the budget, half as many again, up to three times
	 * runs. */
	for (int i = 0, want = runs; i < want; i++) {
		const struct program *first = i % 2 ? ref : prog, *second = i % 2 ? prog : ref;
		struct bench_run *a = i % 2 ? &r2 : &r1, *z = i % 2 ? &r1 : &r2;

		if (bench_once(L, c, first, name, n, timeout, a, why, sizeof(why)) < 0 ||
		    bench_once(L, c, second, name, n, timeout, z, why, sizeof(why)) < 0) {
			snprintf(msg, sizeof(msg), "a benchmark run failed: %s", why);
			return run_failed(L, c, tname, msg, lock);
		}
		if (cpu && (r1.cpu < 0 || r2.cpu < 0)) {
			bench_unlock(lock);     /* the machine-wide lock must not outlive the error */
			return luaL_error(L, "bench: the harness reported no CPU time (an old chanlab_test.h?)");
		}
		lns[i] = r1.ns / (double)n, rns[i] = r2.ns / (double)n;
		lcpu[i] = r1.cpu / (double)n, rcpu[i] = r2.cpu / (double)n;
		{
			double l = cpu ? lcpu[i] : lns[i], r = cpu ? rcpu[i] : rns[i];

			ratio[i] = r > 0 ? l / r : 1;
		}
		lal[i] = r1.allocs / (double)n, lby[i] = r1.bytes / (double)n;
		ral[i] = r2.allocs / (double)n, rby[i] = r2.bytes / (double)n;
		runs_done = i + 1;
		if (runs_done == EARLY_PAIRS && early_answer(ratio, cpu ? lcpu : lns, cpu ? rcpu : rns, EARLY_PAIRS, budget))
			break;
		if (i + 1 == want && want < 3 * runs) {
			double tmp[300], med, lo, hi;

			memcpy(tmp, ratio, (size_t)want * sizeof(double));
			bench_median_ci(tmp, (size_t)want, &med, &lo, &hi);
			if (lo <= budget && hi > budget)
				want += runs / 2;
		}
	}
	bench_unlock(lock);
	b = realloc(c->v->benches, (c->v->nbenches + 1) * sizeof(*b));
	if (!b)
		return luaL_error(L, "out of memory");
	c->v->benches = b;
	b = &b[c->v->nbenches++];
	memset(b, 0, sizeof(*b));
	b->name = strdup(name);
	b->baseline = strdup(base);
	b->n = n;
	b->runs = runs;
	b->budget = budget;
	runs = runs_done;
	b->runs = runs;
	{
		double over[300];

		for (int i = 0; i < runs; i++)
			over[i] = budget * (cpu ? rcpu[i] : rns[i]);
		b->p = bench_mann_whitney(cpu ? lcpu : lns, (size_t)runs, over, (size_t)runs);
	}
	bench_median_ci(ratio, (size_t)runs, &b->ratio, &b->lo, &b->hi);
	b->ns_op = bench_median(lns, (size_t)runs);
	b->ref_ns_op = bench_median(rns, (size_t)runs);
	b->cpu = cpu;
	b->cpu_ns_op = cpu ? bench_median(lcpu, (size_t)runs) : -1;
	b->ref_cpu_ns_op = cpu ? bench_median(rcpu, (size_t)runs) : -1;
	b->allocs_op = bench_median(lal, (size_t)runs);
	b->bytes_op = bench_median(lby, (size_t)runs);
	b->ref_allocs_op = bench_median(ral, (size_t)runs);
	b->ref_bytes_op = bench_median(rby, (size_t)runs);
	/* verify, running the reference against itself: it can meet the budget
	 * unless it is surely slower (noise on a loaded machine is not that) */
	b->allocs_budget = allocs_budget;
	b->bytes_budget = bytes_budget;
	b->inconclusive = b->ratio > budget && b->p >= 0.05;
	b->passed = c->env->solution ? b->lo <= budget : b->ratio <= budget || b->inconclusive;
	/* allocations per operation are exact counts: no noise to allow for */
	if ((allocs_budget >= 0 && b->allocs_op > allocs_budget + 1e-9) ||
	    (bytes_budget >= 0 && b->bytes_op > bytes_budget + 1e-9))
		b->passed = false;

	{
		char gname[256];
		int procs = (int)sysconf(_SC_NPROCESSORS_ONLN);

		/* Go's names: Benchmark + a capital, -GOMAXPROCS */
		snprintf(gname, sizeof(gname), "%c%s", name[0] >= 'a' && name[0] <= 'z' ? name[0] - 'a' + 'A' : name[0],
			 name[0] ? name + 1 : "");
		buf_printf(&out, "yours:\n");
		bench_line(&out, gname, procs, n, b->ns_op, b->bytes_op, b->allocs_op, b->cpu_ns_op);
		buf_printf(&out, "%s:\n", base);
		bench_line(&out, gname, procs, n, b->ref_ns_op, b->ref_bytes_op, b->ref_allocs_op, b->ref_cpu_ns_op);
	}
	buf_printf(&out, "%s ratio %.2fx (95%% CI %.2f-%.2fx) over %d interleaved runs each; budget %.2fx",
		   what, b->ratio, b->lo, b->hi, runs, budget);
	if (budget < 1)   /* "5.0x faster than the starter" reads better than "0.20x" alone */
		snprintf(faster, sizeof(faster), " (%.1fx faster)", 1 / budget);
	if (allocs_budget >= 0 && b->allocs_op > allocs_budget + 1e-9)
		snprintf(msg, sizeof(msg), "%.2f allocations per operation: the budget is %g (the %s makes %.2f); "
			 "%.2fx the %s's %s", b->allocs_op, allocs_budget, base, b->ref_allocs_op, b->ratio, base, what);
	else if (bytes_budget >= 0 && b->bytes_op > bytes_budget + 1e-9)
		snprintf(msg, sizeof(msg), "%.0f bytes allocated per operation: the budget is %g (the %s allocates %.0f); "
			 "%.2fx the %s's %s", b->bytes_op, bytes_budget, base, b->ref_bytes_op, b->ratio, base, what);
	else if (b->passed && b->inconclusive)
		snprintf(msg, sizeof(msg), "%.2fx the %s's %s (95%% CI %.2f-%.2fx) against a budget of %.2fx%s: "
			 "inconclusive, within the noise of the budget (U test p = %.2f), so it passes",
			 b->ratio, base, what, b->lo, b->hi, budget, faster, b->p);
	else if (b->passed)
		snprintf(msg, sizeof(msg), "%.2fx the %s's %s (95%% CI %.2f-%.2fx), within %.2fx%s%s",
			 b->ratio, base, what, b->lo, b->hi, budget, faster,
			 b->hi > budget ? " (close: the interval reaches past the budget)" : "");
	else
		snprintf(msg, sizeof(msg), "%.2fx the %s's %s (95%% CI %.2f-%.2fx): the budget is %.2fx%s%s%s",
			 b->ratio, base, what, b->lo, b->hi, budget, faster,
			 b->allocs_op > b->ref_allocs_op + 0.5 ? "; you allocate more per operation than the " : "",
			 b->allocs_op > b->ref_allocs_op + 0.5 ? base : "");
	t = check_add_test(c->v, tname, b->passed ? CHECK_PASS : CHECK_FAIL, b->passed ? "" : msg, out.s, 0);
	if (t) {
		if (b->passed) {
			free(t->message);
			t->message = strdup(msg);   /* the figure is worth showing either way */
		} else {
			t->hint_on = strdup(kind_name(KIND_BENCHMARK));
		}
	}
	buf_release(&out);
	lua_pop(L, 1);
	lua_createtable(L, 0, 15);
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
	lua_pushnumber(L, b->cpu_ns_op);
	lua_setfield(L, -2, "cpu_ns_op");
	lua_pushnumber(L, b->ref_cpu_ns_op);
	lua_setfield(L, -2, "ref_cpu_ns_op");
	lua_pushstring(L, cpu ? "cpu" : "wall");
	lua_setfield(L, -2, "clock");
	lua_pushnumber(L, b->allocs_op);
	lua_setfield(L, -2, "allocs_op");
	lua_pushinteger(L, n);
	lua_setfield(L, -2, "n");
	lua_pushnumber(L, b->bytes_op);
	lua_setfield(L, -2, "bytes_op");
	lua_pushnumber(L, b->p);
	lua_setfield(L, -2, "p");
	lua_pushboolean(L, b->inconclusive);
	lua_setfield(L, -2, "inconclusive");
	lua_pushboolean(L, b->passed);
	lua_setfield(L, -2, "passed");
	return 1;
}

/* c:bench, told to the front end as a pass of its own while it runs. */
static int api_bench_pass(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);

	check_pass_event(c->v, "benchmark", true);
	lua_pushcfunction(L, api_bench);
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	check_pass_event(c->v, "benchmark", false);
	return 1;
}

const luaL_Reg api_bench_lib[] = {
	{ "bench", api_bench_pass },
	{ NULL, NULL },
};
