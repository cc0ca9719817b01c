/* stats_main.c: the program chanlab runs under valgrind's memcheck for
 * uninitialised: it summarises a few batches of readings and prints them. */
#include <stdio.h>

#include <go.h>

#include "stats.h"

static void show(const char *name, const int *ms, int n, int limit)
{
	struct stats st = stats_of(ms, n, limit);

	printf("%s: %d readings, %ld ms in all, the slowest %d ms, %d over %d ms\n",
	       name, st.count, st.total, st.slowest, st.slow, limit);
}

int go_main(int argc, char **argv)
{
	const int morning[] = { 12, 250, 40, 99, 101, 7 };
	const int night[] = { 3, 4, 2 };

	(void)argc;
	(void)argv;
	show("morning", morning, 6, 100);
	show("night", night, 3, 100);
	show("holiday", NULL, 0, 100);
	return 0;
}
