/* count.c: the workers' side (instructor file): each packet a worker
 * handles bumps three counters of its own. The work per packet is small,
 * as a router's or a log shipper's is, so the counters are most of it. */
#include "stats.h"

uint64_t count_packet_len(int w, long i)
{
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull + (uint64_t)w;

	return 64 + (x >> 40) % 1436;
}

void count_packets(struct stats *s, int w, long n)
{
	struct worker_stats *ws = stats_worker(s, w);

	for (long i = 0; i < n; i++) {
		uint64_t len = count_packet_len(w, i);

		atomic_fetch_add_explicit(&ws->packets, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&ws->bytes, len, memory_order_relaxed);
		if (len > atomic_load_explicit(&ws->largest, memory_order_relaxed))
			atomic_store_explicit(&ws->largest, len, memory_order_relaxed);
	}
}
