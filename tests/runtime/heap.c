/*
 * heap.c — known allocations for the heap profile's test (tests/prof.t):
 * big() allocates three times the bytes small() does, and keeps a quarter
 * of them; small() frees everything.
 */
#include <stdio.h>
#include <stdlib.h>

#include "go.h"

static void *kept[1000];

/* Through volatile pointers: the compiler may not drop an allocation it
 * can see is unused (gcc -O2 does, for malloc/free pairs). */
static void *(*volatile alloc)(size_t) = malloc;
static void (*volatile release)(void *) = free;

static __attribute__((noinline)) void big(int n)
{
	for (int i = 0; i < n; i++) {
		char *p = alloc(3000);

		p[0] = 1;
		if (i % 4 == 0)
			kept[i / 4] = p;
		else
			release(p);
	}
}

static __attribute__((noinline)) void small(int n)
{
	for (int i = 0; i < n; i++) {
		char *p = alloc(1000);

		p[0] = 1;
		release(p);
	}
}

int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	big(4000);
	small(4000);
	puts("done");
	return 0;
}
