/*
 * kind — the table of failure kinds; see kind.h.
 *
 * Data model: one row per enum kind, in enum order (checked by
 * tests/unit/checker_kind.c): the name the verdict JSON and a hint's `on`
 * use, and a line that says what that failure means, for a learner. The
 * order is also the order in which messages list the kinds.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "checker/kind.h"

struct kind_desc {
	const char *name;
	const char *explain;
};

static const struct kind_desc kinds[KIND_COUNT] = {
	[KIND_BUILD] = { "build", "your code does not compile: the compiler's first error names the file and line to fix" },
	[KIND_TEST] = { "test", "your program ran but a test found a wrong result: its message says what was expected" },
	[KIND_CRASH] = { "crash", "your program crashed or exited with an error before it finished its work" },
	[KIND_TIMEOUT] = { "timeout", "your program ran past its time limit and was stopped: something waits forever or loops" },
	[KIND_DEADLOCK] = { "deadlock", "every goroutine was waiting for another one, so none could go on: a deadlock" },
	[KIND_SANITIZER] = { "sanitizer", "a sanitizer caught a memory error, a data race or undefined behaviour in your code" },
	[KIND_BENCHMARK] = { "benchmark", "your code is slower than the budget allows, measured against the reference solution" },
	[KIND_LEAK] = { "leak", "a goroutine your code started was still alive, blocked, when the work was done (a goroutine leak, not a memory leak): something never lets it finish, such as a channel nobody closes or reads, a done signal it ignores or a ticker never stopped; the report shows where it was created and where it waits" },
	[KIND_USE_AFTER_FREE] = { "use-after-free", "your code used memory after it was freed (or a local variable after its block or function ended): something still points at it; use it only before the free, or take what you need first" },
	[KIND_OVERFLOW] = { "overflow", "your code read or wrote past the end (or before the start) of an array or a malloc'd block: check the index and the size against each other" },
	[KIND_BAD_FREE] = { "bad-free", "your code freed a block twice, or freed a pointer malloc never returned: each block is freed exactly once, by its one owner" },
	[KIND_MEMORY_LEAK] = { "memory-leak", "memory your code allocated was never freed: the report shows where it was allocated; whoever owns it last must free it" },
	[KIND_DATA_RACE] = { "data-race", "two threads touched the same memory at the same time and at least one wrote, with nothing ordering them: a mutex, a channel or an atomic must" },
	[KIND_UNDEFINED] = { "undefined", "your code did something C leaves undefined (a signed overflow, a shift too far, a misaligned or NULL access): the result cannot be trusted" },
};

const char *kind_name(enum kind k)
{
	assert((unsigned)k < KIND_COUNT);
	return kinds[k].name;
}

const char *kind_explain(enum kind k)
{
	assert((unsigned)k < KIND_COUNT);
	return kinds[k].explain;
}

int kind_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

enum kind kind_family(enum kind k)
{
	assert((unsigned)k < KIND_COUNT);
	return k >= KIND_USE_AFTER_FREE ? KIND_SANITIZER : k;
}

bool kind_answers(const char *aimed, const char *kind)
{
	int a = kind_lookup(aimed), k = kind_lookup(kind ? kind : kinds[KIND_TEST].name);

	return a >= 0 && k >= 0 && (a == k || (enum kind)a == kind_family((enum kind)k));
}

bool kind_known(const char *name)
{
	return kind_lookup(name) >= 0;
}

void kind_names(struct buf *out)
{
	for (int k = 0; k < KIND_COUNT; k++)
		buf_printf(out, "%s%s", k ? ", " : "", kinds[k].name);
}
