/*
 * build — the compiler invocations for each flavour; see build.h.
 *
 * Without the cache, one command: $CC <flavour flags> -I<rt_include> [-I...]
 * sources <rt_libdir>/<flavour>/libchanlabrt.a <flags> -pthread -o output.
 * With it, each source becomes an object named by the hash of everything
 * that goes into it (kept in <output>.objs), so an instructor harness that
 * did not change is not compiled again, and then one link; a key over the
 * whole build in <output>.key skips even that. Every command runs through
 * proc_run, so a compiler that hangs is stopped like any other program.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "checker/build.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/proc.h"

#define FLAGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct build_flavour flavours[] = {
	{ "normal", FLAGS("-O2", "-g"), "optimised, as benchmarks run" },
	{ "debug", FLAGS("-O0", "-g3"), "no optimisation, full debug information" },
	{ "asan", FLAGS("-O1", "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
			"-fno-sanitize-recover=undefined"), "AddressSanitizer and UndefinedBehaviorSanitizer" },
	{ "tsan", FLAGS("-O1", "-g", "-fsanitize=thread"), "ThreadSanitizer" },
};

const struct build_flavour *build_flavour_find(const char *name)
{
	for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++)
		if (strcmp(flavours[i].name, name) == 0)
			return &flavours[i];
	return NULL;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* --- the build cache ------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t hash_file(uint64_t h, const char *cwd, const char *path)
{
	char full[8192];
	size_t len;
	char *s;

	if (path[0] != '/' && cwd)
		snprintf(full, sizeof(full), "%s/%s", cwd, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	h = fnv(h, full, strlen(full) + 1);
	s = fs_read(full, &len);
	if (!s)
		return fnv(h, "missing", 7);
	h = fnv(h, s, len);
	free(s);
	return h;
}

/* Every header in dir (not below it): what the sources may include. */
static uint64_t hash_headers(uint64_t h, const char *cwd, const char *dir)
{
	char full[4096];
	struct dirent **names;
	int n;

	if (dir[0] != '/' && cwd)
		snprintf(full, sizeof(full), "%s/%s", cwd, dir);
	else
		snprintf(full, sizeof(full), "%s", dir);
	n = scandir(full, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 2 && strcmp(names[i]->d_name + len - 2, ".h") == 0) {
			char path[8192];

			snprintf(path, sizeof(path), "%s/%s", full, names[i]->d_name);
			h = hash_file(h, NULL, path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return h;
}

static uint64_t build_key(const char *const *argv, const struct build_opts *o, const char *rtlib)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct stat st;

	for (size_t i = 0; argv[i]; i++)
		h = fnv(h, argv[i], strlen(argv[i]) + 1);
	for (size_t i = 0; o->sources[i]; i++) {
		char dir[4096], *slash;

		h = hash_file(h, o->cwd, o->sources[i]);
		snprintf(dir, sizeof(dir), "%s", o->sources[i]);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		h = hash_headers(h, o->cwd, slash ? dir : ".");
	}
	for (size_t i = 0; o->includes && o->includes[i]; i++)
		h = hash_headers(h, o->cwd, o->includes[i]);
	h = hash_headers(h, o->cwd, o->rt_include);
	if (stat(rtlib, &st) == 0) {
		h = fnv(h, &st.st_size, sizeof(st.st_size));
		h = fnv(h, &st.st_mtim, sizeof(st.st_mtim));
	}
	return h;
}

/* Runs one compiler command; appends its messages to log. 0 when it ran
 * (*ok says whether it succeeded), -1 when it could not run (err_msg). */
static int run_cc(const char *const *argv, const struct build_opts *o, const char *cc, struct buf *log,
		  bool *ok, double *seconds)
{
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;

	po.argv = argv;
	po.cwd = o->cwd;
	po.timeout = o->timeout > 0 ? o->timeout : 60;
	po.output_cap = 256u << 10;
	if (proc_run(&pr, &po) < 0)
		return -1;
	*ok = !pr.timed_out && pr.signal == 0 && pr.status == 0;
	*seconds += pr.seconds;
	if (pr.status == 127 && !pr.signal)
		buf_printf(log, "cannot run the C compiler '%s'\n", cc);
	else
		buf_add(log, pr.err, pr.err_len), buf_add(log, pr.out, pr.out_len);
	if (pr.timed_out)
		buf_puts(log, "\nthe compiler timed out and was stopped\n");
	proc_result_release(&pr);
	return 0;
}

static bool is_link_flag(const char *flag)
{
	return strncmp(flag, "-Wl,", 4) == 0;
}

/* Compiles each source to an object named by the hash of everything that
 * goes into it (so an unchanged instructor harness is compiled once), then
 * links. The objects of the last build are kept in <output>.objs. */
static int build_objects(struct build_result *res, const struct build_opts *o, const struct build_flavour *f,
			 const char *cc, const char *rtinc, const char *rtlib)
{
	size_t nsrc = count(o->sources), nflags = count(o->flags);
	size_t nmax = 12 + count(f->cflags) + 2 * count(o->includes) + nflags + nsrc;
	const char **argv = calloc(nmax, sizeof(*argv));
	char (*objs)[4300] = calloc(nsrc + 1, sizeof(*objs));
	char objdir[4200], tmp[4400];
	struct buf log = BUF_INIT;
	bool ok = true;
	int rc = -1;

	if (!argv || !objs) {
		err_set("out of memory");
		goto out;
	}
	snprintf(objdir, sizeof(objdir), "%s.objs", o->output);
	if (fs_mkdirs(objdir) < 0)
		goto out;
	for (size_t i = 0; i < nsrc && ok; i++) {
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t n = 0;
		char dir[4096], *slash;

		argv[n++] = "/usr/bin/env";
		argv[n++] = cc;
		for (size_t k = 0; f->cflags[k]; k++)
			argv[n++] = f->cflags[k];
		argv[n++] = rtinc;
		for (size_t k = 0; k < count(o->includes); k++) {
			argv[n++] = "-I";
			argv[n++] = o->includes[k];
		}
		for (size_t k = 0; k < nflags; k++)
			if (!is_link_flag(o->flags[k]))
				argv[n++] = o->flags[k];
		argv[n++] = "-c";
		argv[n++] = o->sources[i];
		for (size_t k = 0; k < n; k++)
			h = fnv(h, argv[k], strlen(argv[k]) + 1);
		h = hash_file(h, o->cwd, o->sources[i]);
		snprintf(dir, sizeof(dir), "%s", o->sources[i]);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		h = hash_headers(h, o->cwd, slash ? dir : ".");
		for (size_t k = 0; o->includes && o->includes[k]; k++)
			h = hash_headers(h, o->cwd, o->includes[k]);
		h = hash_headers(h, o->cwd, o->rt_include);
		snprintf(objs[i], sizeof(objs[i]), "%s/%016llx.o", objdir, (unsigned long long)h);
		if (access(objs[i], R_OK) == 0)
			continue;
		snprintf(tmp, sizeof(tmp), "%s.tmp", objs[i]);
		argv[n++] = "-o";
		argv[n++] = tmp;
		argv[n] = NULL;
		if (run_cc(argv, o, cc, &log, &ok, &res->seconds) < 0)
			goto out;
		if (ok && rename(tmp, objs[i]) < 0) {
			err_sys("cannot keep '%s'", objs[i]);
			goto out;
		}
		unlink(tmp);
	}
	if (ok) {
		size_t n = 0;

		argv[n++] = "/usr/bin/env";
		argv[n++] = cc;
		for (size_t k = 0; f->cflags[k]; k++)
			argv[n++] = f->cflags[k];
		for (size_t i = 0; i < nsrc; i++)
			argv[n++] = objs[i];
		argv[n++] = rtlib;
		for (size_t k = 0; k < nflags; k++)
			if (is_link_flag(o->flags[k]))
				argv[n++] = o->flags[k];
		argv[n++] = "-pthread";
		argv[n++] = "-o";
		argv[n++] = o->output;
		argv[n] = NULL;
		if (run_cc(argv, o, cc, &log, &ok, &res->seconds) < 0)
			goto out;
	}
	/* Only this build's objects stay. */
	{
		struct dirent **names;
		int k = scandir(objdir, &names, NULL, NULL);

		for (int j = 0; j < k; j++) {
			char path[8600];
			bool used = false;

			snprintf(path, sizeof(path), "%s/%s", objdir, names[j]->d_name);
			for (size_t i = 0; i < nsrc; i++)
				used = used || strcmp(path, objs[i]) == 0;
			if (!used && names[j]->d_name[0] != '.')
				unlink(path);
			free(names[j]);
		}
		if (k >= 0)
			free(names);
	}
	res->ok = ok;
	rc = 0;
out:
	res->log = buf_detach(&log);
	free(objs);
	free(argv);
	return rc;
}

int build_run(struct build_result *res, const struct build_opts *o)
{
	const struct build_flavour *f = build_flavour_find(o->flavour ? o->flavour : "normal");
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;
	const char *cc = getenv("CC");
	char rtinc[4096], rtlib[4096];
	const char **argv;
	size_t n = 0, nmax;
	char keypath[4200], key[32] = "";
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (!f)
		return err_set("unknown build flavour '%s'", o->flavour);
	if (!cc || !*cc)
		cc = "cc";
	nmax = 8 + count(f->cflags) + 2 * count(o->includes) + count(o->sources) + count(o->flags);
	argv = calloc(nmax, sizeof(*argv));
	if (!argv)
		return err_set("out of memory");
	snprintf(rtinc, sizeof(rtinc), "-I%s", o->rt_include);
	snprintf(rtlib, sizeof(rtlib), "%s/%s/libchanlabrt.a", o->rt_libdir, f->name);

	argv[n++] = "/usr/bin/env";     /* finds $CC on PATH like a shell would */
	argv[n++] = cc;
	for (size_t i = 0; f->cflags[i]; i++)
		argv[n++] = f->cflags[i];
	argv[n++] = rtinc;
	for (size_t i = 0; i < count(o->includes); i++) {
		argv[n++] = "-I";
		argv[n++] = o->includes[i];
	}
	for (size_t i = 0; o->sources[i]; i++)
		argv[n++] = o->sources[i];
	argv[n++] = rtlib;
	for (size_t i = 0; i < count(o->flags); i++)
		argv[n++] = o->flags[i];
	argv[n++] = "-pthread";
	argv[n++] = "-o";
	argv[n++] = o->output;

	if (o->cache) {
		char *old;

		snprintf(key, sizeof(key), "%016llx\n", (unsigned long long)build_key(argv, o, rtlib));
		snprintf(keypath, sizeof(keypath), "%s.key", o->output);
		old = fs_read(keypath, NULL);
		if (old && strcmp(old, key) == 0 && access(o->output, X_OK) == 0) {
			free(old);
			res->ok = res->cached = true;
			res->log = strdup("");
			rc = 0;
			goto out_free;
		}
		free(old);
		unlink(keypath);
	}

	if (o->cache) {
		if (build_objects(res, o, f, cc, rtinc, rtlib) < 0)
			goto out_free;
		if (res->ok)
			fs_write(keypath, key, strlen(key));
		rc = 0;
		goto out_free;
	}

	po.argv = argv;
	po.cwd = o->cwd;
	po.timeout = o->timeout > 0 ? o->timeout : 60;
	po.output_cap = 256u << 10;
	if (proc_run(&pr, &po) < 0)
		goto out_free;
	res->ok = !pr.timed_out && pr.signal == 0 && pr.status == 0;
	res->seconds = pr.seconds;
	/* The compiler writes diagnostics to stderr; keep both, stderr first. */
	res->log = malloc(pr.err_len + pr.out_len + 64);
	if (res->log) {
		memcpy(res->log, pr.err, pr.err_len);
		memcpy(res->log + pr.err_len, pr.out, pr.out_len + 1);
		if (pr.timed_out)
			strcat(res->log, "\nthe compiler timed out and was stopped\n");
		else if (pr.status == 127)
			snprintf(res->log, pr.err_len + pr.out_len + 64, "cannot run the C compiler '%s'\n", cc);
	}
	proc_result_release(&pr);
	if (o->cache && res->ok)
		fs_write(keypath, key, strlen(key));
	rc = 0;
out_free:
	free(argv);
	return rc;
}

void build_result_release(struct build_result *res)
{
	free(res->log);
	memset(res, 0, sizeof(*res));
}
