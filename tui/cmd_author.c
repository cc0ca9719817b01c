/*
 * cmd_author — commands for exercise authors: verify and new.
 *
 * verify proves a pack correct the way a learner would meet it. For each
 * exercise, in a worker process of its own (up to --jobs at once; proc_run
 * is one-run-per-process), it checks that the script loads, that the
 * starter does not pass, that the solution passes every test and benchmark
 * five times in a row, and that the solution's checks are clean when every
 * program is built with ASan+UBSan and then with TSan (unless the first
 * run's policy pass in that flavour already ran every test: the same builds
 * over the same cases); then that each of
 * its wrong solutions is caught as its marker says, and (in the parent,
 * over the whole pack) that its metadata holds: see tui/verify.h. Builds
 * are cached under <home>/build/verify, so a second verify of an unchanged
 * pack compiles nothing. A worker's result travels as one struct vres, well
 * under a pipe's capacity, so a worker never blocks on a parent that is
 * waiting for it to exit.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/build.h"
#include "tui/cmd.h"
#include "tui/verify.h"

#define SOLUTION_RUNS 5

/* One exercise's outcome, sent from its worker through a pipe as is. */
struct vres {
	bool loads, starter_fails, starter_sound, asan_clean, tsan_clean, done;
	int solution_passes;
	int wrong_total, wrong_caught;   /* wrong solutions, and those caught as marked */
	double seconds;
	char detail[1536];
	char starter[1024];              /* which tests the starter fails, and why */
	char wrong[2048];                /* a line per wrong solution not caught as marked */
	unsigned instruments;            /* what the solution's check used (CHECK_INS_*) */
	bool hints_aimed;                /* every hint's `test` names a test the check declares */
	char hints[512];                 /* the first that does not, said */
};

/* Whether every hint aimed at a test names one the solution's check
 * declared (in any pass: "<case> (TSan)" is that case too); says the first
 * that does not in buf. */
static bool hints_aimed(const struct pack_exercise *ex, const struct check_verdict *v, char *buf, size_t size)
{
	for (size_t h = 0; h < ex->nhints; h++) {
		bool found = false;

		if (!ex->hints[h].test)
			continue;
		for (size_t i = 0; i < v->ntests && !found; i++)
			found = pack_same_test(ex->hints[h].test, v->tests[i].name);
		if (!found) {
			snprintf(buf, size, "hint %zu is aimed at test '%s', which the check never declares", h + 1,
				 ex->hints[h].test);
			return false;
		}
	}
	return true;
}

/* The first test that did not pass (or, with skip_ok, did fail), as "name: message". */
static void first_failure(const struct check_verdict *v, bool skip_ok, char *buf, size_t size)
{
	if (v->status == CHECK_ERROR) {
		snprintf(buf, size, "script error: %s", v->message);
		return;
	}
	for (size_t i = 0; i < v->ntests; i++) {
		const struct check_test *t = &v->tests[i];

		if (t->status == CHECK_PASS || (skip_ok && t->status == CHECK_SKIP))
			continue;
		snprintf(buf, size, "%s: %s%s%.300s", t->name, t->message, *t->output ? "\n" : "", t->output);
		return;
	}
	snprintf(buf, size, "%s", v->message && *v->message ? v->message : "no test failed");
}

static bool sanitized_clean(const struct check_verdict *v)
{
	if (v->status == CHECK_ERROR || v->nreports)
		return false;
	for (size_t i = 0; i < v->ntests; i++)
		if (v->tests[i].status == CHECK_FAIL || v->tests[i].status == CHECK_ERROR)
			return false;
	return v->ntests > 0;
}

/* Whether a test's name ends in a pass's label, " (ASan)". */
static bool pass_test(const char *name)
{
	size_t n = strlen(name);
	const char *open = n && name[n - 1] == ')' ? strrchr(name, '(') : NULL;

	return open && open > name + 1 && open[-1] == ' ' &&
	       build_flavour_labelled(open + 1, (size_t)(name + n - 1 - (open + 1)));
}

