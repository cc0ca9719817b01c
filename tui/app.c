/*
 * app — locating chanlab's files and running a recorded check; see app.h.
 *
 * Where things are, decided from the executable's own location:
 *   installed:  <prefix>/bin/chanlab, <prefix>/share/chanlab/exercises,
 *               <prefix>/lib/chanlab/{include,rt}
 *   checkout:   <root>/build/chanlab, <root>/exercises, <root>/runtime,
 *               <root>/build/rt
 * More packs are found on $CHANLAB_PATH and in $XDG_DATA_HOME/chanlab/packs
 * and merged after the bundled one (lua/pack.h), unless --pack names one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "base/str.h"
#include "data/work.h"
#include "tui/app.h"
#include "tui/profiles.h"
#include "tui/cmd.h"

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static char *joined(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s/%s", a, b);
	return s;
}

static int locate(struct app *app)
{
	char exe[PATH_MAX], *bindir, *up, *canon;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return err_sys("cannot find chanlab's own executable");
	exe[n] = '\0';
	bindir = exe;
	*strrchr(exe, '/') = '\0';
	up = joined(bindir, "..");
	if (exists(up, "lib/chanlab/rt")) {
		app->pack_dir = joined(up, "share/chanlab/exercises");
		app->rt_include = joined(up, "lib/chanlab/include");
		app->rt_libdir = joined(up, "lib/chanlab/rt");
	} else if (exists(up, "exercises/pack.lua") && exists(up, "runtime/go.h")) {
		app->pack_dir = joined(up, "exercises");
		app->rt_include = joined(up, "runtime");
		app->rt_libdir = joined(bindir, "rt");
	} else {
		app->pack_dir = strdup(CHANLAB_PREFIX "/share/chanlab/exercises");
		app->rt_include = strdup(CHANLAB_PREFIX "/lib/chanlab/include");
		app->rt_libdir = strdup(CHANLAB_PREFIX "/lib/chanlab/rt");
	}
	free(up);
	/* canonical, as every other pack's folder is (pack_resolve) */
	if (app->pack_dir && (canon = realpath(app->pack_dir, NULL))) {
		free(app->pack_dir);
		app->pack_dir = canon;
	}
	return 0;
}

static char *home_dir(const char *opt)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *abs;

	if (opt) {
		if (fs_mkdirs(opt) < 0)
			return NULL;
		abs = realpath(opt, NULL);
		if (!abs)
			err_sys("cannot use '%s' as chanlab's home", opt);
		return abs;
	}
	if (xdg && xdg[0] == '/')
		return joined(xdg, "chanlab");
	if (home && home[0] == '/')
		return joined(home, ".local/share/chanlab");
	err_set("neither $XDG_DATA_HOME nor $HOME is set: pass --home DIR");
	return NULL;
}

/* Where packs are found beyond the bundled one, in order: each folder of
 * $CHANLAB_PATH, then $XDG_DATA_HOME/chanlab/packs (default
 * ~/.local/share/chanlab/packs), whatever the home. */
