/* stats.h: per-worker packet counters (the layout is yours, in stats.c).
 * Each worker goroutine counts the packets it handles in counters of its
 * own, so it needs no lock; a reporter may sum them at any time, so they
 * are atomics (relaxed: a sum is a snapshot, not a barrier). */
#ifndef STATS_H
#define STATS_H

#include <stdatomic.h>
#include <stdint.h>

/* One worker's counters. Only that worker writes them, on every packet:
 * all three are hot. */
struct worker_stats {
	_Atomic uint64_t packets;
	_Atomic uint64_t bytes;
	_Atomic uint64_t largest;	/* the longest packet so far */
};

/* Every worker's counters added up (largest: the longest of all). */
struct stats_total {
	uint64_t packets;
	uint64_t bytes;
	uint64_t largest;
};

/* The counters of a pool of workers. */
struct stats;

/* Counters for workers 0 to workers - 1, all zero; NULL when out of
 * memory. workers is 1 to 1024. */
struct stats *stats_new(int workers);

/* Frees s; no worker may count in it any more. */
void stats_free(struct stats *s);

/* Worker w's counters: the same address every time, valid until
 * stats_free. */
struct worker_stats *stats_worker(struct stats *s, int w);

/* The sum of every worker's counters. May run while workers count. */
struct stats_total stats_sum(struct stats *s);

/* The instructor's side (count.c): handles n packets as worker w of s,
 * counting each in stats_worker(s, w). */
void count_packets(struct stats *s, int w, long n);

/* The length of packet i of worker w's stream (64 to 1499 bytes). */
uint64_t count_packet_len(int w, long i);

#endif