/* Whether v has a passed test of that name. */
static bool passed_test(const struct check_verdict *v, const char *name)
{
	for (size_t i = 0; i < v->ntests; i++)
		if (strcmp(v->tests[i].name, name) == 0)
			return v->tests[i].status == CHECK_PASS;
	return false;
}

/* Whether the policy's pass in flavour ran every test of v, the solution's
 * passing check, in that flavour: each test but the builds and the other
 * passes' has its twin "<name> (<label>)". Then a check with every program
 * built in flavour would run the same builds over the same cases again. */
static bool pass_ran_all(const struct check_verdict *v, const char *flavour)
{
	const char *label = build_flavour_find(flavour)->label;
	unsigned bit = strcmp(flavour, "asan") == 0 ? CHECK_INS_ASAN : CHECK_INS_TSAN;
	bool any = false;

	if (!(v->instruments & bit) || v->nreports)
		return false;
	for (size_t i = 0; i < v->ntests; i++) {
		const char *name = v->tests[i].name;
		char twin[1024];

		if (strncmp(name, "build (", 7) == 0 || pass_test(name))
			continue;
		if ((size_t)snprintf(twin, sizeof(twin), "%s (%s)", name, label) >= sizeof(twin) ||
		    !passed_test(v, twin))
			return false;
		any = true;
	}
	return any;
}

static void verify_one(const struct check_env *base, const char *cache, const struct pack_exercise *ex,
		       int width, struct vres *r)
{
	struct check_env env = *base;
	struct check_verdict v;
	char builddir[PATH_MAX + 512], soldir[PATH_MAX + 16];
	double start = clock_now();
	static const char *const sanitizers[] = { "asan", "tsan" };
	bool proven[2] = { false, false };

	memset(r, 0, sizeof(*r));
	r->done = true;
	if (ex->error) {
		snprintf(r->detail, sizeof(r->detail), "%s", ex->error);
		goto out;
	}
	r->loads = true;

	env.workdir = ex->dir;
	snprintf(builddir, sizeof(builddir), "%s/%s/%s/starter", cache, ex->track, ex->id);
	env.builddir = builddir;
	if (check_run(&v, ex, &env) < 0) {
		snprintf(r->detail, sizeof(r->detail), "starter: %s", err_msg());
		goto out;
	}
	r->starter_fails = v.status == CHECK_FAIL;
	if (r->starter_fails)
		r->starter_sound = verify_starter(&v, ex, r->starter, sizeof(r->starter));
	if (v.status == CHECK_PASS)
		snprintf(r->detail, sizeof(r->detail), "the starter passes every test: the checks do not test the exercise");
	else if (v.status == CHECK_ERROR)
		snprintf(r->detail, sizeof(r->detail), "starter: script error: %s", v.message);
	check_verdict_release(&v);
	if (!r->starter_fails)
		goto out;

	snprintf(soldir, sizeof(soldir), "%s/solution", ex->dir);
	snprintf(builddir, sizeof(builddir), "%s/%s/%s/solution", cache, ex->track, ex->id);
	env.workdir = soldir;
	env.solution = true;
	env.timeout_scale = 2;      /* a loaded machine (parallel workers) must not fail a sound solution */
	for (int i = 0; i < SOLUTION_RUNS; i++) {
		bool passed;

		if (check_run(&v, ex, &env) < 0) {
			snprintf(r->detail, sizeof(r->detail), "solution: %s", err_msg());
			goto out;
		}
		passed = v.status == CHECK_PASS;
		if (i == 0) {
			for (size_t s = 0; s < 2; s++)
				proven[s] = passed && pass_ran_all(&v, sanitizers[s]);
			r->instruments = v.instruments;
			r->hints_aimed = hints_aimed(ex, &v, r->hints, sizeof(r->hints));
		}
		if (!passed) {
			char why[1400];

			first_failure(&v, false, why, sizeof(why));
			snprintf(r->detail, sizeof(r->detail), "solution, run %d of %d: %s", i + 1, SOLUTION_RUNS, why);
		}
		check_verdict_release(&v);
		if (!passed)
			goto out;
		r->solution_passes++;
	}

	for (size_t s = 0; s < 2; s++) {
		bool clean;

		if (proven[s]) {        /* its pass in run 1 was this check */
			if (s == 0)
				r->asan_clean = true;
			else
				r->tsan_clean = true;
			continue;
		}
		env.flavour = sanitizers[s];
		env.timeout_scale = 4;   /* sanitized programs run several times slower */
		if (check_run(&v, ex, &env) < 0) {
			snprintf(r->detail, sizeof(r->detail), "%s: %s", sanitizers[s], err_msg());
			goto out;
		}
		clean = sanitized_clean(&v);
		if (!clean) {
			char why[1400];

			first_failure(&v, true, why, sizeof(why));
			snprintf(r->detail, sizeof(r->detail), "solution under %s: %s", sanitizers[s],
				 v.nreports && v.status == CHECK_PASS ? "a run printed a sanitizer or runtime report" : why);
		}
		if (s == 0)
			r->asan_clean = clean;
		else
			r->tsan_clean = clean;
		check_verdict_release(&v);
		if (!clean)
			goto out;
	}
	/* wrong solutions: once each, in the normal build */
	snprintf(builddir, sizeof(builddir), "%s/%s/%s", cache, ex->track, ex->id);
	env.flavour = NULL;
	verify_wrong(&env, builddir, ex, width, &r->wrong_total, &r->wrong_caught, r->wrong, sizeof(r->wrong));
out:
	r->seconds = clock_now() - start;
}

