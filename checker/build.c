/*
 * build — the compiler invocation for each flavour; see build.h.
 *
 * The command line is: $CC <flavour flags> -I<rt_include> [-I...] sources
 * <rt_libdir>/<flavour>/libchanlabrt.a -pthread -o output. It runs through
 * proc_run, so a compiler that hangs is stopped like any other program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/build.h"
#include "checker/err.h"
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

int build_run(struct build_result *res, const struct build_opts *o)
{
	const struct build_flavour *f = build_flavour_find(o->flavour ? o->flavour : "normal");
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;
	const char *cc = getenv("CC");
	char rtinc[4096], rtlib[4096];
	const char **argv;
	size_t n = 0, nmax;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (!f)
		return err_set("unknown build flavour '%s'", o->flavour);
	if (!cc || !*cc)
		cc = "cc";
	nmax = 8 + count(f->cflags) + 2 * count(o->includes) + count(o->sources);
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
	argv[n++] = "-pthread";
	argv[n++] = "-o";
	argv[n++] = o->output;

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
