/* checker/build: real compiles per flavour, diagnostics in the caller's
 * paths, and the build cache (nothing recompiled unless an input changed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/build.h"
#include "base/fs.h"
#include "tests/tap.h"

static char dir[256], rtlib[512], rtinc[512], out[512];

static size_t guarded;

static int build(struct build_result *r, const char *flavour, bool cache)
{
	const char *sources[] = { "main.c", NULL };
	struct build_opts o = BUILD_OPTS_INIT;

	o.nguarded = guarded;

	o.flavour = flavour;
	o.sources = sources;
	o.rt_include = rtinc;
	o.rt_libdir = rtlib;
	o.output = out;
	o.cwd = dir;
	o.cache = cache;
	return build_run(r, &o);
}

static void put(const char *name, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fs_write(path, text, strlen(text));
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	char *cwd = getcwd(NULL, 0);
	struct build_result r;

	plan(23);
	snprintf(dir, sizeof(dir), "/tmp/chanlab-build-%d", (int)getpid());
	snprintf(rtlib, sizeof(rtlib), "%s%s%s/rt", b[0] == '/' ? "" : cwd, b[0] == '/' ? "" : "/", b);
	snprintf(rtinc, sizeof(rtinc), "%s/runtime", cwd);
	snprintf(out, sizeof(out), "%s/prog", dir);
	fs_mkdirs(dir);
	put("util.h", "#define ANSWER 42\n");
	put("main.c", "#include <go.h>\n#include \"util.h\"\nint go_main(int argc, char **argv) { (void)argc, (void)argv; return ANSWER - 42; }\n");

	ok(build(&r, "normal", true) == 0 && r.ok && !r.cached, "a program builds");
	build_result_release(&r);
	ok(build(&r, "normal", true) == 0 && r.ok && r.cached, "built again unchanged, it comes from the cache");
	build_result_release(&r);
	put("main.c", "#include <go.h>\n#include \"util.h\"\nint go_main(int argc, char **argv) { (void)argc, (void)argv; return ANSWER - 41; }\n");
	ok(build(&r, "normal", true) == 0 && r.ok && !r.cached, "a changed source is compiled");
	build_result_release(&r);
	put("util.h", "#define ANSWER 41\n");
	ok(build(&r, "normal", true) == 0 && r.ok && !r.cached, "so is a changed header beside it");
	build_result_release(&r);
	ok(build(&r, "normal", true) == 0 && r.cached, "and then it is cached again");
	build_result_release(&r);
	ok(build(&r, "normal", false) == 0 && r.ok && !r.cached, "without cache it always compiles");
	build_result_release(&r);
	ok(build(&r, "debug", true) == 0 && r.ok && !r.cached, "another flavour is another build");
	build_result_release(&r);

	put("main.c", "#include <go.h>\nint go_main(int argc, char **argv) { return argc + ; }\n");
	ok(build(&r, "normal", true) == 0 && !r.ok, "a compile error fails the build");
	ok(!r.refused, "and is not a refusal");
	ok(strncmp(r.log, "main.c:2:", 9) == 0 || strstr(r.log, "\nmain.c:2:"),
	   "and names the file as given, with its line");
	{
		char key[600];

		snprintf(key, sizeof(key), "%s.key", out);
		ok(access(key, F_OK) != 0, "a failed build leaves no cache key behind");
	}
	build_result_release(&r);
	ok(build(&r, "normal", true) == 0 && !r.ok && !r.cached, "a broken file is never served from the cache");
	build_result_release(&r);
	ok(build(&r, "no-such", true) < 0, "an unknown flavour is an error");

	/* Guarded sources (the learner's, in a harness build). */
	put("main.c", "#include <go.h>\nint x;\n__attribute__((constructor)) static void early(void) { x = 1; }\n"
	    "int go_main(int argc, char **argv) { (void)argc, (void)argv; return x - 1; }\n");
	ok(build(&r, "normal", false) == 0 && r.ok, "unguarded, a constructor is fine");
	build_result_release(&r);
	guarded = 1;
	ok(build(&r, "normal", false) == 0 && !r.ok && strstr(r.log, "main.c: has code that runs before or after go_main"),
	   "guarded, a constructor fails the build and is named");
	ok(r.refused, "as a refusal, not a compile error");
	build_result_release(&r);
	ok(build(&r, "normal", true) == 0 && !r.ok, "with the cache too");
	build_result_release(&r);
	put("main.c", "#include <go.h>\n#include <stdio.h>\nFILE *fdopen(int fd, const char *m) { (void)fd, (void)m; return NULL; }\n"
	    "int go_main(int argc, char **argv) { (void)argc, (void)argv; return 0; }\n");
	ok(build(&r, "normal", true) == 0 && !r.ok && strstr(r.log, "main.c: defines 'fdopen', a function of the C library"),
	   "guarded, replacing a C library function fails the build and names it");
	build_result_release(&r);
	put("main.c", "#include <go.h>\nstatic int send(int x) { return x - 1; }\n"
	    "int go_main(int argc, char **argv) { (void)argv; return send(argc); }\n");
	ok(build(&r, "normal", true) == 0 && r.ok, "a static function of the same name is the learner's own business");
	build_result_release(&r);
	put("main.c", "#include <go.h>\nvoid *memcpy(void *d, const void *s, unsigned long n) { (void)s, (void)n; return d; }\n"
	    "int go_main(int argc, char **argv) { (void)argc, (void)argv; return 0; }\n");
	ok(build(&r, "normal", true) == 0 && !r.ok && strstr(r.log, "'memcpy'"), "an IFUNC of the C library counts too");
	build_result_release(&r);
	put("main.c", "#include <go.h>\nint sum(int a, int b) { return a + b; }\n"
	    "int go_main(int argc, char **argv) { (void)argv; return sum(argc, -1); }\n");
	ok(build(&r, "normal", true) == 0 && r.ok, "a guarded source of the learner's own functions builds");
	build_result_release(&r);
	ok(build(&r, "asan", true) == 0 && r.ok, "so it does under ASan, whose own module constructor is allowed");
	build_result_release(&r);
	put("main.c", "#include <go.h>\nint x;\n__attribute__((constructor)) static void early(void) { x = 1; }\n"
	    "int go_main(int argc, char **argv) { (void)argc, (void)argv; return x - 1; }\n");
	ok(build(&r, "tsan", true) == 0 && !r.ok && strstr(r.log, "runs before or after go_main"),
	   "but a constructor of the learner's is refused under TSan too");
	build_result_release(&r);
	guarded = 0;

	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			diag("could not remove the temporary folder");
	}
	free(cwd);
	return done();
}