static bool vres_ok(const struct vres *r)
{
	return r->loads && r->starter_fails && r->starter_sound && r->solution_passes == SOLUTION_RUNS &&
	       r->hints_aimed && r->asan_clean && r->tsan_clean && r->wrong_caught == r->wrong_total;
}

/* What verify says of one exercise below the table: which tests the
 * starter fails and why, else what went wrong; then what is amiss. */
static void verify_detail(const struct pack_exercise *ex, const struct vres *r, const char *meta)
{
	printf("\n  %s/%s: %s", ex->track, ex->id, r->starter);
	if (*r->detail) {
		/* the detail quotes what the programs printed: shown */
		if (*r->starter)
			fputs("\n    ", stdout);
		cmd_put_shown(stdout, r->detail, strnlen(r->detail, sizeof(r->detail)));
	} else if (!*r->starter) {
		fputs("not checked", stdout);
	}
	if (*meta)
		printf("\n    %s", meta);
	if (r->solution_passes && !r->hints_aimed)
		printf("\n    %s", r->hints);
	if (r->instruments) {
		fputs("\n    instruments:", stdout);
		for (unsigned bit = 1; bit & CHECK_INS_ALL; bit <<= 1)
			if (r->instruments & bit)
				printf(" %s", check_instrument_name(bit));
	}
	if (*r->wrong)
		cmd_put_shown(stdout, r->wrong, strnlen(r->wrong, sizeof(r->wrong)));
	putchar('\n');
}

struct all {
	const struct check_env *env;
	const char *cache;
	const struct pack_exercise *ex;   /* the first of them */
	int width;                        /* wrong solutions at a time, each */
};

static void all_work(size_t i, void *out, void *arg)
{
	struct all *a = arg;

	verify_one(a->env, a->cache, &a->ex[i], a->width, out);
}

static void all_lost(size_t i, void *out, const char *why, void *arg)
{
	struct vres *r = out;

	(void)i, (void)arg;
	memset(r, 0, sizeof(*r));
	snprintf(r->detail, sizeof(r->detail), "%s", why);
	r->done = true;
}

/* Runs verify_one for each exercise (or only the one) in a worker process,
 * jobs at a time; fewer exercises than jobs check their wrong solutions
 * several at a time. */
