/* load.c: the read-mostly workload (instructor file): `workers`
 * goroutines, each with a random generator of its own, each running its
 * share of the operations on the one map they share. */
#include <stdlib.h>

#include <go.h>

#include "load.h"

struct worker {
	struct rmap *m;
	long ops;
	uint64_t rng, sum;
	go_waitgroup *wg;
};

static uint64_t next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

void load_fill(struct rmap *m)
{
	for (uint64_t k = 0; k < LOAD_KEYS; k++)
		rmap_put(m, k, k);
}

static void work(void *arg)
{
	struct worker *w = arg;

	for (long i = 0; i < w->ops; i++) {
		uint64_t r = next(&w->rng), key = (r >> 8) % LOAD_KEYS, v = 0;

		switch (r % 100) {
		case 0: case 1: case 2: case 3:
			rmap_put(w->m, key, r >> 16);
			break;
		case 4:
			w->sum += rmap_add(w->m, key, 1);
			break;
		default:
			if (rmap_get(w->m, key, &v))
				w->sum += v;
		}
	}
	go_waitgroup_done(w->wg);
}

uint64_t load_run(struct rmap *m, int workers, long ops, uint64_t seed)
{
	struct worker *ws = calloc((size_t)workers, sizeof(*ws));
	go_waitgroup wg = GO_WAITGROUP_INIT;
	uint64_t sum = 0;

	if (!ws)
		abort();
	go_waitgroup_add(&wg, workers);
	for (int i = 0; i < workers; i++) {
		ws[i] = (struct worker){ m, ops / workers + (i < ops % workers), seed * 1000003u + (uint64_t)i + 1, 0, &wg };
		go_spawn(work, &ws[i]);
	}
	go_waitgroup_wait(&wg);
	for (int i = 0; i < workers; i++)
		sum += ws[i].sum;
	free(ws);
	return sum;
}
