/*
 * build — the compiler invocations for each flavour; see build.h.
 *
 * Without the cache, one command: $CC <flavour flags> -I<rt_include> [-I...]
 * sources <rt_libdir>/<flavour>/libchanlabrt.a <flags> -pthread -o output.
 * With it, each source becomes an object named by the hash of everything
 * that goes into it (kept in <output>.objs), so an instructor harness that
 * did not change is not compiled again, and then one link; a key over the
 * whole build in <output>.key skips even that. The objects of the sources
 * that are not the learner's (a harness, a pack's library) may go to a
 * folder shared by every build of the flavour instead (shared_objs): the
 * learner's build and the reference's then compile a harness once, and
 * the flags meant for the learner's files alone (learner_flags, which name
 * the learner's private folder) never reach them. Every command line is
 * written by cc_command, and runs through proc_run, so a compiler that
 * hangs is stopped like any other program.
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
#include "checker/elf.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/proc.h"

#define FLAGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct build_flavour flavours[] = {
	/* frame pointers, as Go keeps them: profiles and tracebacks walk them;
	 * stack-clash protection: a big frame touches its pages in order, so a
	 * goroutine that overflows hits the guard page and is reported */
	{ "normal", FLAGS("-O2", "-g", "-fno-omit-frame-pointer", "-fstack-clash-protection",
			  "-DCHANLAB_FLAVOUR=\"normal\""), "optimised, as benchmarks run", NULL },
	{ "debug", FLAGS("-O0", "-g3", "-fstack-clash-protection", "-DCHANLAB_FLAVOUR=\"debug\""),
	  "no optimisation, full debug information", NULL },
	/* the sanitizer runtimes linked in, not loaded: no relocating of
	 * libasan.so at every start, which costs each test case 20 ms */
	{ "asan", FLAGS("-O1", "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
			"-fno-sanitize-recover=undefined", "-static-libasan", "-static-libubsan",
			"-DCHANLAB_FLAVOUR=\"asan\""),
	  "AddressSanitizer and UndefinedBehaviorSanitizer", "ASan" },
	{ "tsan", FLAGS("-O1", "-g", "-fsanitize=thread", "-fno-omit-frame-pointer", "-DCHANLAB_FLAVOUR=\"tsan\""),
	  "ThreadSanitizer", "TSan" },
};

const struct build_flavour *build_flavour_find(const char *name)
{
	for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++)
		if (strcmp(flavours[i].name, name) == 0)
			return &flavours[i];
	return NULL;
}

const struct build_flavour *build_flavour_labelled(const char *label, size_t len)
{
	for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++)
		if (flavours[i].label && strlen(flavours[i].label) == len && memcmp(flavours[i].label, label, len) == 0)
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

/* path as the compiler, running in cwd (NULL: ours), finds it. 0, or -1
 * (err_msg) when that does not fit in size bytes. */
static int from_cwd(char *buf, size_t size, const char *cwd, const char *path)
{
	if (path[0] != '/' && cwd)
		return fs_join(buf, size, cwd, path);
	if ((size_t)snprintf(buf, size, "%s", path) >= size)
		return err_set("path too long: '%s'", path);
	return 0;
}

