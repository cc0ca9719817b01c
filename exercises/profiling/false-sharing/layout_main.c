/* layout_main.c: the layout test (instructor file). Makes arrays of
 * counters for 2 to 9 workers, each after a small allocation of another
 * size so that the arrays start at every offset malloc may give (it
 * aligns to 16 bytes, not 64), and looks at the addresses stats_worker
 * returns: no two workers' counters may touch the same 64-byte cache
 * line. Prints "ok ..." or "shared ..." with the first pair that does,
 * in words for the learner; the check runs it with the allocation
 * profile on, to name the line that allocated the array. */
#include <stdio.h>
#include <stdlib.h>

#include <go.h>

#include "stats.h"

#define LINE 64
#define TRIES 32

struct counters {
	uintptr_t at, end;		/* [at, end) */
};

static struct counters counters_of(struct stats *s, int w)
{
	uintptr_t at = (uintptr_t)stats_worker(s, w);

	return (struct counters){ at, at + sizeof(struct worker_stats) };
}

/* Whether a and b touch a common cache line. */
static int share_a_line(struct counters a, struct counters b)
{
	return a.at / LINE <= (b.end - 1) / LINE && b.at / LINE <= (a.end - 1) / LINE;
}

/* Says how workers i and j share a line, a's counters being below b's. */
static void explain(int n, int i, int j, struct counters a, struct counters b)
{
	uintptr_t gap = b.at - a.at;

	printf("shared in an array of %d workers, workers %d and %d write the same 64-byte cache line: "
	       "worker %d's counters are bytes %lu to %lu of their line, worker %d's start %lu bytes after them",
	       n, i, j, i, (unsigned long)(a.at % LINE),
	       (unsigned long)(a.at % LINE + sizeof(struct worker_stats) - 1), j, (unsigned long)gap);
	if (gap < LINE)
		printf(", less than a line away");
	else if (a.at % LINE + sizeof(struct worker_stats) > LINE)
		printf(", but worker %d's run over into the next line: the array does not start on a line", i);
	printf("\n");
}

int go_main(int argc, char **argv)
{
	struct stats *s[TRIES];
	void *shim[TRIES];
	int arrays = 0, bad = 0;

	(void)argc;
	(void)argv;
	for (int t = 0; t < TRIES; t++) {
		int n = 2 + t % 8;

		/* 16, 32, 48 or 64 bytes: the next block starts elsewhere in a line */
		shim[t] = malloc((size_t)(16 + 16 * (t / 8)));
		s[t] = stats_new(n);
		if (!s[t] || !shim[t]) {
			printf("error stats_new(%d) returned NULL\n", n);
			return 1;
		}
		arrays++;
		for (int i = 0; i < n && !bad; i++)
			for (int j = 0; j < n && !bad; j++) {
				struct counters a = counters_of(s[t], i), b = counters_of(s[t], j);

				if (i != j && a.at <= b.at && share_a_line(a, b)) {
					explain(n, i, j, a, b);
					bad = 1;
				}
			}
	}
	if (!bad)
		printf("ok %d arrays of 2 to 9 workers: every worker's counters have cache lines of their own\n", arrays);
	for (int t = 0; t < TRIES; t++) {
		stats_free(s[t]);
		free(shim[t]);
	}
	return 0;
}
