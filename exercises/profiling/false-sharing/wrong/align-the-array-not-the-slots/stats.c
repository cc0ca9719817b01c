/* Aligns the array to a cache line but leaves the slots 24 bytes
 * long, so two or three workers' counters still share each line (and
 * malloc does not honour the _Alignas of the struct either). */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define CACHE_LINE 64

struct stats {
	int workers;
	_Alignas(CACHE_LINE) struct worker_stats w[];	/* starts on a line */
};

struct stats *stats_new(int workers)
{
	size_t size = sizeof(struct stats) + (size_t)workers * sizeof(struct worker_stats);
	struct stats *s = malloc(size);	/* wrong: test */

	if (!s)
		return NULL;
	memset(s, 0, size);
	s->workers = workers;
	return s;
}

void stats_free(struct stats *s)
{
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
