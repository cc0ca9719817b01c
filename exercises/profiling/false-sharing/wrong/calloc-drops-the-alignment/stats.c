/* Each slot is a line long, but calloc returns 16-byte aligned memory:
 * _Alignas on the type does not reach the allocator, so a slot can start
 * 48 bytes into a line and its counters run into the next worker's line. */
#include <stdlib.h>

#include "stats.h"

/* 64 bytes on x86-64 and most ARM64 cores (Apple's have 128: pad to 128
 * there). */
#define CACHE_LINE 64

/* _Alignas rounds sizeof(struct slot) up to a whole line too, so w[i + 1]
 * starts on the next line. */
struct slot {
	_Alignas(CACHE_LINE) struct worker_stats c;
};

struct stats {
	int workers;
	struct slot *w;			/* one line per worker */
};

struct stats *stats_new(int workers)
{
	struct stats *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	s->workers = workers;
	s->w = calloc((size_t)workers, sizeof(s->w[0]));	/* wrong: test */
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
	return &s->w[w].c;
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
