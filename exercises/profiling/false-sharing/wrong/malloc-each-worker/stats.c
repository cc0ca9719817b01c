/* Gives each worker's counters an allocation of their own, as if
 * separate objects were separate memory: malloc hands out small blocks
 * side by side, 32 bytes apart, so neighbours still share lines. */
#include <stdlib.h>

#include "stats.h"

struct stats {
	int workers;
	struct worker_stats **w;	/* worker i's counters at *w[i] */
};

struct stats *stats_new(int workers)
{
	struct stats *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	s->workers = workers;
	s->w = calloc((size_t)workers, sizeof(s->w[0]));
	if (!s->w)
		goto out_free_stats;
	for (int i = 0; i < workers; i++) {
		s->w[i] = calloc(1, sizeof(*s->w[i]));	/* wrong: test */
		if (!s->w[i])
			goto out_free_workers;
	}
	return s;

out_free_workers:
	for (int i = 0; i < workers; i++)
		free(s->w[i]);
	free(s->w);
out_free_stats:
	free(s);
	return NULL;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->workers; i++)
		free(s->w[i]);
	free(s->w);
	free(s);
}

struct worker_stats *stats_worker(struct stats *s, int w)
{
	return s->w[w];
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
