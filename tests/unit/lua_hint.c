/* lua/pack: pack_hint_for, the one rule both front ends pick a hint by (its test, its kind, else a general hint that says it is not an answer). */
#include <stddef.h>

#include "checker/kind.h"
#include "lua/pack.h"
#include "tests/tap.h"

static char general1[] = "general one", general2[] = "general two", build1[] = "for builds",
	    build2[] = "for builds again", timeout1[] = "for timeouts", drains1[] = "for drains everything",
	    both1[] = "for a timeout of drains everything", build[] = "build", timeout[] = "timeout",
	    drains[] = "drains everything", san1[] = "for any sanitizer report", uaf1[] = "for a use after free",
	    sanitizer[] = "sanitizer", uaf[] = "use-after-free";

static struct pack_hint memory[] = {
	{ general1, NULL, NULL },
	{ san1, sanitizer, NULL },
	{ uaf1, uaf, NULL },
};

static struct pack_hint hints[] = {
	{ general1, NULL, NULL },
	{ build1, build, NULL },
	{ general2, NULL, NULL },
	{ timeout1, timeout, NULL },
	{ build2, build, NULL },
	{ drains1, NULL, drains },
	{ both1, timeout, drains },
};

static int pick(const struct pack_exercise *ex, const char *kind, const char *test, const int *shown, size_t n,
		bool *matched)
{
	struct pack_failure f = { test ? test : "some test", kind };

	return pack_hint_for(ex, &f, 1, shown, n, matched);
}

int main(void)
{
	struct pack_exercise ex = { .hints = hints, .nhints = sizeof(hints) / sizeof(hints[0]) };
	struct pack_exercise none = { .hints = NULL, .nhints = 0 };
	struct pack_exercise aimed = { .hints = &hints[3], .nhints = 1 };
	struct pack_failure two[] = { { "drains everything", "crash" }, { "other", "build" } };
	int shown[] = { 1, 0 };
	bool m = false;

	struct pack_exercise mem = { .hints = memory, .nhints = sizeof(memory) / sizeof(memory[0]) };

	plan(29);
	is_int(pick(&ex, "build", NULL, NULL, 0, &m), 1, "the first hint whose on is the failure's kind");
	ok(m, "and it answers the failure");
	is_int(pick(&ex, kind_name(KIND_TIMEOUT), NULL, NULL, 0, &m), 3, "whatever its place");
	is_int(pick(&ex, "crash", NULL, NULL, 0, &m), 0, "else the first general hint");
	ok(!m, "which is not presented as an answer");
	is_int(pack_hint_for(&ex, NULL, 0, NULL, 0, &m), 0, "no failure: the first general hint");
	is_int(pick(&ex, "build", NULL, shown, 1, &m), 4, "shown hints are left out: the next for that kind");
	is_int(pick(&ex, "build", NULL, (int[]){ 1, 4 }, 2, &m), 0, "then the general ones");
	ok(!m, "not as an answer");
	is_int(pick(&ex, "build", NULL, (int[]){ 1, 4, 0, 2 }, 4, &m), -1, "none left: -1");
	is_int(pick(&aimed, "crash", NULL, NULL, 0, &m), -1, "a hint aimed at another kind never answers");
	is_int(pick(&ex, "crash", "drains everything", NULL, 0, &m), 5, "a hint aimed at the failing test answers it");
	ok(m, "as an answer");
	is_int(pick(&ex, "timeout", "drains everything", (int[]){ 5 }, 1, &m), 3,
	       "then one aimed at its kind, in the list's order");
	is_int(pick(&ex, "timeout", "drains everything", (int[]){ 5, 3 }, 2, &m), 6,
	       "one aimed at a kind and a test answers that test's failure of that kind");
	is_int(pack_hint_for(&ex, two, 2, (int[]){ 5 }, 1, &m), 1, "failures in turn: the second's kind");
	ok(pack_hint_for(&none, two, 2, shown, 2, &m) == -1, "an exercise without hints has none");
	is_int(pick(&ex, "sanitizer", "drains everything (TSan)", NULL, 0, &m), 5,
	       "a hint aimed at a test answers that case in a sanitizer pass");
	ok(pack_same_test("drains everything", "drains everything (ASan)"), "the ASan pass's case is the same test");
	ok(!pack_same_test("drains everything", "drains everything twice"), "a longer name is another test");
	ok(!pack_same_test("drains everything", "drains"), "so is a shorter one");
	ok(pack_same_test("drains everything", "drains everything (TSan)"), "and the TSan pass's is the same");
	ok(!pack_same_test("drains everything", "drains everything (fast)") &&
	   !pack_same_test("drains everything", "drains everything ()") &&
	   !pack_same_test("drains everything", "drains everything (ASan"),
	   "a note in brackets that names no pass makes another test");
	is_int(pick(&mem, "use-after-free", NULL, NULL, 0, &m), 2, "the hint aimed at the failure's very kind first");
	is_int(pick(&mem, "use-after-free", NULL, (int[]){ 2 }, 1, &m), 1,
	       "then one aimed at its family: a use after free is a sanitizer failure");
	ok(m, "which answers it");
	is_int(pick(&mem, "overflow", NULL, NULL, 0, &m), 1, "an overflow gets the sanitizer hint");
	is_int(pick(&mem, "overflow", NULL, (int[]){ 1 }, 1, &m), 0, "never the use-after-free one");
	ok(!m, "and the general hint after it is no answer");
	return done();
}