static int find_packs(struct app *app)
{
	const char *path = getenv("CHANLAB_PATH"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char dir[PATH_MAX];
	struct buf notes = BUF_INIT;
	int rc = 0;

	for (const char *p = path ? path : ""; *p && rc == 0; ) {
		size_t n = strcspn(p, ":");

		if (n && n < sizeof(dir)) {
			memcpy(dir, p, n);
			dir[n] = '\0';
			rc = pack_add_found(app->pack, dir, &notes);
		}
		p += n + (p[n] == ':');
	}
	if (xdg && xdg[0] == '/')
		snprintf(dir, sizeof(dir), "%s/chanlab/packs", xdg);
	else if (home && home[0] == '/')
		snprintf(dir, sizeof(dir), "%s/.local/share/chanlab/packs", home);
	else
		dir[0] = '\0';
	if (rc == 0 && dir[0])
		rc = pack_add_found(app->pack, dir, &notes);
	if (notes.len) {
		fputs("chanlab: ", stderr);
		cmd_put_shown(stderr, notes.s, notes.len);
	}
	buf_release(&notes);
	return rc;
}

int app_open(struct app **out, const char *home_opt, const char *pack_opt)
{
	struct app *app = calloc(1, sizeof(*app));

	*out = NULL;
	if (!app)
		return err_set("out of memory");
	if (locate(app) < 0 || !(app->home = home_dir(home_opt)))
		goto fail;
	if (pack_opt) {
		/* the author's seat: the pack alone, its ids as they are */
		if (pack_load(&app->pack, pack_opt) < 0)
			goto fail;
		app->one_pack = true;
	} else if (pack_load(&app->pack, app->pack_dir) < 0 || find_packs(app) < 0) {
		goto fail;
	}
	*out = app;
	return 0;
fail:
	app_free(app);
	return -1;
}

void app_free(struct app *app)
{
	if (!app)
		return;
	record_free(app->record);
	pack_free(app->pack);
	free(app->home), free(app->pack_dir), free(app->rt_include), free(app->rt_libdir);
	free(app);
}

int app_open_record(struct app *app)
{
	const char *notice;

	if (app->record)
		return 0;
	if (record_open(&app->record, app->home) < 0)
		return -1;
	app->store = record_store(app->record);
	if (!app->shell && (notice = record_notice(app->record))) {
		fputs("chanlab: ", stderr);
		cmd_put_shown(stderr, notice, strlen(notice));
		fputc('\n', stderr);
	}
	return 0;
}

void app_workdir(const struct app *app, const struct pack_exercise *ex, char *buf, size_t size)
{
	snprintf(buf, size, "%s/work/%s", app->home, ex->key);
}

/* The folder with chanlab_test.h: harness/ in a checkout (beside
 * runtime/), else the installed include folder that also holds go.h. */
void app_harness_include(const struct app *app, char *buf, size_t size)
{
	snprintf(buf, size, "%s/../harness", app->rt_include);
	if (!exists(buf, "chanlab_test.h"))
		snprintf(buf, size, "%s", app->rt_include);
}

/* The folder part of path, in buf. */
static const char *dirname_of(const char *path, char *buf, size_t size)
{
	char *slash;

	snprintf(buf, size, "%s", path);
	if ((slash = strrchr(buf, '/')) && slash != buf)
		*slash = '\0';
	return buf;
}

int app_check(struct app *app, const struct pack_exercise *ex, struct check_verdict *v, char commit[41])
{
	struct check_env env = { .rt_include = app->rt_include, .rt_libdir = app->rt_libdir };
	char workdir[PATH_MAX], builddir[PATH_MAX], harness[PATH_MAX];
	char lockpath[PATH_MAX + 8], lockdir[PATH_MAX], tree[41], profdir[PATH_MAX];
	struct record_entry e;
	struct record_bench *bench;
	char *json;
	int passed = 0, rc, lockfd;

	memset(v, 0, sizeof(*v));
	if (app_open_record(app) < 0)
		return -1;
	app_workdir(app, ex, workdir, sizeof(workdir));
	snprintf(builddir, sizeof(builddir), "%s/build/%s", app->home, ex->key);
	if (work_prepare(workdir, ex->dir, ex->files) < 0 || work_prepare_headers(workdir, ex->dir, ex->headers) < 0 ||
	    app_tooling(app, ex) < 0)
		return -1;
	env.workdir = workdir;
	env.builddir = builddir;
	app_harness_include(app, harness, sizeof(harness));
	env.harness_include = harness;
	/* Two chanlab windows checking one exercise share its build folder:
	 * one waits for the other (the kernel drops the lock if it dies). */
	snprintf(lockpath, sizeof(lockpath), "%s.lock", builddir);
	if (fs_mkdirs(dirname_of(builddir, lockdir, sizeof(lockdir))) < 0)
		return -1;
	lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lockfd < 0)
		return err_sys("cannot create '%s'", lockpath);
	while (flock(lockfd, LOCK_EX) < 0 && errno == EINTR)
		;
	/* The files are staged before the check reads them, so the attempt
	 * holds exactly what was checked even if the learner saves meanwhile. */
	rc = app->no_record ? 0 : record_stage(app->record, ex->key, tree);
	/* the profiles and traces it takes are kept for the views (tui/profiles.h) */
	if (profiles_begin(app->home, ex->key, profdir, sizeof(profdir)) == 0)
		env.profdir = profdir;
	env.profile_all = app->profile_all;
	env.sched = app->sched;
	env.on_test = app->on_test;
	env.on_pass = app->on_pass;
	env.on_run = app->on_run;
	env.on_run_arg = app->on_run_arg;
	env.run_args = app->run_args;
	env.no_passes = app->no_record;
	if (rc == 0)
		rc = check_run(v, ex, &env);
	if (env.profdir && profiles_end(app->home, ex->key) < 0 && rc == 0)
		fprintf(stderr, "chanlab: the profiles were not kept: %s\n", err_msg());
	close(lockfd);
	if (rc < 0)
		return -1;
	if (app->no_record) {
		memset(commit, 0, 41);
		return 0;
	}
	for (size_t i = 0; i < v->ntests; i++)
		passed += v->tests[i].status == CHECK_PASS;
	json = check_verdict_json(v, ex->id);
	if (!json)
		return err_set("out of memory");
	/* Benchmark figures: the learner's ns/op, and its ratio to the reference. */
	bench = calloc(v->nbenches + 1, sizeof(*bench));
	if (!bench) {
		free(json);
		return err_set("out of memory");
	}
	for (size_t i = 0; i < v->nbenches; i++)
		bench[i] = (struct record_bench){ v->benches[i].name, v->benches[i].ns_op, "ns/op",
						  v->benches[i].ratio };
	/* One step that cannot lose either: the commit (carrying the verdict)
	 * first, then the row; see data/record.h. */
	rc = record_attempt(app->record, &(struct record_verdict){
		.exercise = ex->key, .status = check_status_name(v->status),
		.passed = passed, .total = (int)v->ntests, .seconds = v->seconds, .result = json,
		.bench = bench, .nbench = v->nbenches, .tree = tree,
	}, &e);
	free(bench);
	free(json);
	if (rc < 0)
		return -1;
	memcpy(commit, e.commit, 41);
	return 0;
}