static void verify_all(const struct check_env *env, const char *cache, const struct pack *p,
		       const struct pack_exercise *only, struct vres *res, int jobs)
{
	size_t n = only ? 1 : p->nex;
	struct all a = { env, cache, only ? only : p->ex, n < (size_t)jobs ? jobs / (int)(n ? n : 1) : 1 };

	verify_pool(n, jobs, only ? &res[only - p->ex] : res, sizeof(*res), all_work, all_lost, &a);
}

static const char *mark(bool ok, bool reached, const char *yes, const char *no)
{
	return !reached ? "-" : ok ? yes : no;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A pack found beyond the bundled one (on $CHANLAB_PATH, in the packs
 * folder) whose name is name, or NULL. */
static const struct pack *named_pack(const struct app *app, const char *name)
{
	if (app->one_pack)
		return NULL;
	for (const struct pack *k = app->pack->more; k; k = k->more)
		if (strcmp(k->name, name) == 0 || strcmp(k->slug, name) == 0)
			return k;
	return NULL;
}

static int cmd_verify(struct app *app, const struct cmd_args *a)
{
	struct check_env env = { .rt_include = app->rt_include, .rt_libdir = app->rt_libdir };
	const struct pack_exercise *only = NULL;
	struct pack *own = NULL;
	const struct pack *p = app->pack;
	char harness[PATH_MAX], cache[PATH_MAX], objects[PATH_MAX + 16];
	const char *jobs_s = NULL, *want;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	struct vres *res;
	char (*meta)[512];
	double *seconds;
	size_t failed = 0, total = 0, nsec = 0;
	double start = clock_now();
	struct stat st;
	const struct pack *found;

	if (cmd_flag(a, "--jobs=", &jobs_s)) {
		jobs = strtol(jobs_s, NULL, 10);
		if (jobs < 1 || jobs > 64) {
			fprintf(stderr, "chanlab: --jobs wants a number from 1 to 64\n");
			return EXIT_USAGE;
		}
	}
	if (jobs < 1)
		jobs = 1;
	/* The pack: PACK (a folder, taken as --pack takes one), --pack, or the
	 * bundled one alone; then the exercise, if one is named. */
	if (a->argc >= 1 && stat(a->argv[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		char *dir = pack_resolve(a->argv[0]);
		int rc = dir ? pack_load(&own, dir) : -1;

		free(dir);
		if (rc < 0) {
			fprintf(stderr, "chanlab: %s\n", err_msg());
			return EXIT_NOTPASS;
		}
		p = own;
		want = a->argc == 2 ? a->argv[1] : NULL;
	} else if (a->argc >= 1 && (found = named_pack(app, a->argv[0]))) {
		/* a pack found on $CHANLAB_PATH or in the packs folder, by name */
		if (pack_load(&own, found->dir) < 0) {
			fprintf(stderr, "chanlab: %s\n", err_msg());
			return EXIT_NOTPASS;
		}
		p = own;
		want = a->argc == 2 ? a->argv[1] : NULL;
	} else if (a->argc == 2) {
		fprintf(stderr, "chanlab: '%s' is not a pack folder (usage: chanlab verify PACK ID)\n", a->argv[0]);
		return EXIT_USAGE;
	} else {
		if (!app->one_pack && app->pack->more) {
			if (pack_load(&own, app->pack_dir) < 0) {
				fprintf(stderr, "chanlab: %s\n", err_msg());
				return EXIT_NOTPASS;
			}
			p = own;
		}
		want = a->argc == 1 ? a->argv[0] : NULL;
	}
	if (want && !(only = pack_find(p, want))) {
		fprintf(stderr, "chanlab: '%s' is neither a pack folder nor an exercise of %s (see 'chanlab list')\n",
			want, p->name);
		pack_free(own);
		return EXIT_USAGE;
	}
	app_harness_include(app, harness, sizeof(harness));
	env.harness_include = harness;
	snprintf(cache, sizeof(cache), "%s/build/verify", app->home);
	if (fs_mkdirs(cache) < 0) {
		fprintf(stderr, "chanlab: %s\n", err_msg());
		pack_free(own);
		return EXIT_ERROR;
	}
	/* the objects of the pack's own sources, named by all that goes into
	 * them: shared by the starter's, the solution's and every wrong
	 * solution's builds */
	snprintf(objects, sizeof(objects), "%s/objects", cache);
	env.objects = objects;
	res = calloc(p->nex ? p->nex : 1, sizeof(*res));
	seconds = calloc(p->nex ? p->nex : 1, sizeof(*seconds));
	verify_all(&env, cache, p, only, res, (int)jobs);

	meta = calloc(p->nex ? p->nex : 1, sizeof(*meta));
	for (size_t i = 0; i < p->nex; i++)
		if (res[i].done && !p->ex[i].error && !verify_meta(p, i, meta[i], sizeof(meta[i])))
			res[i].loads = false;
	printf("%-36s %-6s %-8s %-9s %-6s %-6s %-6s %s\n", "exercise", "loads", "starter", "solution", "asan", "tsan",
	       "wrong", "time");
	for (size_t i = 0; i < p->nex; i++) {
		const struct pack_exercise *ex = &p->ex[i];
		const struct vres *r = &res[i];
		char id[300], sol[16], wrong[32];

		if (!r->done)
			continue;
		total++;
		snprintf(id, sizeof(id), "%s/%s", ex->track, ex->id);
		snprintf(sol, sizeof(sol), "%d/%d", r->solution_passes, SOLUTION_RUNS);
		snprintf(wrong, sizeof(wrong), "%d/%d", r->wrong_caught, r->wrong_total);
		printf("%-36s %-6s %-8s %-9s %-6s %-6s %-6s %5.1f s\n", id, r->loads ? "ok" : "BROKEN",
		       !r->starter_fails || r->starter_sound ? mark(r->starter_fails, r->loads, "fails", "PASSES") : "UNSOUND",
		       r->starter_fails ? sol : "-",
		       mark(r->asan_clean, r->solution_passes == SOLUTION_RUNS, "clean", "DIRTY"),
		       mark(r->tsan_clean, r->asan_clean, "clean", "DIRTY"),
		       r->tsan_clean ? wrong : "-", r->seconds);
		if (!vres_ok(r))
			failed++;
		seconds[nsec++] = r->seconds;
	}
	/* the details, the unsound exercises' last: where a log's tail shows them */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < p->nex; i++)
			if (res[i].done && vres_ok(&res[i]) == (pass == 0))
				verify_detail(&p->ex[i], &res[i], meta[i]);
	if (nsec) {
		qsort(seconds, nsec, sizeof(*seconds), cmp_double);
		printf("\nmedian %.1f s per exercise, slowest %.1f s\n", seconds[nsec / 2], seconds[nsec - 1]);
	}
	printf("\n%zu of %zu exercises verified in %.1f s%s", total - failed, total, clock_now() - start,
	       failed ? "; not sound:" : ": every one is sound");
	for (size_t i = 0; i < p->nex; i++)
		if (res[i].done && !vres_ok(&res[i]))
			printf(" %s/%s", p->ex[i].track, p->ex[i].id);
	putchar('\n');
	free(res);
	free(meta);
	free(seconds);
	pack_free(own);
	return failed ? EXIT_NOTPASS : EXIT_PASS;
}

/* --- chanlab new ------------------------------------------------------------ */

static int write_new(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fs_write(path, text, strlen(text));
}

static const char exercise_tmpl[] =
	"-- %s: one line on what this exercise teaches.\n"
	"return {\n"
	"  title = \"%s\",\n"
	"  track = \"%s\",\n"
	"  difficulty = 1,\n"
	"  files = { \"%s.c\" },\n"
	"  -- headers the learner reads but does not edit: copied read-only beside\n"
	"  -- their files (verify checks they exist)\n"
	"  headers = { \"%s.h\" },\n"
	"  topics = { \"arrays\" },   -- searchable in the shell\n"
	"  after = {},                -- ids of exercises of this pack to do first\n"
	"  time = 10,                 -- expected minutes\n"
	"  learn = {},                -- \"learn more\" references: URLs or book sections\n"
	"  -- starter_compiles = false, -- only when the lesson is a compile error\n"
	"  -- uses = { \"fakeclock\" },    -- pack libraries (lib/fakeclock/) compiled in\n"
	"  -- The pack's grading policy (pack.lua's defaults) applies; an exercise\n"
	"  -- may say otherwise:\n"
	"  -- sanitizers = { \"asan\", \"tsan\" }, -- every harness's cases also run under these\n"
	"  -- leakcheck = false,           -- no goroutine leak check\n"
	"  -- max_failures = 10,           -- failed expectations listed per test\n"
	"  -- Wrong solutions live in wrong/NAME/: each file replaces solution/'s,\n"
	"  -- with one /* wrong: KIND */ marker on the line the failure is reported\n"
	"  -- at (or /* wrong: KIND anywhere */); 'chanlab verify' checks them.\n"
	"  text = [[\n"
	"# %s\n"
	"\n"
	"Say what the learner builds and why it matters, with a short Go\n"
	"snippet if it helps. Then say exactly what to finish:\n"
	"\n"
	"Finish `%s.c`: `%s_sum(xs, n)` returns the sum of the n numbers in xs.\n"
	"]],\n"
	"  hints = {\n"
	"    { on = \"build\", text = \"Read the first compiler error: it names the file and line.\" },\n"
	"    { on = \"test\", text = \"Each failing test names the line of the harness that expected something else.\" },\n"
	"    { test = \"several\", text = \"A hint aimed at one test: shown when that test fails.\" },\n"
	"    \"Add xs[i] to a running total for every i from 0 to n - 1.\",\n"
	"  },\n"
	"  check = function(c)\n"
	"    local t = c:build{ harness = \"%s_test.c\" }\n"
	"    -- every case in its own process, then under the policy's sanitizers\n"
	"    local r = c:run_tests(t, { timeout = 5 })\n"
	"    -- a harness case's CL_METRIC(\"name\", n) is r.metrics.name here, to grade\n"
	"    -- with a message of your own: c:test(\"at most 3 in flight\", r.metrics.peak <= 3, \"...\")\n"
	"  end,\n"
	"}\n";

static const char header_tmpl[] =
	"/* %s.h: what the learner implements (the harness includes it too). */\n"
	"#ifndef %s_H\n#define %s_H\n\n"
	"/* The sum of the n numbers in xs (0 when n is 0). */\n"
	"long %s_sum(const int *xs, int n);\n\n#endif\n";

static const char starter_tmpl[] =
	"/* %s: see the exercise text (chanlab shows it). */\n"
	"#include \"%s.h\"\n\n"
	"long %s_sum(const int *xs, int n)\n{\n"
	"\t(void)xs, (void)n;\n"
	"\treturn 0;   /* TODO */\n}\n";

static const char solution_tmpl[] =
	"/* %s: the reference solution. Replace it with the real one; until then\n"
	" * 'chanlab verify' reports that the solution fails. */\n"
	"#include \"%s.h\"\n\n"
	"long %s_sum(const int *xs, int n)\n{\n"
	"\t(void)xs, (void)n;\n"
	"\treturn 0;   /* TODO: the reference solution */\n}\n";

static const char wrong_tmpl[] =
	"/* Stops one short: the last number is never added. */\n"
	"#include \"%s.h\"\n\n"
	"long %s_sum(const int *xs, int n)\n{\n"
	"\tlong s = 0;\n\n"
	"\tfor (int i = 0; i < n - 1; i++)   /* wrong: test anywhere */\n"
	"\t\ts += xs[i];\n"
	"\treturn s;\n}\n";

static const char harness_tmpl[] =
	"/* %s_test.c: instructor tests, one process per CL_TEST (see docs/authoring.md). */\n"
	"#include <chanlab_test.h>\n\n"
	"#include \"%s.h\"\n\n"
	"CL_TEST(empty) {\n\tCL_EXPECT_INT(%s_sum(NULL, 0), 0);\n}\n\n"
	"CL_TEST(one_number) {\n\tint xs[] = { 7 };\n\n\tCL_EXPECT_INT(%s_sum(xs, 1), 7);\n}\n\n"
	"CL_TEST(several) {\n\tint xs[] = { 1, 2, 3, 4 };\n\n\tCL_EXPECT_INT(%s_sum(xs, 4), 10);\n"
	"\tCL_LOG(\"summed four numbers\");   /* a note shown with the result */\n"
	"\t/* CL_METRIC(\"name\", n) hands the check script a number: r.metrics.name */\n}\n";

static int cmd_new(struct app *app, const struct cmd_args *a)
{
	const char *id = a->argv[0], *slash = strchr(id, '/'), *packdir = NULL;
	char track[128], slug[128], dir[PATH_MAX + 300], sol[PATH_MAX + 320], wrong[PATH_MAX + 330], up[128];
	char buf[16384];
	struct pack *p = NULL;
	bool known = false;
	int rc = EXIT_ERROR;

	if (!slash || slash == id || !slash[1] || strchr(slash + 1, '/') || (size_t)(slash - id) >= sizeof(track) ||
	    strlen(slash + 1) >= sizeof(slug)) {
		fprintf(stderr, "chanlab: usage: chanlab new TRACK/SLUG (for example concurrency/worker-pool)\n");
		return EXIT_USAGE;
	}
	snprintf(track, sizeof(track), "%.*s", (int)(slash - id), id);
	snprintf(slug, sizeof(slug), "%s", slash + 1);
	for (const char *s = slug; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) {
			fprintf(stderr, "chanlab: the slug '%s' may hold only a-z, 0-9 and '-'\n", slug);
			return EXIT_USAGE;
		}
	if (!cmd_flag(a, "--pack=", &packdir))
		packdir = access("pack.lua", F_OK) == 0 ? "." : app->pack_dir;
	if (pack_load(&p, packdir) < 0) {
		fprintf(stderr, "chanlab: %s\n", err_msg());
		return EXIT_ERROR;
	}
	for (size_t i = 0; p->tracks[i]; i++)
		known = known || strcmp(p->tracks[i], track) == 0;
	if (!known) {
		fprintf(stderr, "chanlab: the pack in '%s' has no track '%s' (add it to pack.lua's tracks)\n", packdir, track);
		rc = EXIT_USAGE;
		goto out;
	}
	if (pack_find(p, slug)) {
		fprintf(stderr, "chanlab: the pack in '%s' already has an exercise '%s'\n", packdir, slug);
		rc = EXIT_USAGE;
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s/%s/%s", packdir, track, slug);
	snprintf(sol, sizeof(sol), "%s/solution", dir);
	/* a C name from the slug: list-remove -> list_remove */
	snprintf(up, sizeof(up), "%s", slug);
	for (char *s = up; *s; s++)
		if (*s == '-')
			*s = '_';
	if (fs_mkdirs(sol) < 0)
		goto fail;
	snprintf(buf, sizeof(buf), exercise_tmpl, slug, slug, track, slug, slug, slug, slug, up, slug);
	if (write_new(dir, "exercise.lua", buf) < 0)
		goto fail;
	{
		char guard[128], hname[160];

		snprintf(guard, sizeof(guard), "%s", up);
		for (char *s = guard; *s; s++)
			if (*s >= 'a' && *s <= 'z')
				*s = (char)(*s - 'a' + 'A');
		snprintf(buf, sizeof(buf), header_tmpl, slug, guard, guard, up);
		snprintf(hname, sizeof(hname), "%s.h", slug);
		if (write_new(dir, hname, buf) < 0)
			goto fail;
		snprintf(hname, sizeof(hname), "%s.c", slug);
		snprintf(buf, sizeof(buf), starter_tmpl, hname, slug, up);
		if (write_new(dir, hname, buf) < 0)
			goto fail;
		snprintf(buf, sizeof(buf), solution_tmpl, hname, slug, up);
		if (write_new(sol, hname, buf) < 0)
			goto fail;
		snprintf(wrong, sizeof(wrong), "%s/wrong/off-by-one", dir);
		snprintf(buf, sizeof(buf), wrong_tmpl, slug, up);
		if (fs_mkdirs(wrong) < 0 || write_new(wrong, hname, buf) < 0)
			goto fail;
		snprintf(hname, sizeof(hname), "%s_test.c", slug);
		snprintf(buf, sizeof(buf), harness_tmpl, slug, slug, up, up, up);
		if (write_new(dir, hname, buf) < 0)
			goto fail;
	}
	printf("created %s/\n"
	       "  exercise.lua      metadata, text, hints and the check\n"
	       "  %s.c, %s.h   the starter the learner edits\n"
	       "  %s_test.c    instructor tests (never copied to the learner)\n"
	       "  solution/%s.c  the reference solution: write it, then\n"
	       "  wrong/off-by-one/  a wrong solution verify must see fail\n\n"
	       "  chanlab verify %s\n", dir, slug, slug, slug, slug, packdir);
	rc = EXIT_PASS;
	goto out;
fail:
	fprintf(stderr, "chanlab: %s\n", err_msg());
out:
	pack_free(p);
	return rc;
}

const struct cmd cmd_author[] = {
	{ "verify", "chanlab verify [--jobs=N] [--pack=DIR | PACK] [ID]", "prove an exercise pack (or one exercise) correct",
	  "For each exercise of the bundled pack, of the pack in folder PACK (or\n"
	  "DIR; relative or absolute; or the pack of that name found on\n"
	  "$CHANLAB_PATH or in the packs folder), or just its exercise ID: its\n"
	  "script loads; its starter does not pass, yet compiles (unless\n"
	  "starter_compiles = false); its solution passes every test and\n"
	  "benchmark five times in a row; the solution is clean when every\n"
	  "program is built with ASan+UBSan and again with TSan; each wrong\n"
	  "solution (wrong/NAME/) fails as its /* wrong: KIND */ marker says;\n"
	  "every 'after' names an exercise of the pack, in no cycle, and every\n"
	  "header exists. Prints a table, then per exercise which tests the\n"
	  "starter fails and what went wrong, then the median seconds per\n"
	  "exercise.\n"
	  "Builds are cached in <home>/build/verify.\n\n"
	  "  --jobs=N     verify N exercises at a time (default: one per CPU)\n"
	  "  --pack=DIR   verify the pack in DIR, as 'chanlab verify DIR' does\n\n"
	  "Exit status: 0 every exercise is sound, 1 one is not, 2 bad usage.\n",
	  (const char *const[]){ "--jobs=", NULL }, 0, 2, false, cmd_verify },
	{ "new", "chanlab new [--pack=DIR] TRACK/SLUG", "scaffold a new exercise in a pack",
	  "Creates TRACK/SLUG in the pack (the one in the current folder if it has\n"
	  "a pack.lua, else the bundled one, or DIR): exercise.lua, a starter .c and\n"
	  ".h, a C test harness and solution/. The starter fails its tests; once\n"
	  "the solution is written, 'chanlab verify' passes. See docs/authoring.md.\n\n"
	  "  --pack=DIR   the pack to add the exercise to\n",
	  (const char *const[]){ "--pack=", NULL }, 1, 1, false, cmd_new },
	{ .name = NULL },
};
