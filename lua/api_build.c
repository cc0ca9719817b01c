/*
 * api_build — the author function that makes programs: c:build; see
 * check_int.h and docs/authoring.md.
 *
 * Data model: a build compiles one set of the exercise's files — the
 * learner's, the reference solution's (solution/) or the starter's (the
 * exercise folder's own copies) — with the instructor's files (extra
 * sources, a harness) and the pack libraries the exercise uses (lib/NAME/
 * or lib/NAME.c), against the runtime of one flavour. The set is copied
 * alone into a fresh src-<who><n> folder under the build folder, so
 * nothing else in the learner's folder can shadow the pack's files, and
 * compiled into <flavour>/<prog|ref|start><n>. The learner's files reach
 * that folder through api_files_read_learner: a symbolic link or anything
 * but a regular file is a failed build that names it, and nothing is read
 * through it.
 *
 * The result is a struct program as userdata (the only thing c:run and
 * the harness functions accept) whose user value is a copy of the options
 * it was built with: a sanitizer pass (lua/api_passes.c) builds the same
 * thing again in another flavour from them (api_build_again). Each build
 * declares the test "build (<flavour>[, <label>])", the label naming what
 * was built when it is not the learner's own code: "reference",
 * "starter", or the script's `name`. A failed build is a failing test
 * whose name ctx->failed_build keeps, so that later failures are skips.
 *
 * Objects: the learner's files are compiled into objects of their own
 * program; the instructor's files and the libraries into a folder shared
 * by every build of the flavour (<flavour>/shared.objs, or the env's
 * objects/<flavour>), so the learner's build, the reference's and a
 * starter's compile a harness or a library once (checker/build.c's object
 * cache).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/build.h"
#include "checker/kind.h"
#include "lua/check_int.h"

enum { MAX_SOURCES = 256 };   /* the learner's, the instructor's and the libraries' .c files */

/* What c:build was asked for. Strings stay alive in the options table. */
struct build_spec {
	const char *flavour;
	const char **extra;      /* NULL-terminated, or NULL */
	const char *harness;     /* or NULL */
	const char *name;        /* the script's name for it, or NULL */
	enum program_role role;
};

/* A build's name may be shown in a test's name: a short plain word or two. */
static bool good_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 40)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr(" _-.", *s)))
			return false;
	return true;
}

/* Reads c:build's options from the table at idx (0: none) into *bs. Raises
 * (the script's line) on an option that is wrong. */
static void spec_read(lua_State *L, struct check_ctx *c, int idx, struct build_spec *bs)
{
	bool solution = false, starter = false;

	memset(bs, 0, sizeof(*bs));
	bs->flavour = "normal";
	if (idx) {
		bs->flavour = check_opt_str(L, idx, "flavour", "normal");
		bs->extra = check_opt_strv(L, idx, "extra");
		bs->harness = check_opt_str(L, idx, "harness", NULL);
		bs->name = check_opt_str(L, idx, "name", NULL);
		solution = check_opt_bool(L, idx, "solution");
		starter = check_opt_bool(L, idx, "starter");
	}
	if (!build_flavour_find(bs->flavour))
		luaL_error(L, "unknown build flavour '%s' (normal, debug, asan, tsan)", bs->flavour);
	if (solution && starter)
		luaL_error(L, "a build is of the solution or of the starter, not both");
	if (bs->name && !good_name(bs->name))
		luaL_error(L, "a build's name is 1 to 40 letters, digits, spaces, '_', '-' or '.' (not '%s')", bs->name);
	bs->role = starter ? ROLE_STARTER : solution ? ROLE_SOLUTION : ROLE_LEARNER;
	(void)c;
}

/* The label a program goes by in test names and benchmark messages: the
 * script's name for it, else what it is when it is not the learner's own
 * code ("reference", "starter"), else "". */
static const char *program_label(const struct check_ctx *c, const struct build_spec *bs)
{
	if (bs->name)
		return bs->name;
	if (bs->role == ROLE_STARTER)
		return "starter";
	if (bs->role == ROLE_SOLUTION && !c->env->solution)
		return "reference";
	return "";
}

/* Pushes the absolute path of every .c of the library name (each .c in lib/NAME/
 * in name order, or lib/NAME.c) and adds them to sources; a folder
 * library's folder goes to includes. Returns how many it pushed. */
