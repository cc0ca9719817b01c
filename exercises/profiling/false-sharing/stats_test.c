/* stats_test.c: instructor tests for false-sharing, one process per
 * case: the counters start at zero and stay where they are, every packet
 * of many workers is counted exactly, then the benchmark. (The layout
 * test is layout_main.c.) */
#include <chanlab_test.h>
#include <stdlib.h>

#include "stats.h"

CL_TEST(new_counters_are_zero_and_stay_put) {
	for (int n = 1; n <= 64; n++) {
		struct stats *s = stats_new(n);
		struct stats_total t;

		CL_ASSERT_MSG(s, "stats_new(%d) returned NULL", n);
		for (int w = 0; w < n; w++) {
			struct worker_stats *ws = stats_worker(s, w);

			CL_ASSERT_MSG(ws == stats_worker(s, w), "stats_worker(s, %d) moved between two calls", w);
			CL_EXPECT_MSG(atomic_load(&ws->packets) == 0 && atomic_load(&ws->bytes) == 0 &&
				      atomic_load(&ws->largest) == 0,
				      "worker %d of %d: a new counter is not zero", w, n);
			atomic_store(&ws->packets, (uint64_t)w + 1);
			atomic_store(&ws->bytes, 10);
			atomic_store(&ws->largest, (uint64_t)w);
		}
		t = stats_sum(s);
		CL_EXPECT_MSG(t.packets == (uint64_t)n * (n + 1) / 2 && t.bytes == 10 * (uint64_t)n &&
			      t.largest == (uint64_t)n - 1,
			      "%d workers: the sum is %llu packets, %llu bytes, largest %llu; expected %llu, %llu, %llu "
			      "(do two workers' counters overlap?)", n, (unsigned long long)t.packets,
			      (unsigned long long)t.bytes, (unsigned long long)t.largest,
			      (unsigned long long)n * (n + 1) / 2, 10ull * (unsigned long long)n,
			      (unsigned long long)n - 1);
		stats_free(s);
	}
}

struct worker {
	struct stats *s;
	int w;
	long n;
	go_waitgroup *wg;
};

static void work(void *arg)
{
	struct worker *k = arg;

	count_packets(k->s, k->w, k->n);
	go_waitgroup_done(k->wg);
}

/* Runs workers goroutines of n packets each; a reporter sums the
 * counters meanwhile and must see them only grow. */
static void count_and_check(int workers, long n)
{
	struct stats *s = stats_new(workers);
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct worker *k = calloc((size_t)workers, sizeof(*k));
	struct stats_total want = { 0, 0, 0 }, got, prev = { 0, 0, 0 };
	int backwards = 0;

	CL_ASSERT(s && k);
	for (int w = 0; w < workers; w++)
		for (long i = 0; i < n; i++) {
			uint64_t len = count_packet_len(w, i);

			want.packets++;
			want.bytes += len;
			if (len > want.largest)
				want.largest = len;
		}
	go_waitgroup_add(&wg, workers);
	for (int w = 0; w < workers; w++) {
		k[w] = (struct worker){ s, w, n, &wg };
		go_spawn(work, &k[w]);
	}
	for (int r = 0; r < 20; r++) {
		got = stats_sum(s);
		if (got.packets < prev.packets || got.bytes < prev.bytes || got.largest < prev.largest)
			backwards = 1;
		prev = got;
		go_yield();
	}
	go_waitgroup_wait(&wg);
	got = stats_sum(s);
	CL_EXPECT_MSG(!backwards, "a sum taken while the workers counted was smaller than the one before");
	CL_EXPECT_MSG(got.packets == want.packets && got.bytes == want.bytes && got.largest == want.largest,
		      "%d workers counted %ld packets each: the sum is %llu packets, %llu bytes, largest %llu; "
		      "expected %llu, %llu, %llu", workers, n, (unsigned long long)got.packets,
		      (unsigned long long)got.bytes, (unsigned long long)got.largest,
		      (unsigned long long)want.packets, (unsigned long long)want.bytes,
		      (unsigned long long)want.largest);
	free(k);
	stats_free(s);
}

CL_TEST(four_workers_count_every_packet) {
	count_and_check(4, 100000);
}

CL_TEST(sixty_four_workers_count_every_packet) {
	count_and_check(64, 2000);
}

/* One op: each of two workers, on two threads, counts one packet. */
CL_BENCH(two_workers_count) {
	static struct stats *s;
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct worker k[2];

	cl_stop_timer(b);
	go_gomaxprocs(2);
	if (!s) {
		s = stats_new(2);
		if (!s)
			abort();
	}
	cl_start_timer(b);
	go_waitgroup_add(&wg, 2);
	for (int w = 0; w < 2; w++) {
		k[w] = (struct worker){ s, w, b->n, &wg };
		go_spawn(work, &k[w]);
	}
	go_waitgroup_wait(&wg);
}