static uint64_t hash_file(uint64_t h, const char *cwd, const char *path)
{
	char full[8192];
	size_t len;
	char *s;

	if (from_cwd(full, sizeof(full), cwd, path) < 0)
		return fnv(h, "missing", 7);   /* no file can be read by it */
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

	if (from_cwd(full, sizeof(full), cwd, dir) < 0)
		return h;
	n = scandir(full, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 2 && strcmp(names[i]->d_name + len - 2, ".h") == 0) {
			char path[8192];

			if (fs_join(path, sizeof(path), full, names[i]->d_name) == 0)
				h = hash_file(h, NULL, path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return h;
}

/* A source and the headers beside it. */
static uint64_t hash_source(uint64_t h, const struct build_opts *o, const char *source)
{
	char dir[4096], *slash;

	h = hash_file(h, o->cwd, source);
	snprintf(dir, sizeof(dir), "%s", source);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return hash_headers(h, o->cwd, slash ? dir : ".");
}

/* The headers of the include folders and the runtime's. */
static uint64_t hash_includes(uint64_t h, const struct build_opts *o)
{
	for (size_t i = 0; o->includes && o->includes[i]; i++)
		h = hash_headers(h, o->cwd, o->includes[i]);
	return hash_headers(h, o->cwd, o->rt_include);
}

static uint64_t build_key(const char *const *argv, const struct build_opts *o, const char *rtlib)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct stat st;

	for (size_t i = 0; argv[i]; i++)
		h = fnv(h, argv[i], strlen(argv[i]) + 1);
	for (size_t i = 0; o->sources[i]; i++)
		h = hash_source(h, o, o->sources[i]);
	h = hash_includes(h, o);
	if (stat(rtlib, &st) == 0) {
		h = fnv(h, &st.st_size, sizeof(st.st_size));
		h = fnv(h, &st.st_mtim, sizeof(st.st_mtim));
	}
	return h;
}

/* --- the compiler commands ------------------------------------------------ */

/* What every compiler command of one build shares. */
struct cc {
	const struct build_opts *o;
	const struct build_flavour *f;
	const char *cc;                /* $CC, or "cc" */
	char rtinc[4096];              /* -I<rt_include> */
	char rtlib[4096];              /* <rt_libdir>/<flavour>/libchanlabrt.a */
	const char **argv;             /* the command, with room for the longest */
};

enum cc_step {
	CC_ALL,        /* compile and link the sources in one go */
	CC_COMPILE,    /* compile one source to an object (-c) */
	CC_LINK,       /* link objects with the runtime library */
};

static bool is_link_flag(const char *flag)
{
	return strncmp(flag, "-Wl,", 4) == 0;
}

/* Writes the command for step over the n inputs into c->argv, NULL
 * terminated: $CC <flavour flags> [-I<rt_include> -I <include>...] [<flags
 * not for the linker> [<learner flags>] -c] inputs [<runtime library>
 * <flags (CC_LINK: for the linker only)> -pthread] -o output; the learner
 * flags go to a compile of a learner's source (learner) and to CC_ALL.
 * Returns its length. */
static size_t cc_command(struct cc *c, enum cc_step step, const char *const *inputs, size_t n,
			 const char *output, bool learner)
{
	const struct build_opts *o = c->o;
	const char **argv = c->argv;
	size_t k = 0;

	argv[k++] = "/usr/bin/env";     /* finds $CC on PATH like a shell would */
	argv[k++] = c->cc;
	for (size_t i = 0; c->f->cflags[i]; i++)
		argv[k++] = c->f->cflags[i];
	if (step != CC_LINK) {
		argv[k++] = c->rtinc;
		for (size_t i = 0; i < count(o->includes); i++) {
			argv[k++] = "-I";
			argv[k++] = o->includes[i];
		}
	}
	if (step == CC_COMPILE) {
		for (size_t i = 0; i < count(o->flags); i++)
			if (!is_link_flag(o->flags[i]))
				argv[k++] = o->flags[i];
	}
	if ((step == CC_COMPILE && learner) || step == CC_ALL)
		for (size_t i = 0; i < count(o->learner_flags); i++)
			argv[k++] = o->learner_flags[i];
	if (step == CC_COMPILE)
		argv[k++] = "-c";
	for (size_t i = 0; i < n; i++)
		argv[k++] = inputs[i];
	if (step != CC_COMPILE) {
		argv[k++] = c->rtlib;
		for (size_t i = 0; i < count(o->flags); i++)
			if (step == CC_ALL || is_link_flag(o->flags[i]))
				argv[k++] = o->flags[i];
		argv[k++] = "-pthread";
	}
	argv[k++] = "-o";
	argv[k++] = output;
	argv[k] = NULL;
	return k;
}

/* Runs the command in c->argv; appends its messages to log (stderr first:
 * compilers write diagnostics there). 0 when it ran (*ok says whether it
 * succeeded), -1 when it could not run (err_msg). */
static int run_cc(const struct cc *c, struct buf *log, bool *ok, double *seconds)
{
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;

	po.argv = c->argv;
	po.cwd = c->o->cwd;
	po.timeout = c->o->timeout > 0 ? c->o->timeout : 60;
	po.output_cap = 256u << 10;
	if (proc_run(&pr, &po) < 0)
		return -1;
	*ok = !pr.timed_out && pr.signal == 0 && pr.status == 0;
	*seconds += pr.seconds;
	if (pr.status == 127 && !pr.signal)
		buf_printf(log, "cannot run the C compiler '%s'\n", c->cc);
	else
		buf_add(log, pr.err, pr.err_len), buf_add(log, pr.out, pr.out_len);
	if (pr.timed_out)
		buf_puts(log, "\nthe compiler timed out and was stopped\n");
	proc_result_release(&pr);
	return 0;
}

/* --- guarded sources --------------------------------------------------------
 * A test harness reports over a channel that the learner's code shares its
 * process with. Code that runs before go_main (a constructor) or that
 * replaces a C library function the harness calls could read or forge what
 * the harness says, so a guarded object may have neither. The C library's
 * names are its dynamic symbols, read once from the libc chanlab itself
 * runs with (the one the program links against on this machine). */

struct names {
	char **v;
	size_t n, cap;
};

static int add_libc_name(const struct elf_sym *sym, void *payload)
{
	struct names *ns = payload;

	if (!sym->global || !sym->defined || !sym->function)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 1024;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ns->v = v, ns->cap = cap;
	}
	return (ns->v[ns->n] = strdup(sym->name)) ? (ns->n++, 0) : -1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The path of the C library mapped into this process, from /proc/self/maps. */
static bool libc_path(char *path, size_t size)
{
	char line[4400];
	FILE *f = fopen("/proc/self/maps", "re");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/'), *nl;

		if (!p || (!strstr(p, "/libc.so") && !strstr(p, "/libc-")))
			continue;
		if ((nl = strchr(p, '\n')))
			*nl = '\0';
		found = strlen(p) < size;
		if (found)
			strcpy(path, p);
	}
	if (f)
		fclose(f);
	return found;
}