static size_t push_library(lua_State *L, const char *packdir, const char *name, const char **sources,
			   size_t *n, const char **includes, size_t *ni)
{
	struct dirent **names;
	struct stat st;
	size_t pushed = 0;
	const char *dir = lua_pushfstring(L, "%s/lib/%s", packdir, name);
	int k;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		lua_pop(L, 1);
		dir = lua_pushfstring(L, "%s/lib/%s.c", packdir, name);
		if (access(dir, R_OK) < 0) {
			lua_pop(L, 1);
			return 0;   /* a header-only library */
		}
		sources[(*n)++] = dir;
		return 1;
	}
	includes[(*ni)++] = dir;
	pushed++;
	k = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 2 && strcmp(names[i]->d_name + len - 2, ".c") == 0 && names[i]->d_name[0] != '.' &&
		    *n < MAX_SOURCES && lua_checkstack(L, 2)) {
			sources[(*n)++] = lua_pushfstring(L, "%s/%s", dir, names[i]->d_name);
			pushed++;
		}
		free(names[i]);
	}
	if (k >= 0)
		free(names);
	return pushed;
}

/* The pack's folder: the pack the exercise came from, else two folders
 * above the exercise's (<pack>/<track>/<slug>). */
static const char *pack_dir(lua_State *L, const struct pack_exercise *ex)
{
	const char *d;

	if (ex->pack && ex->pack->dir)
		return ex->pack->dir;
	d = lua_pushfstring(L, "%s/../..", ex->dir);
	return d;
}

/* Copies the set of files bs->role names into srcdir. 0, or -1 after
 * declaring the failed build test (a learner's file that is missing or
 * not a regular file). Raises when a file of the pack cannot be copied. */
static int copy_files(lua_State *L, struct check_ctx *c, const struct build_spec *bs, const char *srcdir,
		      const char *test)
{
	const char *from_dir = bs->role == ROLE_STARTER ? c->ex->dir :
			       bs->role == ROLE_SOLUTION || c->env->solution ? lua_pushfstring(L, "%s/solution", c->ex->dir) :
			       NULL;

	for (size_t i = 0; c->ex->files[i]; i++) {
		struct buf text = BUF_INIT;
		char from[8192], to[8192];
		struct check_test *t;

		if (fs_join(to, sizeof(to), srcdir, c->ex->files[i]) < 0)
			luaL_error(L, "%s", err_msg());
		if (from_dir) {
			if (fs_join(from, sizeof(from), from_dir, c->ex->files[i]) < 0 || fs_copy(from, to) < 0)
				luaL_error(L, "%s", err_msg());
			continue;
		}
		/* The learner's: a regular file in their folder, or a failed build
		 * that says what it is instead; never read through a link. */
		if (api_files_read_learner(c->env->workdir, c->ex->files[i], &text) < 0) {
			t = check_add_test(c->v, test, CHECK_FAIL, err_msg(), "", 0);
			if (t)
				t->hint_on = strdup(kind_name(KIND_BUILD));
			snprintf(c->failed_build, sizeof(c->failed_build), "%s", test);
			buf_release(&text);
			return -1;
		}
		if (fs_write(to, text.s ? text.s : "", text.len) < 0) {
			buf_release(&text);   /* before luaL_error can raise */
			luaL_error(L, "%s", err_msg());
		}
		buf_release(&text);
	}
	return 0;
}

/* Why a build of bs failed, for the learner. */
static const char *failed_message(const struct check_ctx *c, const struct build_spec *bs, bool refused)
{
	if (bs->role == ROLE_SOLUTION && !c->env->solution)
		return "the reference solution does not compile: the exercise is broken, tell its author";
	if (bs->role == ROLE_STARTER)
		return "the exercise's starter does not compile, so it cannot be built for comparison: tell the exercise's author";
	if (refused)
		return "your code compiles, but a test harness cannot run with it: see why below";
	return "your code does not compile: fix the first error below";
}

/* Builds what the options table at opts (0: none) asks for, in flavour
 * (NULL: as asked; a forced flavour, verify's, wins over both), and pushes
 * the program or nil (after declaring the failed build test). */
