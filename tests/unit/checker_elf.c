/* checker/elf: constructors and symbols read from objects the real compiler
 * makes, and damaged files refused without a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fs.h"
#include "checker/elf.h"
#include "tests/tap.h"

static char dir[256];

/* Compiles text into dir/name.o; the object's path in path. */
static void object(char *path, size_t size, const char *name, const char *text)
{
	char src[512];

	snprintf(src, sizeof(src), "%s/%s.c", dir, name);
	fs_write(src, text, strlen(text));
	snprintf(path, size, "%s/%s.o", dir, name);
	sh("cc -O2 -c -o '%s' '%s' 2>&1", path, src);
}

struct count {
	const char *prefix;
	int local_funcs, global_defined, undefined;
	bool saw;
	const char *want;
};

static int counter(const struct elf_sym *s, void *payload)
{
	struct count *c = payload;

	if (c->prefix && strncmp(s->name, c->prefix, strlen(c->prefix)) == 0 && s->function && !s->global)
		c->local_funcs++;
	if (s->global && s->defined)
		c->global_defined++;
	if (!s->defined)
		c->undefined++;
	if (c->want && strcmp(s->name, c->want) == 0 && s->defined)
		c->saw = true;
	return 0;
}

static int stop_at_first(const struct elf_sym *s, void *payload)
{
	(void)s;
	++*(int *)payload;
	return 7;
}

int main(void)
{
	char plain[512], ctor[512], section[512], dtor[512], cases[512], bad[512];
	struct count c = { 0 };
	int n = 0, fini;

	plan(14);
	snprintf(dir, sizeof(dir), "%s/chanlab-elf-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	object(plain, sizeof(plain), "plain", "#include <stdio.h>\nint add(int a, int b) { return a + b; }\n"
	       "void hello(void) { puts(\"hi\"); }\n");
	object(ctor, sizeof(ctor), "ctor", "int x;\n__attribute__((constructor)) static void early(void) { x = 1; }\n");
	object(section, sizeof(section), "section", "static void early(void) {}\n"
	       "__attribute__((used, section(\".init_array\"))) static void (*p)(void) = early;\n");
	object(dtor, sizeof(dtor), "dtor", "int z;\n__attribute__((destructor)) static void late(void) { z = 2; }\n");
	object(cases, sizeof(cases), "cases", "static int k;\n"
	       "__attribute__((noinline)) static void cl_test_a(void) { k++; }\n"
	       "__attribute__((noinline)) static void cl_test_b(void) { k += 2; }\n"
	       "__attribute__((noinline)) static void cl_bench_c(void) { k += 3; }\n"
	       "void run(int i) { if (i == 1) cl_test_a(); else if (i == 2) cl_test_b(); else cl_bench_c(); }\n");

	is_int(elf_constructors(plain, &fini), 0, "a plain object has no constructor");
	is_int(elf_constructors(ctor, &fini), 1, "__attribute__((constructor)) is seen");
	is_int(elf_constructors(section, &fini), 1, "a pointer put in .init_array by hand is seen");
	ok(elf_constructors(dtor, &fini) == 0 && fini == 1, "a destructor is seen too, as one run after main");

	c.want = "add";
	is_int(elf_symbols(plain, false, counter, &c), 0, "every symbol of an object is visited");
	ok(c.saw && c.global_defined == 2, "the object defines add and hello (%d defined)", c.global_defined);
	ok(c.undefined >= 1, "puts is undefined in it (%d undefined)", c.undefined);

	memset(&c, 0, sizeof(c));
	c.prefix = "cl_";
	elf_symbols(cases, false, counter, &c);
	is_int(c.local_funcs, 3, "static test and benchmark functions are counted by prefix");

	memset(&c, 0, sizeof(c));
	c.want = "snprintf";
	ok(elf_symbols("/lib/x86_64-linux-gnu/libc.so.6", true, counter, &c) == 0 && c.saw,
	   "libc's dynamic symbols include snprintf");

	is_int(elf_symbols(plain, false, stop_at_first, &n), 7, "a callback's non-zero value ends the walk");
	is_int(n, 1, "and no symbol is visited after it");

	snprintf(bad, sizeof(bad), "%s/bad.o", dir);
	fs_write(bad, "not an object", 13);
	is_int(elf_constructors(bad, &fini), -1, "a file that is not ELF is refused");
	{
		size_t len;
		char *s = fs_read(plain, &len);

		fs_write(bad, s, 200);
		free(s);
	}
	is_int(elf_symbols(bad, false, counter, &c), -1, "a truncated object is refused, not followed");
	is_int(elf_constructors("/nonexistent/x.o", &fini), -1, "a missing file is an error");
	fs_rmtree(dir);
	return done();
}
