/*
 * app — locating chanlab's files and running a recorded check; see app.h.
 *
 * Where things are, decided from the executable's own location:
 *   installed:  <prefix>/bin/chanlab, <prefix>/share/chanlab/exercises,
 *               <prefix>/lib/chanlab/{include,rt}
 *   checkout:   <root>/build/chanlab, <root>/exercises, <root>/runtime,
 *               <root>/build/rt
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/err.h"
#include "checker/fs.h"
#include "data/work.h"
#include "tui/app.h"

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
	char exe[PATH_MAX], *bindir, *up;
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

int app_open(struct app **out, const char *home_opt)
{
	struct app *app = calloc(1, sizeof(*app));

	*out = NULL;
	if (!app)
		return err_set("out of memory");
	if (locate(app) < 0 || !(app->home = home_dir(home_opt)))
		goto fail;
	if (pack_load(&app->pack, app->pack_dir) < 0)
		goto fail;
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
	snap_free(app->snap);
	store_free(app->store);
	pack_free(app->pack);
	free(app->home), free(app->pack_dir), free(app->rt_include), free(app->rt_libdir);
	free(app);
}

int app_open_record(struct app *app)
{
	char path[PATH_MAX];

	if (app->store && app->snap)
		return 0;
	snprintf(path, sizeof(path), "%s/work", app->home);
	if (fs_mkdirs(path) < 0)
		return -1;
	if (!app->snap && snap_open(&app->snap, path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/progress.db", app->home);
	if (!app->store && store_open(&app->store, path) < 0)
		return -1;
	return 0;
}

void app_workdir(const struct app *app, const struct pack_exercise *ex, char *buf, size_t size)
{
	snprintf(buf, size, "%s/work/%s", app->home, ex->id);
}

int app_check(struct app *app, const struct pack_exercise *ex, struct check_verdict *v, char commit[41])
{
	struct check_env env = { .rt_include = app->rt_include, .rt_libdir = app->rt_libdir };
	struct store_attempt a = { .exercise = ex->id };
	char workdir[PATH_MAX], builddir[PATH_MAX], message[256];
	char *json;
	int passed = 0;

	memset(v, 0, sizeof(*v));
	if (app_open_record(app) < 0)
		return -1;
	app_workdir(app, ex, workdir, sizeof(workdir));
	snprintf(builddir, sizeof(builddir), "%s/build/%s", app->home, ex->id);
	if (work_prepare(workdir, ex->dir, ex->files) < 0)
		return -1;
	env.workdir = workdir;
	env.builddir = builddir;
	if (check_run(v, ex, &env) < 0)
		return -1;
	for (size_t i = 0; i < v->ntests; i++)
		passed += v->tests[i].status == CHECK_PASS;
	snprintf(message, sizeof(message), "%s: %s (%d of %zu tests passed)\n", ex->id,
		 check_status_name(v->status), passed, v->ntests);
	json = check_verdict_json(v, ex->id);
	if (!json)
		return err_set("out of memory");
	/* The commit comes first: a row always names a commit that exists. */
	if (snap_commit(app->snap, ex->id, message, commit) < 0)
		goto fail;
	a.status = check_status_name(v->status);
	a.passed = passed;
	a.total = (int)v->ntests;
	a.seconds = v->seconds;
	a.result = json;
	a.commit_id = commit;
	if (store_add_attempt(app->store, &a) < 0)
		goto fail;
	free(json);
	return 0;
fail:
	free(json);
	return -1;
}