static bool libc_defines(const char *name)
{
	static struct names libc;
	static bool loaded;
	char path[4096];

	if (!loaded) {
		loaded = true;
		if (libc_path(path, sizeof(path)) && elf_symbols(path, true, add_libc_name, &libc) == 0)
			qsort(libc.v, libc.n, sizeof(*libc.v), cmp_name);
		else
			libc.n = 0;
	}
	return libc.n && bsearch(&name, libc.v, libc.n, sizeof(*libc.v), cmp_name);
}

struct guard {
	const char *source;
	struct buf *log;
	bool *ok;
};

static int guard_symbol(const struct elf_sym *sym, void *payload)
{
	struct guard *g = payload;

	if (sym->global && sym->defined && libc_defines(sym->name)) {
		buf_printf(g->log, "%s: defines '%s', a function of the C library: the test harness "
			   "calls the C library, so your code may not replace it; rename yours or make it static\n",
			   g->source, sym->name);
		*g->ok = false;
	}
	return 0;
}

/* Checks the objects of the guarded sources against baseline, an object
 * compiled the same way from an empty file (a sanitizer's own module
 * constructor is in both); a broken rule is said in log, clears *ok and
 * sets *refused.
 * -1 only if an object cannot be read at all. */
static int guard_objects(const struct build_opts *o, const char *const *objv, const char *baseline,
			 struct buf *log, bool *ok, bool *refused)
{
	int base_fini, base = elf_constructors(baseline, &base_fini);

	if (base < 0)
		return -1;
	for (size_t i = 0; i < o->nguarded && objv[i]; i++) {
		struct guard g = { o->sources[i], log, ok };
		int fini, ctors = elf_constructors(objv[i], &fini);

		if (ctors < 0 || elf_symbols(objv[i], false, guard_symbol, &g) < 0)
			return -1;
		if (ctors > base || fini > base_fini) {
			buf_printf(log, "%s: has code that runs before or after go_main (a constructor, a "
				   "destructor or an .init_array entry): a test harness does not allow it; remove it\n",
				   o->sources[i]);
			*ok = false;
		}
	}
	*refused = !*ok;   /* it is called on a build that compiled */
	return 0;
}

/* The empty file of a guarded build: one initialised global, so that a
 * sanitizer adds all it adds to any object (a constructor, a destructor). */
static const char baseline_text[] = "int chanlab_baseline[4] = { 1 };\n";

static int put_baseline(const char *path)
{
	char *old = fs_read(path, NULL);
	int rc = old && strcmp(old, baseline_text) == 0 ? 0 : fs_write(path, baseline_text, sizeof(baseline_text) - 1);

	free(old);
	return rc;
}

/* Compiles each source to an object named by the hash of everything that
 * goes into it (so an unchanged instructor harness is compiled once), then
 * links. The objects of the last build are kept in <output>.objs, those of
 * the sources after the learner's in shared_objs when it is given. */
