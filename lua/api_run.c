/*
 * api_run — the author functions that make and run programs: c:build and
 * c:run; see check_int.h and docs/authoring.md.
 *
 * Data model: c:build copies the learner's files (or the exercise's
 * solution/) alone into a fresh src-<who><n> folder under the build folder,
 * compiles them with the pack's instructor files into <flavour>/<prog|ref><n>
 * and returns a struct program as userdata, the only thing c:run and the
 * harness functions accept. A failed build is a failing test whose name
 * ("build (asan)") ctx->failed_build keeps, so that later failures are
 * skips. Every run, c:run's or a harness's, goes through api_run_program:
 * the argument and environment lists are userdata and strings on the Lua
 * stack, the result a struct proc_result the caller releases before it
 * returns to Lua, after copying what the script sees into a table.
 *
 * The learner's files reach the build folder through
 * api_files_read_learner: a symbolic link or anything but a regular file
 * inside the learner's folder is a failed build that names it, and nothing
 * is read through it.
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

/* --- c:build ---------------------------------------------------------------- */

/* c:build{ flavour = "normal", extra = { "util.c" }, harness = "queue_test.c",
 *          solution = false }
 * Compiles the learner's C files (or, with solution = true, the exercise's
 * solution/) with instructor files from the pack. Returns a program, or nil
 * after recording a failing "build (<flavour>)" test with the compiler's
 * messages. */
