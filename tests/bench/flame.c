/*
 * flame — what the shell's profile view costs to open: a profile of
 * 10,000 samples with distinct stacks (depth 8 to 40, 300 functions, as a
 * long CPU profile of a real program has) merged into a call tree, its
 * children sorted and pprof's top table read off it. The budget (issue
 * 14): the flame graph opens in 50 ms or less.
 *
 *   build/bench/flame [RUNS]
 *
 * Prints `name value unit` lines (tests/bench/run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checker/flame.h"

enum { NFUNCS = 300, NSAMPLES = 10000 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 20;
	static struct profile_func funcs[NFUNCS];
	static struct profile_frame frames[NFUNCS];
	static struct profile_loc locs[NFUNCS];
	static struct profile_sample samples[NSAMPLES];
	static int64_t values[NSAMPLES][2];
	static char names[NFUNCS][16];
	static const char *types[] = { "samples", "cpu" }, *units[] = { "count", "nanoseconds" };
	size_t *stack = malloc(NSAMPLES * 40 * sizeof(*stack)), nstack = 0;
	double *ms = calloc((size_t)(runs > 0 ? runs : 1), sizeof(*ms));
	unsigned long long seed = 1;
	struct profile p;

	if (!stack || !ms || runs < 1)
		return 1;
	for (size_t i = 0; i < NFUNCS; i++) {
		snprintf(names[i], sizeof(names[i]), "fn_%zu", i);
		funcs[i] = (struct profile_func){ names[i], "prog.c" };
		frames[i] = (struct profile_frame){ i, (int64_t)i + 10 };
		locs[i] = (struct profile_loc){ i + 1, i, 1 };
	}
	for (size_t s = 0; s < NSAMPLES; s++) {
		size_t depth = 8 + (seed = seed * 6364136223846793005ULL + 1) % 33;

		samples[s] = (struct profile_sample){ nstack, depth, values[s], NULL };
		values[s][0] = 1;
		values[s][1] = 10000000;
		/* leaf first; the outer frames shared more often than the inner ones */
		for (size_t k = 0; k < depth; k++) {
			seed = seed * 6364136223846793005ULL + 1;
			stack[nstack + depth - 1 - k] = k < 3 ? k : (size_t)((seed >> 33) % (k < 8 ? 20 : NFUNCS));
		}
		nstack += depth;
	}
	p = (struct profile){ .ntypes = 2, .types = types, .units = units, .funcs = funcs, .nfuncs = NFUNCS,
			      .frames = frames, .nframes = NFUNCS, .locs = locs, .nlocs = NFUNCS, .stack = stack,
			      .nstack = nstack, .samples = samples, .nsamples = NSAMPLES };
	for (int r = 0; r < runs; r++) {
		struct flame f = FLAME_INIT;
		struct flame_row *rows;
		size_t n;
		double t0 = now_ms();

		if (flame_add(&f, &p, 1) < 0)
			return 1;
		flame_finish(&f);
		if (flame_top(&f, &rows, &n) < 0)
			return 1;
		ms[r] = now_ms() - t0;
		free(rows);
		if (r == runs - 1)
			printf("flame_nodes %zu nodes\n", f.nnodes);
		flame_release(&f);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp);
	printf("flame_open_10k_samples %.2f ms (median of %d; budget 50 ms)\n", ms[runs / 2], runs);
	free(stack);
	free(ms);
	return 0;
}