/* --- the record, for front ends --------------------------------------------- */

int app_history(struct app *app, const struct pack_exercise *ex, struct record_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (app_open_record(app) < 0)
		return -1;
	return record_history(app->record, ex->key, out, n);
}

int app_last_result(struct app *app, const struct pack_exercise *ex, struct record_entry *entry, char **json)
{
	*json = NULL;
	if (app_open_record(app) < 0)
		return -1;
	return record_last_result(app->record, ex->key, entry, json);
}

/* Fills side for "starter", "solution", "work" or an entry; entry holds the found one. */
static int app_side(struct app *app, const struct pack_exercise *ex, const char *which,
		    struct record_side *side, struct record_entry *entry, char *dir, size_t size)
{
	memset(side, 0, sizeof(*side));
	if (strcmp(which, "starter") == 0) {
		side->dir = ex->dir;
		side->files = ex->files;
		side->label = "starter";
	} else if (strcmp(which, "solution") == 0) {
		snprintf(dir, size, "%s/solution", ex->dir);
		side->dir = dir;
		side->files = ex->files;
		side->label = "reference";
	} else if (strcmp(which, "work") == 0) {
		app_workdir(app, ex, dir, size);
		if (access(dir, F_OK) < 0)
			return err_set("you have no files for '%s' yet: checking it makes your copy of the starter",
				       ex->id);
		side->dir = dir;
		side->label = "your files";
	} else {
		if (record_find(app->record, ex->key, which, entry) < 0)
			return -1;
		side->commit = entry->commit;
		side->label = which;
	}
	return 0;
}

