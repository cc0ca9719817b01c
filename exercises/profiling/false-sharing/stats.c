/* stats.c: the workers' counters, one struct worker_stats per worker in
 * one array, worker w's at w[w]. */
#include <stdlib.h>

#include "stats.h"

struct stats {
	int workers;
	struct worker_stats *w;		/* workers of them, side by side */
};

struct stats *stats_new(int workers)
{
	struct stats *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	s->workers = workers;
	s->w = calloc((size_t)workers, sizeof(s->w[0]));
	if (!s->w) {
		free(s);
		return NULL;
	}
	return s;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free(s->w);
	free(s);
}

struct worker_stats *stats_worker(struct stats *s, int w)
{
	return &s->w[w];
}

struct stats_total stats_sum(struct stats *s)
{
	struct stats_total t = { 0, 0, 0 };

	for (int i = 0; i < s->workers; i++) {
		struct worker_stats *ws = stats_worker(s, i);
		uint64_t largest = atomic_load_explicit(&ws->largest, memory_order_relaxed);

		t.packets += atomic_load_explicit(&ws->packets, memory_order_relaxed);
		t.bytes += atomic_load_explicit(&ws->bytes, memory_order_relaxed);
		if (largest > t.largest)
			t.largest = largest;
	}
	return t;
}
