/* batch_test.c: instructor tests and the benchmark for batch-sends. */
#include <chanlab_test.h>

#include "batch.h"

static int xs[100000];

static long fill(int n)
{
	long want = 0;

	for (int i = 0; i < n; i++) {
		xs[i] = (i * 7919) % 1000 - 500;
		want += xs[i];
	}
	return want;
}

CL_TEST(nothing) {
	CL_EXPECT_INT(channel_sum(xs, 0), 0);
}

CL_TEST(one_number) {
	int one[] = { 42 };

	CL_EXPECT_INT(channel_sum(one, 1), 42);
}

CL_TEST(less_than_a_batch) {
	long want = fill(100);

	CL_EXPECT_INT(channel_sum(xs, 100), want);
}

CL_TEST(not_a_round_number) {
	long want = fill(1001);

	CL_EXPECT_INT(channel_sum(xs, 1001), want);
}

CL_TEST(a_hundred_thousand) {
	long want = fill(100000);

	CL_EXPECT_INT(channel_sum(xs, 100000), want);
}

/* One op: sum 10000 numbers through the consumer. */
CL_BENCH(sum_10k) {
	long want = fill(10000);

	cl_reset_timer(b);
	for (long i = 0; i < b->n; i++)
		if (channel_sum(xs, 10000) != want)
			abort();
}