static int api_build(lua_State *L)
{
	static const char *const wrap[] = {
		"-Wl,--wrap=malloc", "-Wl,--wrap=calloc", "-Wl,--wrap=realloc", "-Wl,--wrap=free",
		"-Wl,--wrap=strdup", "-Wl,--wrap=strndup", NULL,
	};
	struct check_ctx *c = check_ctx_of(L);
	struct build_opts bo = BUILD_OPTS_INIT;
	struct build_result br;
	const char **extra = NULL, **sources, *harness = NULL, *includes[4], *flags[12];
	size_t nfl = 0;
	size_t nfiles = 0, nextra = 0, n = 0, ni = 0, nlearner;
	struct program *prog;
	struct check_test *t;
	bool solution = c->env->solution;
	char dir[4096], name[64], test[64], soldir[4096], srcdir[4200];

	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		bo.flavour = check_opt_str(L, 2, "flavour", "normal");
		extra = check_opt_strv(L, 2, "extra");
		harness = check_opt_str(L, 2, "harness", NULL);
		solution = solution || check_opt_bool(L, 2, "solution");
	}
	if (!build_flavour_find(bo.flavour))
		return luaL_error(L, "unknown build flavour '%s' (normal, debug, asan, tsan)", bo.flavour);
	if (c->env->flavour)
		bo.flavour = c->env->flavour;
	while (c->ex->files[nfiles])
		nfiles++;
	while (extra && extra[nextra])
		nextra++;
	sources = lua_newuserdatauv(L, (nfiles + nextra + 2) * sizeof(*sources), 0);
	if (fs_join(soldir, sizeof(soldir), c->ex->dir, "solution") < 0)
		return luaL_error(L, "%s", err_msg());
	for (size_t i = 0; i < nfiles; i++) {
		size_t len = strlen(c->ex->files[i]);

		if (len > 2 && strcmp(c->ex->files[i] + len - 2, ".c") == 0)
			sources[n++] = c->ex->files[i];   /* relative: messages name the learner's file */
	}
	nlearner = n;
	for (size_t i = 0; i < nextra; i++) {
		check_rel(L, "extra file", extra[i]);
		lua_pushfstring(L, "%s/%s", c->ex->dir, extra[i]);
		if (access(lua_tostring(L, -1), R_OK) < 0)
			return luaL_error(L, "extra file '%s' is not in the exercise folder %s", extra[i], c->ex->dir);
		sources[n++] = lua_tostring(L, -1);   /* anchored on the stack */
	}
	if (harness) {
		check_rel(L, "harness", harness);
		lua_pushfstring(L, "%s/%s", c->ex->dir, harness);
		if (access(lua_tostring(L, -1), R_OK) < 0)
			return luaL_error(L, "harness '%s' is not in the exercise folder %s", harness, c->ex->dir);
		sources[n++] = lua_tostring(L, -1);
	}
	sources[n] = NULL;
	/* Instructor files are named as in the pack ("queue_test.c:12"), not by
	 * where the pack happens to be installed. */
	flags[nfl++] = lua_pushfstring(L, "-ffile-prefix-map=%s/=", c->ex->dir);
	for (size_t i = 0; harness && wrap[i]; i++)
		flags[nfl++] = wrap[i];
	flags[nfl] = NULL;

	if (fs_join(dir, sizeof(dir), c->env->builddir, bo.flavour) < 0 || fs_mkdirs(dir) < 0)
		return luaL_error(L, "%s", err_msg());
	/* The learner's files are copied alone into a folder of their own, so a
	 * header or test file the learner adds cannot shadow the pack's. */
	snprintf(name, sizeof(name), "src-%s%d", solution ? "ref" : "learner", c->nbuilds + 1);
	if (fs_join(srcdir, sizeof(srcdir), c->env->builddir, name) < 0)
		return luaL_error(L, "%s", err_msg());
	fs_rmtree(srcdir);
	if (fs_mkdirs(srcdir) < 0)
		return luaL_error(L, "%s", err_msg());
	for (size_t i = 0; i < nfiles; i++) {
		struct buf text = BUF_INIT;
		char from[8192], to[8192];

		if (fs_join(from, sizeof(from), soldir, c->ex->files[i]) < 0 ||
		    fs_join(to, sizeof(to), srcdir, c->ex->files[i]) < 0)
			return luaL_error(L, "%s", err_msg());
		if (solution) {
			if (fs_copy(from, to) < 0)
				return luaL_error(L, "%s", err_msg());
			continue;
		}
		/* The learner's: a regular file in their folder, or a failed build
		 * that says what it is instead; never read through a link. */
		if (api_files_read_learner(c->env->workdir, c->ex->files[i], &text) < 0) {
			snprintf(test, sizeof(test), "build (%s)", bo.flavour);
			t = check_add_test(c->v, test, CHECK_FAIL, err_msg(), "", 0);
			if (t)
				t->hint_on = strdup(kind_name(KIND_BUILD));
			snprintf(c->failed_build, sizeof(c->failed_build), "%s", test);
			buf_release(&text);
			lua_pushnil(L);
			return 1;
		}
		if (fs_write(to, text.s ? text.s : "", text.len) < 0) {
			buf_release(&text);   /* before luaL_error can raise */
			return luaL_error(L, "%s", err_msg());
		}
		buf_release(&text);
	}
	/* and reports name them as the learner knows them: "./list.c:22" */
	flags[nfl++] = lua_pushfstring(L, "-fdebug-prefix-map=%s=.", srcdir);
	flags[nfl] = NULL;
	snprintf(name, sizeof(name), "%s%d", solution ? "ref" : "prog", ++c->nbuilds);
	prog = lua_newuserdatauv(L, sizeof(*prog), 0);
	if (fs_join(prog->path, sizeof(prog->path), dir, name) < 0)
		return luaL_error(L, "%s", err_msg());
	snprintf(prog->flavour, sizeof(prog->flavour), "%s", bo.flavour);
	prog->harness = harness != NULL;
	prog->solution = solution;
	luaL_setmetatable(L, PROGRAM_META);

	includes[ni++] = c->ex->dir;
	if (c->env->harness_include)
		includes[ni++] = c->env->harness_include;
	includes[ni] = NULL;
	bo.sources = sources;
	bo.includes = includes;
	bo.rt_include = c->env->rt_include;
	bo.rt_libdir = c->env->rt_libdir;
	bo.output = prog->path;
	bo.cwd = srcdir;
	bo.flags = flags;
	bo.cache = true;
	/* In a harness build the learner's files come first, and are guarded:
	 * no code of theirs may run before go_main or replace the C library. */
	bo.nguarded = harness ? nlearner : 0;
	if (build_run(&br, &bo) < 0)
		return luaL_error(L, "%s", err_msg());
	snprintf(test, sizeof(test), "build (%s%s)", bo.flavour, solution && !c->env->solution ? ", reference" : "");
	if (!br.ok) {
		t = check_add_test(c->v, test, CHECK_FAIL, solution && !c->env->solution ?
			     "the reference solution does not compile: the exercise is broken, tell its author" :
			     br.refused ? "your code compiles, but a test harness cannot run with it: see why below" :
			     "your code does not compile: fix the first error below", br.log, br.seconds);
		if (t)
			t->hint_on = strdup(kind_name(KIND_BUILD));
		snprintf(c->failed_build, sizeof(c->failed_build), "%s", test);
		build_result_release(&br);
		lua_pushnil(L);
		return 1;
	}
	t = check_add_test(c->v, test, CHECK_PASS, "", "", br.seconds);
	build_result_release(&br);   /* before luaL_error can raise */
	if (!t)
		return luaL_error(L, "out of memory");
	return 1;
}

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
int api_run_program(lua_State *L, struct check_ctx *c, const struct run_spec *s, struct proc_result *pr)
{
	const char *const *fenv = reports_flavour_env(s->prog->flavour);
	struct proc_opts po = PROC_OPTS_INIT;
	size_t nargs = 0, nenv = 0, nf = 0, k = 0;
	const char **argv, **env;

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
	env = lua_newuserdatauv(L, (nenv + nf + 3) * sizeof(*env), 0);
	for (size_t i = 0; i < nf; i++)
		env[k++] = fenv[i];
	for (size_t i = 0; i < nenv; i++)
		env[k++] = s->env[i];
	if (s->profile)
		env[k++] = api_profile_env(s->profile);
	env[k] = NULL;
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
	po.fetch = s->profile ? api_profile_file(s->profile) : NULL;
	/* Sanitizers reserve terabytes of address space: they get RSS limits instead. */
	if (strcmp(s->prog->flavour, "asan") != 0 && strcmp(s->prog->flavour, "tsan") != 0)
		po.mem = s->mem;
	if (proc_run(pr, &po) < 0)
		return -1;
	lua_pop(L, 2 + s->valgrind);
	if (*pr->note)
		c->note = pr->note;
	return 0;
}