int app_diff(struct app *app, const struct pack_exercise *ex, const char *from, const char *to, struct buf *out)
{
	struct record_side a, b;
	struct record_entry ea, eb;
	char da[PATH_MAX], db[PATH_MAX];

	if (app_open_record(app) < 0 ||
	    app_side(app, ex, from, &a, &ea, da, sizeof(da)) < 0 ||
	    app_side(app, ex, to, &b, &eb, db, sizeof(db)) < 0)
		return -1;
	return record_diff(app->record, ex->key, &a, &b, out);
}

int app_restore(struct app *app, const struct pack_exercise *ex, const char *which, struct record_entry *saved)
{
	struct record_entry e;
	char workdir[PATH_MAX];

	if (app_open_record(app) < 0 || record_find(app->record, ex->key, which, &e) < 0)
		return -1;
	app_workdir(app, ex, workdir, sizeof(workdir));
	return record_restore(app->record, ex->key, workdir, e.commit, saved);
}

int app_reset(struct app *app, const struct pack_exercise *ex, struct record_entry *saved)
{
	char workdir[PATH_MAX];

	if (app_open_record(app) < 0)
		return -1;
	app_workdir(app, ex, workdir, sizeof(workdir));
	return record_reset(app->record, ex->key, workdir, ex->dir, ex->files, saved);
}

/* The instructor's files of ex: the regular files at the top of its folder
 * that are neither its script nor a learner's file (harnesses, headers). */
static char **instructor_files(const struct pack_exercise *ex)
{
	DIR *d = opendir(ex->dir);
	struct dirent *e;
	char **v = calloc(65, sizeof(*v));
	size_t n = 0;

	while (d && v && (e = readdir(d)) && n < 64) {
		struct stat st;
		char path[PATH_MAX];
		bool learner = strcmp(e->d_name, "exercise.lua") == 0 || e->d_name[0] == '.';

		for (char *const *f = ex->files; f && *f && !learner; f++)
			learner = strcmp(*f, e->d_name) == 0;
		if (learner || fs_join(path, sizeof(path), ex->dir, e->d_name) < 0 || stat(path, &st) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		v[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	return v;
}

int app_tooling(struct app *app, const struct pack_exercise *ex)
{
	char dir[PATH_MAX], harness[PATH_MAX];
	const char *inc[] = { app->rt_include, harness, NULL };
	struct work_tooling t = { .text = ex->text, .includes = inc, .tests_from = ex->dir, .files = ex->files };
	char **tests;
	int rc;

	app_workdir(app, ex, dir, sizeof(dir));
	app_harness_include(app, harness, sizeof(harness));
	if (strcmp(harness, app->rt_include) == 0)
		inc[1] = NULL;
	if (!(t.tests = tests = instructor_files(ex)))
		return err_set("out of memory");
	rc = work_tooling(dir, &t);
	str_list_free(tests);
	return rc;
}

int app_hint(struct app *app, const struct pack_exercise *ex, int which)
{
	if (app_open_record(app) < 0)
		return -1;
	return record_hint(app->record, ex->key, which);
}

int app_hints(struct app *app, const struct pack_exercise *ex, int *which, size_t max, size_t *n)
{
	size_t k = 0;

	*n = 0;
	if (!record_exists(app->home))
		return 0;
	if (app_open_record(app) < 0 || record_hints(app->record, ex->key, which, max, n) < 0)
		return -1;
	/* a hint the pack no longer has (it was edited) is not shown */
	for (size_t i = 0; i < *n; i++)
		if (which[i] >= 0 && (size_t)which[i] < ex->nhints)
			which[k++] = which[i];
	*n = k;
	return 0;
}

int app_progress(struct app *app, const struct pack_exercise *ex, struct record_progress *out)
{
	memset(out, 0, sizeof(*out));
	if (app_open_record(app) < 0)
		return -1;
	return record_progress(app->record, ex->key, out);
}