static int build_with(lua_State *L, struct check_ctx *c, int opts, const char *flavour)
{
	static const char *const wrap[] = {
		"-Wl,--wrap=malloc", "-Wl,--wrap=calloc", "-Wl,--wrap=realloc", "-Wl,--wrap=free",
		"-Wl,--wrap=strdup", "-Wl,--wrap=strndup", "-Wl,--wrap=aligned_alloc",
		"-Wl,--wrap=posix_memalign", "-Wl,--wrap=memalign", NULL,
	};
	static const char *const who[] = { "learner", "ref", "starter" }, *const out[] = { "prog", "ref", "start" };
	struct build_opts bo = BUILD_OPTS_INIT;
	struct build_spec bs;
	struct build_result br;
	const char **sources, **includes, *flags[16], *lflags[2], *packdir, *label;
	size_t nfl = 0, n = 0, ni = 0, nlearner, nuses = 0;
	struct program *prog;
	struct check_test *t;
	char dir[4096], name[64], test[128], srcdir[4200], shared[4200];

	check_stream(c->v);   /* what finished before this build shows while it compiles */
	spec_read(L, c, opts, &bs);
	bo.flavour = c->env->flavour ? c->env->flavour : flavour ? flavour : bs.flavour;
	while (c->ex->uses && c->ex->uses[nuses])
		nuses++;
	sources = lua_newuserdatauv(L, (MAX_SOURCES + 1) * sizeof(*sources), 0);
	includes = lua_newuserdatauv(L, (nuses + 4) * sizeof(*includes), 0);
	for (size_t i = 0; c->ex->files[i] && n < MAX_SOURCES; i++) {
		size_t len = strlen(c->ex->files[i]);

		if (len > 2 && strcmp(c->ex->files[i] + len - 2, ".c") == 0)
			sources[n++] = c->ex->files[i];   /* relative: messages name the learner's file */
	}
	nlearner = n;
	for (size_t i = 0; bs.extra && bs.extra[i]; i++) {
		check_rel(L, "extra file", bs.extra[i]);
		lua_pushfstring(L, "%s/%s", c->ex->dir, bs.extra[i]);
		if (access(lua_tostring(L, -1), R_OK) < 0)
			return luaL_error(L, "extra file '%s' is not in the exercise folder %s", bs.extra[i], c->ex->dir);
		if (n < MAX_SOURCES)
			sources[n++] = lua_tostring(L, -1);   /* anchored on the stack */
	}
	if (bs.harness) {
		check_rel(L, "harness", bs.harness);
		lua_pushfstring(L, "%s/%s", c->ex->dir, bs.harness);
		if (access(lua_tostring(L, -1), R_OK) < 0)
			return luaL_error(L, "harness '%s' is not in the exercise folder %s", bs.harness, c->ex->dir);
		if (n < MAX_SOURCES)
			sources[n++] = lua_tostring(L, -1);
	}
	/* Include folders, in the order a quoted #include searches them after
	 * the including file's own: the exercise's, each folder library's,
	 * the pack's lib/, then chanlab_test.h's (go.h's comes last). */
	packdir = pack_dir(L, c->ex);
	includes[ni++] = c->ex->dir;
	for (size_t i = 0; i < nuses; i++)
		push_library(L, packdir, c->ex->uses[i], sources, &n, includes, &ni);
	if (nuses)
		includes[ni++] = lua_pushfstring(L, "%s/lib", packdir);
	if (c->env->harness_include)
		includes[ni++] = c->env->harness_include;
	includes[ni] = NULL;
	sources[n] = NULL;
	/* Instructor files are named as in the pack ("queue_test.c:12", a
	 * library's "lib/minigc/gc.c:40"), not by where the pack happens to be
	 * installed; the more specific map comes last, and wins. */
	flags[nfl++] = lua_pushfstring(L, "-ffile-prefix-map=%s/=", packdir);
	flags[nfl++] = lua_pushfstring(L, "-ffile-prefix-map=%s/=", c->ex->dir);
	for (size_t i = 0; bs.harness && wrap[i]; i++)
		flags[nfl++] = wrap[i];
	flags[nfl] = NULL;

	if (fs_join(dir, sizeof(dir), c->env->builddir, bo.flavour) < 0 || fs_mkdirs(dir) < 0 ||
	    (c->env->objects ? fs_join(shared, sizeof(shared), c->env->objects, bo.flavour)
			     : fs_join(shared, sizeof(shared), dir, "shared.objs")) < 0)
		return luaL_error(L, "%s", err_msg());
	/* the test's name: "build (asan)", "build (normal, reference)", "build (tsan, fast)" */
	label = program_label(c, &bs);
	if (*label)
		snprintf(test, sizeof(test), "build (%s, %s)", bo.flavour, label);
	else
		snprintf(test, sizeof(test), "build (%s)", bo.flavour);

	/* The files are copied alone into a folder of their own, so a header or
	 * test file the learner adds cannot shadow the pack's. */
	snprintf(name, sizeof(name), "src-%s%d", who[bs.role], c->nbuilds + 1);
	if (fs_join(srcdir, sizeof(srcdir), c->env->builddir, name) < 0)
		return luaL_error(L, "%s", err_msg());
	fs_rmtree(srcdir);
	if (fs_mkdirs(srcdir) < 0)
		return luaL_error(L, "%s", err_msg());
	if (copy_files(L, c, &bs, srcdir, test) < 0) {
		lua_pushnil(L);
		return 1;
	}
	/* and reports name them as the learner knows them: "./list.c:22" */
	lflags[0] = lua_pushfstring(L, "-fdebug-prefix-map=%s=.", srcdir);
	lflags[1] = NULL;
	snprintf(name, sizeof(name), "%s%d", out[bs.role], ++c->nbuilds);
	prog = lua_newuserdatauv(L, sizeof(*prog), 1);
	memset(prog, 0, sizeof(*prog));
	snprintf(prog->label, sizeof(prog->label), "%s", label);
	if (fs_join(prog->path, sizeof(prog->path), dir, name) < 0)
		return luaL_error(L, "%s", err_msg());
	snprintf(prog->flavour, sizeof(prog->flavour), "%s", bo.flavour);
	snprintf(prog->harness_file, sizeof(prog->harness_file), "%s", bs.harness ? bs.harness : "");
	prog->harness = bs.harness != NULL;
	prog->role = bs.role;
	prog->solution = bs.role == ROLE_SOLUTION;
	luaL_setmetatable(L, PROGRAM_META);
	/* what a sanitizer pass needs to build it again: the options, copied */
	lua_newtable(L);
	if (opts) {
		lua_pushnil(L);
		while (lua_next(L, opts)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -4);
		}
	}
	lua_setiuservalue(L, -2, 1);

	bo.sources = sources;
	bo.includes = includes;
	bo.rt_include = c->env->rt_include;
	bo.rt_libdir = c->env->rt_libdir;
	bo.output = prog->path;
	bo.cwd = srcdir;
	bo.flags = flags;
	bo.learner_flags = lflags;
	bo.nlearner = nlearner;
	bo.shared_objs = shared;
	bo.cache = true;
	/* In a harness build the learner's files come first, and are guarded:
	 * no code of theirs may run before go_main or replace the C library. */
	bo.nguarded = bs.harness ? nlearner : 0;
	if (build_run(&br, &bo) < 0)
		return luaL_error(L, "%s", err_msg());
	if (!br.ok) {
		t = check_add_test(c->v, test, CHECK_FAIL, failed_message(c, &bs, br.refused), br.log, br.seconds);
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

int api_build_again(lua_State *L, struct check_ctx *c, int prog_idx, const char *flavour)
{
	int opts;

	prog_idx = lua_absindex(L, prog_idx);
	lua_getiuservalue(L, prog_idx, 1);
	opts = lua_istable(L, -1) ? lua_gettop(L) : 0;
	return build_with(L, c, opts, flavour);
}

/* c:build{ flavour = "normal", extra = { "util.c" }, harness = "queue_test.c",
 *          solution = false, starter = false, name = nil }
 * Compiles the learner's C files (or, with solution = true, the exercise's
 * solution/; with starter = true, its starter) with instructor files and
 * the libraries the exercise uses. Returns a program, or nil after
 * recording a failing "build (<flavour>[, <label>])" test with the
 * compiler's messages. */
static int api_build(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);

	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TTABLE);
	return build_with(L, c, lua_isnoneornil(L, 2) ? 0 : 2, NULL);
}

const luaL_Reg api_build_lib[] = {
	{ "build", api_build },
	{ NULL, NULL },
};