static int build_objects(struct build_result *res, struct cc *c, struct buf *log)
{
	const struct build_opts *o = c->o;
	size_t nsrc = count(o->sources), nall = nsrc + (o->nguarded > 0);
	size_t nlearner = o->nlearner && o->nlearner < nsrc ? o->nlearner : nsrc;
	char (*objs)[4300] = calloc(nall + 1, sizeof(*objs));
	const char **objv = calloc(nall + 1, sizeof(*objv));
	char objdir[4200], tmp[4400], baseline[4300];
	const char *shared = o->shared_objs && nlearner < nsrc ? o->shared_objs : NULL;
	bool ok = true;
	int rc = -1;

	if (!objs || !objv) {
		err_set("out of memory");
		goto out;
	}
	snprintf(objdir, sizeof(objdir), "%s.objs", o->output);
	if (fs_mkdirs(objdir) < 0 || (shared && fs_mkdirs(shared) < 0))
		goto out;
	/* Guarded builds also compile an empty file the same way (kept, as a
	 * dot file, beside the objects): what the compiler adds on its own. */
	if (o->nguarded && (fs_join(baseline, sizeof(baseline), objdir, ".baseline.c") < 0 ||
			    put_baseline(baseline) < 0))
		goto out;
	for (size_t i = 0; i < nall && ok; i++) {
		const char *src = i < nsrc ? o->sources[i] : baseline;
		bool mine = i < nlearner || i >= nsrc;   /* the baseline goes with the learner's */
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t n = cc_command(c, CC_COMPILE, &src, 1, tmp, mine);

		for (size_t k = 0; k < n - 2; k++)   /* all but "-o tmp" */
			h = fnv(h, c->argv[k], strlen(c->argv[k]) + 1);
		if (i < nsrc)
			h = hash_includes(hash_source(h, o, src), o);
		else
			h = fnv(h, baseline_text, sizeof(baseline_text));
		snprintf(objs[i], sizeof(objs[i]), "%s/%s%016llx.o", mine || !shared ? objdir : shared,
			 i < nsrc ? "" : ".baseline-", (unsigned long long)h);
		objv[i] = objs[i];
		if (access(objs[i], R_OK) == 0)
			continue;
		/* the command's output; a shared folder may see two builds at once */
		snprintf(tmp, sizeof(tmp), "%s.%d.tmp", objs[i], (int)getpid());
		if (run_cc(c, log, &ok, &res->seconds) < 0)
			goto out;
		if (ok && rename(tmp, objs[i]) < 0) {
			err_sys("cannot keep '%s'", objs[i]);
			goto out;
		}
		unlink(tmp);
	}
	if (ok && o->nguarded && guard_objects(o, objv, objs[nsrc], log, &ok, &res->refused) < 0)
		goto out;
	if (ok) {
		cc_command(c, CC_LINK, objv, nsrc, o->output, false);
		if (run_cc(c, log, &ok, &res->seconds) < 0)
			goto out;
	}
	/* Only this build's objects stay. */
	{
		struct dirent **names;
		int k = scandir(objdir, &names, NULL, NULL);

		for (int j = 0; j < k; j++) {
			char path[8600];
			bool used = false;

			used = fs_join(path, sizeof(path), objdir, names[j]->d_name) < 0;   /* keep what we cannot name */
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
	free(objv);
	free(objs);
	return rc;
}

/* With the cache: nothing to do when the key over the whole build (the
 * command in c->argv and all it reads) is the last good build's, else
 * build_objects and keep the new key. */
static int build_cached(struct build_result *res, struct cc *c, struct buf *log)
{
	const struct build_opts *o = c->o;
	char keypath[4200], key[32], *old;

	snprintf(key, sizeof(key), "%016llx\n", (unsigned long long)build_key(c->argv, o, c->rtlib));
	snprintf(keypath, sizeof(keypath), "%s.key", o->output);
	old = fs_read(keypath, NULL);
	if (old && strcmp(old, key) == 0 && access(o->output, X_OK) == 0) {
		free(old);
		res->ok = res->cached = true;
		return 0;
	}
	free(old);
	unlink(keypath);
	if (build_objects(res, c, log) < 0)
		return -1;
	if (res->ok)
		fs_write(keypath, key, strlen(key));
	return 0;
}

int build_run(struct build_result *res, const struct build_opts *o)
{
	struct cc c = { .o = o, .f = build_flavour_find(o->flavour ? o->flavour : "normal"), .cc = getenv("CC") };
	size_t nsrc = count(o->sources);
	struct buf log = BUF_INIT;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!c.f)
		return err_set("unknown build flavour '%s'", o->flavour);
	if (!c.cc || !*c.cc)
		c.cc = "cc";
	c.argv = calloc(12 + count(c.f->cflags) + 2 * count(o->includes) + count(o->flags) + count(o->learner_flags) + nsrc,
			sizeof(*c.argv));
	if (!c.argv)
		return err_set("out of memory");
	snprintf(c.rtinc, sizeof(c.rtinc), "-I%s", o->rt_include);
	snprintf(c.rtlib, sizeof(c.rtlib), "%s/%s/libchanlabrt.a", o->rt_libdir, c.f->name);
	cc_command(&c, CC_ALL, o->sources, nsrc, o->output, true);
	if (o->cache)
		rc = build_cached(res, &c, &log);
	else if (o->nguarded)
		rc = build_objects(res, &c, &log);
	else
		rc = run_cc(&c, &log, &res->ok, &res->seconds);
	if (rc == 0)
		res->log = buf_detach(&log);
	else
		buf_release(&log);
	free(c.argv);
	return rc;
}

void build_result_release(struct build_result *res)
{
	free(res->log);
	memset(res, 0, sizeof(*res));
}
