/* lua/pack: pack_hint_for, the one rule both front ends pick a hint by (its kind, else a general hint). */
#include <stddef.h>

#include "checker/kind.h"
#include "lua/pack.h"
#include "tests/tap.h"

static char general1[] = "general one", general2[] = "general two", build1[] = "for builds",
	    build2[] = "for builds again", timeout1[] = "for timeouts", build[] = "build", timeout[] = "timeout";

static struct pack_hint hints[] = {
	{ general1, NULL },
	{ build1, build },
	{ general2, NULL },
	{ timeout1, timeout },
	{ build2, build },
};

int main(void)
{
	struct pack_exercise ex = { .hints = hints, .nhints = sizeof(hints) / sizeof(hints[0]) };
	struct pack_exercise none = { .hints = NULL, .nhints = 0 };
	struct pack_exercise aimed = { .hints = &hints[3], .nhints = 1 };
	int shown[] = { 1, 0 };

	plan(9);
	is_int(pack_hint_for(&ex, "build", NULL, 0), 1, "the first hint whose on is the failure's kind");
	is_int(pack_hint_for(&ex, kind_name(KIND_TIMEOUT), NULL, 0), 3, "whatever its place");
	is_int(pack_hint_for(&ex, "crash", NULL, 0), 0, "else the first general hint");
	is_int(pack_hint_for(&ex, NULL, NULL, 0), 0, "no kind: the first general hint");
	is_int(pack_hint_for(&ex, "build", shown, 1), 4, "shown hints are left out: the next for that kind");
	is_int(pack_hint_for(&ex, "build", (int[]){ 1, 4 }, 2), 0, "then the general ones");
	is_int(pack_hint_for(&ex, "build", (int[]){ 1, 4, 0, 2 }, 4), -1, "none left that answers it: -1");
	is_int(pack_hint_for(&aimed, "crash", NULL, 0), -1, "a hint aimed at another kind never answers");
	ok(pack_hint_for(&none, "build", shown, 2) == -1, "an exercise without hints has none");
	return done();
}