/* c:run(program, { args = {...}, stdin = "...", env = { "K=V" }, timeout = 5,
 *                  cpu = 5, memory = 1024, processes = 256, output = 1048576,
 *                  disk = 128, valgrind = false, profile = "cpu"|"trace" })
 * Runs a built program, sandboxed, and returns a table: ok, status, signal,
 * timed_out, disk_full, stdout, stderr, truncated, seconds, cpu_seconds, max_rss_kb,
 * how (a sentence), note, reports (parsed sanitizer and runtime reports),
 * report (the first one, or nil) and, with profile, the profile or the
 * trace's facts (see lua/api_profile.c), or profile_error. */
static int api_run(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	struct run_spec s = RUN_SPEC_INIT;
	struct report_list reps = REPORT_LIST_INIT;
	struct proc_result pr;
	size_t len = 0;
	double disk;

	if (lua_isnil(L, 2)) {
		push_skipped(L, "was not run: it did not build");
		return 1;
	}
	s.prog = luaL_checkudata(L, 2, PROGRAM_META);
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		s.valgrind = check_opt_bool(L, 3, "valgrind");
		if (s.valgrind && (strcmp(s.prog->flavour, "asan") == 0 || strcmp(s.prog->flavour, "tsan") == 0))
			return luaL_error(L, "valgrind runs only programs of the normal or debug flavour");
		if (s.valgrind && access("/usr/bin/valgrind", X_OK) < 0)
			return luaL_error(L, "valgrind is not installed (/usr/bin/valgrind)");
		s.args = check_opt_strv(L, 3, "args");
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
		if (s.profile && (s.valgrind || strcmp(s.prog->flavour, "asan") == 0 ||
				  strcmp(s.prog->flavour, "tsan") == 0))
			return luaL_error(L, "a profile needs a program of the normal or debug flavour, not under valgrind");
	}
	if (api_run_program(L, c, &s, &pr) < 0)
		return luaL_error(L, "%s", err_msg());
	reports_parse(c, &reps, &pr);
	push_result(L, &pr, &reps);
	if (s.profile)
		api_profile_result(L, s.profile, &pr);
	report_list_release(&reps);
	proc_result_release(&pr);
	return 1;
}

const luaL_Reg api_run_lib[] = {
	{ "build", api_build },
	{ "run", api_run },
	{ NULL, NULL },
};
